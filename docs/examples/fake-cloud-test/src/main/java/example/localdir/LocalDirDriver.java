package example.localdir;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.spi.CloseGuard;
import io.github.pan4j.core.spi.Driver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Ids are paths relative to the root ("." for the root). Implements only what it can do
 * (listing, links, stat): the capabilities come from the interfaces, and the contract suite
 * skips the rest. A folder is listed in one page.
 */
final class LocalDirDriver implements Driver, Driver.Stat {
  private final Path root;
  private final CloseGuard guard = new CloseGuard(LocalDirProvider.ID);

  LocalDirDriver(Path root) {
    this.root = root;
  }

  @Override public String id() { return LocalDirProvider.ID; }
  @Override public String rootId() { return "."; }

  @Override
  public Page list(String folderId, String cursor) {
    guard.ensureOpen("list");
    Path dir = existing(folderId, "list");
    if (!Files.isDirectory(dir)) throw error(ErrorKind.NOT_A_DIRECTORY, "list", folderId, "not a folder");
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // A local folder is read whole: one page, no cursor (the contract test says so with listsInOnePage()).
    return Page.last(children.stream().map(this::entry).toList());
  }

  @Override
  public Link link(String fileId) {
    guard.ensureOpen("link");
    Path file = existing(fileId, "link");
    if (Files.isDirectory(file)) throw error(ErrorKind.IS_A_DIRECTORY, "link", fileId, "a folder has no link");
    long size = size(file);
    return Link.builder(file.toUri().toString()).contentLength(size).opener((link, offset, length) -> {
      if (offset >= size && (offset > 0 || length >= 0)) { // starts at or past the end: as HTTP says it
        return new Link.Content(InputStream.nullInputStream(), 416, offset, 0, size, null);
      }
      long n = length < 0 ? size - offset : Math.min(length, size - offset);
      try {
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(offset);
        return new Link.Content(limit(in, n), offset == 0 && length < 0 ? 200 : 206, offset, n, size, null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).build();
  }

  @Override
  public Entry stat(String id) {
    guard.ensureOpen("stat");
    return entry(existing(id, "stat"));
  }

  @Override
  public void close() {
    guard.close();
  }

  private Path existing(String id, String operation) {
    Path p = root.resolve(id).normalize();
    if (!p.startsWith(root) || !Files.exists(p)) throw error(ErrorKind.NOT_FOUND, operation, id, "no such entry");
    return p;
  }

  private DriveException error(ErrorKind kind, String operation, String id, String why) {
    return DriveException.builder(kind, why).driver(LocalDirProvider.ID).operation(operation).target(id).build();
  }

  private Entry entry(Path p) {
    String id = p.equals(root) ? "." : root.relativize(p).toString();
    String parentId = p.equals(root) ? null : p.getParent().equals(root) ? "." : root.relativize(p.getParent()).toString();
    String name = p.equals(root) ? "" : p.getFileName().toString();
    try {
      return Files.isDirectory(p)
          ? Entry.folder(id, parentId, name, Files.getLastModifiedTime(p).toInstant())
          : Entry.file(id, parentId, name, size(p), Files.getLastModifiedTime(p).toInstant(), Hashes.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** At most {@code n} bytes of {@code in}: a ranged link serves the range, not the rest of the file. */
  private static InputStream limit(InputStream in, long n) {
    return new FilterInputStream(in) {
      long left = n;

      @Override
      public int read() throws IOException {
        if (left <= 0) return -1;
        int b = super.read();
        if (b >= 0) left--;
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        if (left <= 0) return -1;
        int r = super.read(buf, off, (int) Math.min(len, left));
        if (r > 0) left -= r;
        return r;
      }
    };
  }
}
