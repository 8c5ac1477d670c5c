package io.github.pan4j.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps tokens in one JSON file, shared by every thread and process that opens the same path.
 *
 * <p>Every read and write holds an exclusive OS file lock on a {@code .lock} file beside it, and
 * {@link #locked} holds it across a whole renewal, so N processes that need a token at once mint
 * exactly one (see {@link TokenManager}). Within a JVM all instances for one path share one lock,
 * so they never trip over each other's file lock; two instances on one path are {@link #equals}.
 *
 * <p>Writes go to a temporary file in the same folder that is then atomically moved over the
 * target; the temporary file is removed when anything fails, so a token never lives only there.
 * A file that cannot be parsed is moved aside ({@code tokens.json.corrupt-<time>}) with a warning
 * and the store starts empty, so a damaged file costs one sign-in instead of blocking every run;
 * an entry that cannot be read (e.g. a bad date) is dropped the same way. Tokens that expired more
 * than a day ago and cannot be refreshed are dropped when the file is next written.
 *
 * <p>The file and its lock file are created owner-read/write only ({@code rw-------}) where the
 * file system supports POSIX permissions. Every failure is a {@link DriveException} that names the
 * file ({@link ErrorKind#PERMISSION_DENIED} when it or its folder is not writable). The file's
 * contents are never logged, and {@link #toString()} shows only the path.
 */
public final class FileTokenStore implements TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileTokenStore.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Duration PRUNE_AFTER = Duration.ofDays(1);
  /** One lock per path per JVM: the OS lock belongs to the JVM, not to a thread or an instance. */
  private static final ConcurrentMap<Path, PathLock> LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final Path lockFile;
  private final PathLock lock;
  private final ObjectMapper mapper = Json.mapper();

  public FileTokenStore(Path file) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    this.lock = LOCKS.computeIfAbsent(this.file, p -> new PathLock(lockFile));
  }

  public Path file() {
    return file;
  }

  @Override
  public Optional<Token> load(String key) {
    return withLock(() -> Optional.ofNullable(io(this::read).get(key)));
  }

  @Override
  public boolean compareAndSet(String key, Token expected, Token next) {
    Objects.requireNonNull(next, "next");
    return withLock(() -> io(() -> {
      Map<String, Token> all = read();
      if (!Objects.equals(all.get(key), expected)) return false;
      all.put(key, next);
      write(all);
      return true;
    }));
  }

  @Override
  public void remove(String key) {
    withLock(() -> io(() -> {
      Map<String, Token> all = read();
      if (all.remove(key) != null) write(all);
      return null;
    }));
  }

  /**
   * Holds the file lock (this JVM's threads and other processes) while {@code action} runs.
   * Reentrant. Fails before running {@code action} when the folder is not writable, so a token is
   * never minted that could not be kept.
   */
  @Override
  public <T> T locked(String key, Supplier<T> action) {
    return withLock(() -> {
      Path dir = file.getParent();
      if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isWritable(file))) {
        throw failure(new AccessDeniedException(Files.isWritable(dir) ? file.toString() : dir.toString(), null,
            "not writable"));
      }
      return action.get();
    });
  }

  private <T> T withLock(Supplier<T> action) {
    lock.acquire(this);
    try {
      return action.get();
    } finally {
      lock.release();
    }
  }

  private interface IoAction<T> {
    T run() throws IOException;
  }

  private <T> T io(IoAction<T> action) {
    try {
      return action.run();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  DriveException failure(IOException e) {
    boolean denied = e instanceof AccessDeniedException
        || (e instanceof FileSystemException fse && fse.getReason() != null && fse.getReason().contains("Read-only"));
    String what = e instanceof FileSystemException fse && fse.getFile() != null ? fse.getFile() : file.toString();
    String why = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    if (denied) {
      return DriveException.builder(ErrorKind.PERMISSION_DENIED, "the token file " + file + " cannot be written ("
              + what + ": " + why + "); make the folder writable or choose another token file")
          .operation("token-store").target(file.toString()).cause(e).build();
    }
    return DriveException.builder(ErrorKind.PROVIDER_ERROR, "the token file " + file + " cannot be used (" + what + ": "
            + why + "); check the folder, or choose another token file")
        .operation("token-store").target(file.toString()).cause(e).build();
  }

  private Map<String, Token> read() throws IOException {
    Map<String, Token> out = new TreeMap<>();
    if (!Files.exists(file)) return out;
    JsonNode root;
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length == 0) return out;
      root = mapper.readTree(bytes);
    } catch (AccessDeniedException e) {
      throw e;
    } catch (IOException e) {
      moveAside("it is not valid JSON");
      return out;
    }
    if (root == null || !root.isObject()) {
      moveAside("it does not hold a JSON object");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        out.put(e.getKey(), parse(e.getValue()));
      } catch (IllegalArgumentException | DateTimeParseException ex) {
        // Never echo the contents: the warning says where, not what.
        LOG.warn("pan4j: ignoring the token for {} in {}: {}; it will be replaced by a new sign-in", e.getKey(), file,
            ex instanceof DateTimeParseException ? "its expiresAt is not an ISO-8601 instant" : ex.getMessage());
      }
    }
    return out;
  }

  private static Token parse(JsonNode t) {
    if (t == null || !t.isObject() || !t.path("accessToken").isTextual()) {
      throw new IllegalArgumentException("it has no accessToken");
    }
    Map<String, String> attrs = new TreeMap<>();
    JsonNode a = t.get("attributes");
    if (a != null && a.isObject()) a.fields().forEachRemaining(f -> attrs.put(f.getKey(), f.getValue().asText()));
    return new Token(
        Secret.of(t.get("accessToken").asText()),
        t.hasNonNull("expiresAt") ? Instant.parse(t.get("expiresAt").asText()) : null,
        t.hasNonNull("refreshToken") ? Secret.of(t.get("refreshToken").asText()) : null,
        attrs);
  }

  private void moveAside(String why) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now().toEpochMilli());
    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    LOG.warn("pan4j: the token file {} could not be read ({}); moved it to {} and starting with no tokens"
        + " (the next call signs in again)", file, why, aside);
  }

  private void write(Map<String, Token> all) throws IOException {
    Instant pruneBefore = Instant.now().minus(PRUNE_AFTER);
    ObjectNode root = mapper.createObjectNode();
    new TreeMap<>(all).forEach((key, t) -> {
      if (t.refreshToken() == null && t.expiresAt() != null && t.expiresAt().isBefore(pruneBefore)) return;
      root.set(key, toJson(mapper, t));
    });
    byte[] bytes = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      createOwnerOnly(tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      // Only reached with the temp file still there when something failed: never leave a token in it.
      Files.deleteIfExists(tmp);
    }
  }

  /** The JSON form of a token, fields in a fixed order (the Redis store compares these bytes). */
  static ObjectNode toJson(ObjectMapper mapper, Token t) {
    ObjectNode n = mapper.createObjectNode();
    n.put("accessToken", t.accessToken().reveal());
    if (t.expiresAt() != null) n.put("expiresAt", t.expiresAt().toString());
    if (t.refreshToken() != null) n.put("refreshToken", t.refreshToken().reveal());
    if (!t.attributes().isEmpty()) {
      ObjectNode a = n.putObject("attributes");
      new TreeMap<>(t.attributes()).forEach(a::put);
    }
    return n;
  }

  /** Parses {@link #toJson}'s form; IllegalArgumentException/DateTimeParseException when damaged. */
  static Token fromJson(JsonNode n) {
    return parse(n);
  }

  private static void createOwnerOnly(Path p) throws IOException {
    if (Files.exists(p)) return;
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(p, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(p);
      }
    } catch (java.nio.file.FileAlreadyExistsException ignored) {
      // created concurrently; fine
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileTokenStore other && other.file.equals(file);
  }

  @Override
  public int hashCode() {
    return file.hashCode();
  }

  @Override
  public String toString() {
    return "FileTokenStore{" + file + "}";
  }

  /**
   * The JVM's lock on one token file: a reentrant lock for this JVM's threads plus the OS file
   * lock for other processes, taken when the first hold starts and dropped when the last ends.
   */
  private static final class PathLock {
    private final Path lockFile;
    private final ReentrantLock local = new ReentrantLock();
    // guarded by local
    private FileChannel channel;
    private FileLock osLock;

    PathLock(Path lockFile) {
      this.lockFile = lockFile;
    }

    void acquire(FileTokenStore owner) {
      local.lock();
      if (local.getHoldCount() > 1) return;
      try {
        Path dir = lockFile.getParent();
        Files.createDirectories(dir);
        createOwnerOnly(lockFile);
        channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        osLock = channel.lock(); // blocks (no spinning) until other processes let go
      } catch (IOException | RuntimeException e) {
        closeQuietly();
        local.unlock();
        if (e instanceof IOException io) throw owner.failure(io);
        throw DriveException.builder(ErrorKind.PROVIDER_ERROR, "the token file " + owner.file + " cannot be locked: "
            + e.getClass().getSimpleName()).operation("token-store").target(owner.file.toString()).cause(e).build();
      }
    }

    void release() {
      try {
        if (local.getHoldCount() == 1) closeQuietly();
      } finally {
        local.unlock();
      }
    }

    private void closeQuietly() {
      try {
        if (osLock != null) osLock.release();
      } catch (IOException ignored) {
        // closing the channel below releases it anyway
      }
      try {
        if (channel != null) channel.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
      osLock = null;
      channel = null;
    }
  }
}
