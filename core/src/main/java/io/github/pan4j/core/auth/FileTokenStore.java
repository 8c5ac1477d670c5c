package io.github.pan4j.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps tokens in one JSON file, for CLIs and hosts that restart.
 *
 * <p>Writes go to a temporary file in the same folder that is then atomically moved over the
 * target, so a crash never leaves a half-written file. The file and its lock file are created
 * owner-read/write only ({@code rw-------}) where the file system supports POSIX permissions.
 * {@link #compareAndSet} holds an exclusive OS file lock while it reads, compares and writes, so
 * several processes sharing the file never both spend one single-use refresh token. The file's
 * contents are never logged, and {@link #toString()} shows only the path.
 */
public final class FileTokenStore implements TokenStore {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Path file;
  private final Path lockFile;
  private final ObjectMapper mapper = Json.mapper();
  private final Object localLock = new Object();

  public FileTokenStore(Path file) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
  }

  public Path file() {
    return file;
  }

  @Override
  public Optional<Token> load(String key) {
    return withLock(() -> Optional.ofNullable(read().get(key)));
  }

  @Override
  public boolean compareAndSet(String key, Token expected, Token next) {
    Objects.requireNonNull(next, "next");
    return withLock(() -> {
      Map<String, Token> all = read();
      if (!Objects.equals(all.get(key), expected)) return false;
      all.put(key, next);
      write(all);
      return true;
    });
  }

  @Override
  public void remove(String key) {
    withLock(() -> {
      Map<String, Token> all = read();
      if (all.remove(key) != null) write(all);
      return null;
    });
  }

  private interface Action<T> {
    T run() throws IOException;
  }

  private <T> T withLock(Action<T> action) {
    synchronized (localLock) {
      try {
        Files.createDirectories(file.getParent());
        createOwnerOnly(lockFile);
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            FileLock ignored = ch.lock()) {
          return action.run();
        }
      } catch (IOException e) {
        throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "token store unavailable: " + e.getMessage()
                + "; check that the folder exists and is writable").target(file.toString()).cause(e).build();
      }
    }
  }

  private Map<String, Token> read() throws IOException {
    Map<String, Token> out = new HashMap<>();
    if (!Files.exists(file)) return out;
    JsonNode root;
    try {
      root = mapper.readTree(file.toFile());
    } catch (IOException e) {
      // Never echo the contents: the message says where, not what.
      throw new IOException("token file is not valid JSON (delete it to sign in again)");
    }
    if (root == null || !root.isObject()) return out;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode t = e.getValue();
      if (!t.hasNonNull("accessToken")) continue;
      Map<String, String> attrs = new HashMap<>();
      JsonNode a = t.get("attributes");
      if (a != null && a.isObject()) a.fields().forEachRemaining(f -> attrs.put(f.getKey(), f.getValue().asText()));
      out.put(e.getKey(), new Token(
          Secret.of(t.get("accessToken").asText()),
          t.hasNonNull("expiresAt") ? Instant.parse(t.get("expiresAt").asText()) : null,
          t.hasNonNull("refreshToken") ? Secret.of(t.get("refreshToken").asText()) : null,
          attrs));
    }
    return out;
  }

  private void write(Map<String, Token> all) throws IOException {
    ObjectNode root = mapper.createObjectNode();
    all.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Token t = e.getValue();
      ObjectNode n = root.putObject(e.getKey());
      n.put("accessToken", t.accessToken().reveal());
      if (t.expiresAt() != null) n.put("expiresAt", t.expiresAt().toString());
      if (t.refreshToken() != null) n.put("refreshToken", t.refreshToken().reveal());
      if (!t.attributes().isEmpty()) {
        ObjectNode a = n.putObject("attributes");
        t.attributes().forEach(a::put);
      }
    });
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    createOwnerOnly(tmp);
    Files.write(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), StandardOpenOption.TRUNCATE_EXISTING);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void createOwnerOnly(Path p) throws IOException {
    if (Files.exists(p)) return;
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      try {
        Files.createFile(p, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (java.nio.file.FileAlreadyExistsException ignored) {
        // created concurrently; fine
      }
    } else {
      try {
        Files.createFile(p);
      } catch (java.nio.file.FileAlreadyExistsException ignored) {
        // created concurrently; fine
      }
    }
  }

  @Override
  public String toString() {
    return "FileTokenStore{" + file + "}";
  }
}
