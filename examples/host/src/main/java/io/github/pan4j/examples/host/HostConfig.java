package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.redis.RedisAccounts;
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
 * { "bind": "127.0.0.1", "port": 5244, "plugins": "plugins", "mounts": "mounts.json", "state": "state",
 *   "admin": { "user": "admin", "passwordHash": "pbkdf2-sha256$210000$…$…" },
 *   "signKey": "…", "signTtl": "1h", "textPreviewKb": 64, "sessionTtl": "12h",
 *   "tokenStore": "file", "trustProxy": false, "idleTimeout": "30s", "maxThreads": 200, "maxUploadMb": 10240,
 *   "reopenGrace": "10m" }
 * }</pre>
 *
 * Relative paths are resolved against the folder of the config file. {@code tokenStore} is
 * {@code file} (state/tokens.json), {@code memory}, or {@code redis}: tokens and rate limits shared
 * through the Redis at {@code redis} ({@code redis://host:port}) with every host using it.
 */
record HostConfig(
    String bind,
    int port,
    Path pluginsDir,
    Path mountsFile,
    Path stateDir,
    String adminUser,
    String adminPasswordHash,
    Secret signKey,
    boolean signKeyGenerated,
    Duration signTtl,
    int textPreviewKb,
    Duration sessionTtl,
    String tokenStore,
    String redis,
    boolean trustProxy,
    Duration idleTimeout,
    Duration stopTimeout,
    int maxThreads,
    long maxUploadMb,
    Duration reopenGrace) {

  private static final Set<String> KEYS = Set.of("bind", "port", "plugins", "mounts", "state", "admin", "signKey", "signTtl",
      "textPreviewKb", "sessionTtl", "tokenStore", "redis", "trustProxy", "idleTimeout", "stopTimeout", "maxThreads", "maxUploadMb", "reopenGrace");

  HostConfig {
    if (!Set.of("file", "memory", "redis").contains(tokenStore)) {
      throw new IllegalArgumentException("tokenStore must be file, memory or redis but was '" + tokenStore + "'");
    }
    if (redis != null && redis.contains("@")) {
      // First: the messages below show the address, and a password in it would leak (to the start's
      // error line, a log); RedisAccounts ignores one anyway.
      throw new IllegalArgumentException("\"redis\" must be redis://host:port without a user or password");
    }
    if (tokenStore.equals("redis") && (redis == null || redis.isBlank())) {
      throw new IllegalArgumentException("tokenStore is redis but no \"redis\" address is set;"
          + " add \"redis\": \"redis://host:6379\"");
    }
    if (!tokenStore.equals("redis") && redis != null) {
      throw new IllegalArgumentException("\"redis\" is set to '" + redis + "' but tokenStore is '" + tokenStore
          + "'; set \"tokenStore\": \"redis\" to use it, or remove \"redis\"");
    }
    // Checks the address's form now (a DriveException CONFIG_INVALID naming it); connecting waits for the host.
    if (redis != null) RedisAccounts.builder(redis);
    if (maxThreads < 8) throw new IllegalArgumentException("maxThreads must be at least 8 but was " + maxThreads);
    if (reopenGrace.isNegative()) throw new IllegalArgumentException("reopenGrace must not be negative but was " + reopenGrace);
  }

  static HostConfig defaults(Path base) {
    return new HostConfig("127.0.0.1", 5244, base.resolve("plugins"), base.resolve("mounts.json"), base.resolve("state"),
        null, null, randomKey(), true, Duration.ofHours(1), 64, Duration.ofHours(12), "file", null, false,
        Duration.ofSeconds(30), Duration.ofSeconds(10), 200, 10_240, Duration.ofMinutes(10));
  }

  static HostConfig load(Path file, ObjectMapper mapper) throws IOException {
    Path base = file.toAbsolutePath().getParent();
    HostFiles.tighten(file);
    JsonNode n = ConfigError.readJson(mapper, file, "fix it, or start with --config pointing at another file");
    if (n == null || !n.isObject()) throw new ConfigError(file + ": expected a JSON object such as {\"port\": 5244}");
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) throw new ConfigError(file + ": unknown key '" + k + "' (known: " + KEYS + ")");
    }
    JsonNode admin = n.get("admin");
    if (admin != null && !admin.isNull()) {
      if (!admin.isObject()) throw new ConfigError(file + ": \"admin\" must be an object such as {\"user\": \"admin\", \"passwordHash\": \"…\"}");
      for (Iterator<String> it = admin.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        // A typo here would start the host without its admin user; the value is never shown (it may be a password).
        if (!k.equals("user") && !k.equals("passwordHash")) {
          throw new ConfigError(file + ": unknown key 'admin." + k + "' (known: admin.user, admin.passwordHash); a password"
              + " goes in only as its hash, made by: java -jar pan4j-examples-host.jar hash-password");
        }
      }
    }
    try {
      return read(n, base);
    } catch (IllegalArgumentException | io.github.pan4j.core.DriveException e) {
      throw new ConfigError(file + ": " + e.getMessage(), e);
    }
  }

  private static HostConfig read(JsonNode n, Path base) {
    HostConfig d = defaults(base);
    String signKey = text(n, "signKey", null);
    JsonNode admin = n.path("admin");
    return new HostConfig(
        text(n, "bind", d.bind()),
        (int) number(n, "port", d.port(), 0, 65535),
        base.resolve(text(n, "plugins", "plugins")),
        base.resolve(text(n, "mounts", "mounts.json")),
        base.resolve(text(n, "state", "state")),
        text(admin, "user", null),
        text(admin, "passwordHash", null),
        signKey == null ? d.signKey() : Secret.of(signKey),
        signKey == null,
        ConfigSchema.parseDuration("signTtl", text(n, "signTtl", "1h")),
        (int) number(n, "textPreviewKb", d.textPreviewKb(), 0, 1 << 20),
        ConfigSchema.parseDuration("sessionTtl", text(n, "sessionTtl", "12h")),
        text(n, "tokenStore", d.tokenStore()),
        text(n, "redis", null),
        bool(n, "trustProxy"),
        ConfigSchema.parseDuration("idleTimeout", text(n, "idleTimeout", "30s")),
        ConfigSchema.parseDuration("stopTimeout", text(n, "stopTimeout", "10s")),
        (int) number(n, "maxThreads", d.maxThreads(), 1, 100_000),
        number(n, "maxUploadMb", d.maxUploadMb(), 1, Long.MAX_VALUE >> 20),
        ConfigSchema.parseDuration("reopenGrace", text(n, "reopenGrace", "10m")));
  }

  /**
   * The first run: writes {@code file} (mode 600) with an admin user, the hash of {@code password}
   * and a random signKey, and returns it loaded.
   */
  static HostConfig create(Path file, String user, char[] password, String plugins, ObjectMapper mapper) throws IOException {
    var root = mapper.createObjectNode();
    root.put("bind", "127.0.0.1").put("port", 5244).put("plugins", plugins).put("mounts", "mounts.json").put("state", "state");
    root.putObject("admin").put("user", user).put("passwordHash", Auth.hash(password));
    root.put("signKey", randomKey().reveal());
    HostFiles.writeOwnerOnly(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    HostConfig c = load(file, mapper);
    Files.createDirectories(c.pluginsDir());
    return c;
  }

  HostConfig withPort(int p) {
    return new HostConfig(bind, p, pluginsDir, mountsFile, stateDir, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trustProxy, idleTimeout, stopTimeout, maxThreads, maxUploadMb, reopenGrace);
  }

  HostConfig withBind(String b) {
    return new HostConfig(b, port, pluginsDir, mountsFile, stateDir, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trustProxy, idleTimeout, stopTimeout, maxThreads, maxUploadMb, reopenGrace);
  }

  HostConfig withAdmin(String user, String passwordHash) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, stateDir, user, passwordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trustProxy, idleTimeout, stopTimeout, maxThreads, maxUploadMb, reopenGrace);
  }

  HostConfig withSignKey(Secret key) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, stateDir, adminUser, adminPasswordHash, key, false,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trustProxy, idleTimeout, stopTimeout, maxThreads, maxUploadMb, reopenGrace);
  }

  HostConfig withDirs(Path plugins, Path mounts) {
    return new HostConfig(bind, port, plugins, mounts, stateDir, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trustProxy, idleTimeout, stopTimeout, maxThreads, maxUploadMb, reopenGrace);
  }

  HostConfig withStateDir(Path state) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, state, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trustProxy, idleTimeout, stopTimeout, maxThreads, maxUploadMb, reopenGrace);
  }

  HostConfig withTimeouts(Duration idle, Duration stop) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, stateDir, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trustProxy, idle, stop, maxThreads, maxUploadMb, reopenGrace);
  }

  HostConfig withReopenGrace(Duration grace) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, stateDir, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trustProxy, idleTimeout, stopTimeout, maxThreads, maxUploadMb, grace);
  }

  HostConfig withTrustProxy(boolean trust) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, stateDir, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trust, idleTimeout, stopTimeout, maxThreads, maxUploadMb, reopenGrace);
  }

  HostConfig withMaxUploadMb(long mb) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, stateDir, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, tokenStore, redis, trustProxy, idleTimeout, stopTimeout, maxThreads, mb, reopenGrace);
  }

  HostConfig withRedis(String address) {
    return new HostConfig(bind, port, pluginsDir, mountsFile, stateDir, adminUser, adminPasswordHash, signKey, signKeyGenerated,
        signTtl, textPreviewKb, sessionTtl, address == null ? "file" : "redis", address, trustProxy, idleTimeout, stopTimeout,
        maxThreads, maxUploadMb, reopenGrace);
  }

  boolean loginEnabled() {
    return adminUser != null && adminPasswordHash != null;
  }

  /**
   * A whole number in {@code [min, max]} (a JSON number, or a string of digits); absent or null is
   * {@code dflt}. Anything else is refused: a typo must not start the host on the default.
   */
  private static long number(JsonNode n, String key, long dflt, long min, long max) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) return dflt;
    long x;
    if (v.isIntegralNumber() && v.canConvertToLong()) x = v.asLong();
    else if (v.isTextual() && v.asText().strip().matches("-?\\d{1,18}")) x = Long.parseLong(v.asText().strip());
    else x = Long.MIN_VALUE;
    if (x < min || x > max) {
      throw new IllegalArgumentException("\"" + key + "\" must be a whole number from " + min + " to " + max + ", not " + v);
    }
    return x;
  }

  private static boolean bool(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) return false;
    if (v.isBoolean()) return v.asBoolean();
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) return Boolean.parseBoolean(v.asText());
    throw new IllegalArgumentException("\"" + key + "\" must be true or false, not " + v);
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
        + ", state=" + stateDir + ", tokens=" + (redis == null ? tokenStore : "redis " + redis) + ", admin=" + (adminUser == null ? "none" : adminUser) + "}";
  }
}
