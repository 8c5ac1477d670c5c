package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * The host's own settings, read from a JSON file (every key optional):
 *
 * <pre>{@code
 * { "bind": "127.0.0.1", "port": 5244, "plugins": "plugins", "mounts": "mounts.json",
 *   "admin": { "user": "admin", "passwordHash": "pbkdf2-sha256$210000$…$…" },
 *   "signKey": "…", "signTtl": "1h", "textPreviewKb": 64, "sessionTtl": "12h" }
 * }</pre>
 *
 * Relative paths are resolved against the folder of the config file.
 */
record HostConfig(
    String bind,
    int port,
    Path pluginsDir,
    Path mountsFile,
    String adminUser,
    String adminPasswordHash,
    Secret signKey,
    boolean signKeyGenerated,
    Duration signTtl,
    int textPreviewKb,
    Duration sessionTtl) {

  private static final Set<String> KEYS =
      Set.of("bind", "port", "plugins", "mounts", "admin", "signKey", "signTtl", "textPreviewKb", "sessionTtl");

  static HostConfig defaults(Path base) {
    return new HostConfig("127.0.0.1", 5244, base.resolve("plugins"), base.resolve("mounts.json"), null, null,
        randomKey(), true, Duration.ofHours(1), 64, Duration.ofHours(12));
  }

  static HostConfig load(Path file, ObjectMapper mapper) throws IOException {
    Path base = file.toAbsolutePath().getParent();
    JsonNode n = mapper.readTree(file.toFile());
    if (n == null || !n.isObject()) throw new IOException(file + ": expected a JSON object");
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) throw new IOException(file + ": unknown key '" + k + "' (known: " + KEYS + ")");
    }
    HostConfig d = defaults(base);
    String signKey = text(n, "signKey", null);
    JsonNode admin = n.path("admin");
    return new HostConfig(
        text(n, "bind", d.bind()),
        n.path("port").asInt(d.port()),
        base.resolve(text(n, "plugins", "plugins")),
        base.resolve(text(n, "mounts", "mounts.json")),
        text(admin, "user", null),
        text(admin, "passwordHash", null),
        signKey == null ? d.signKey() : Secret.of(signKey),
        signKey == null,
        ConfigSchema.parseDuration("signTtl", text(n, "signTtl", "1h")),
        n.path("textPreviewKb").asInt(d.textPreviewKb()),
        ConfigSchema.parseDuration("sessionTtl", text(n, "sessionTtl", "12h")));
  }

  HostConfig withPort(int p) {
    return new HostConfig(bind, p, pluginsDir, mountsFile, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl);
  }

  HostConfig withAdmin(String user, String passwordHash) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, user, passwordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl);
  }

  HostConfig withSignKey(Secret key) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, adminUser, adminPasswordHash, key, false, signTtl,
        textPreviewKb, sessionTtl);
  }

  HostConfig withDirs(Path plugins, Path mounts) {
    return new HostConfig(bind, port, plugins, mounts, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl);
  }

  boolean loginEnabled() {
    return adminUser != null && adminPasswordHash != null;
  }

  private static String text(JsonNode n, String key, String dflt) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? dflt : v.asText();
  }

  private static Secret randomKey() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  @Override
  public String toString() {
    return "HostConfig{" + bind + ":" + port + ", plugins=" + pluginsDir + ", mounts=" + mountsFile
        + ", admin=" + (adminUser == null ? "none" : adminUser) + "}";
  }
}
