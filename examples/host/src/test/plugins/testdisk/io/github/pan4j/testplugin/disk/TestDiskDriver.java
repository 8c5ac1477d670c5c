package io.github.pan4j.testplugin.disk;

import io.github.pan4j.core.ConflictPolicy;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.StorageDetails;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.internal.http.HttpLinks;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Ids are the file system's file keys (inode numbers), so they stay stable across renames and
 * moves as the SPI expects; "" is the root.
 */
final class TestDiskDriver implements Driver, Driver.Stat, Driver.Mkdir, Driver.Rename, Driver.Move, Driver.Remove,
    Driver.Upload, Driver.StorageInfo {
  private final Path root;
  private final String baseUrl;
  private final String referer;
  private final int pageSize;
  private final long quota;
  private final Link.Opener opener;
  private final boolean unknownSizes;

  TestDiskDriver(Options o, DriverContext context) {
    this.root = Path.of(o.string("root")).toAbsolutePath().normalize();
    this.baseUrl = o.string("baseUrl").replaceAll("/+$", "");
    this.referer = o.string("referer");
    this.pageSize = o.intValue("pageSize");
    this.quota = o.integer("quotaBytes");
    this.unknownSizes = o.bool("unknownSizes");
    this.opener = HttpLinks.opener(context.httpClient());
    if (!Files.isDirectory(root)) throw DriveException.builder(ErrorKind.CONFIG_INVALID, "root " + root + " is not a folder").driver("testdisk").build();
  }

  @Override public String id() { return "testdisk"; }
  @Override public String rootId() { return ""; }

  private final java.util.Map<String, Path> paths = new java.util.concurrent.ConcurrentHashMap<>();

  private Path file(String id) {
    if (id.isEmpty()) return root;
    Path cached = paths.get(id);
    if (cached != null && Files.exists(cached) && id.equals(idOf(cached))) return cached;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) if (id.equals(idOf(p))) {
        paths.put(id, p);
        return p;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw DriveException.of(ErrorKind.NOT_FOUND, "no entry with id " + id);
  }

  private String idOf(Path p) {
    if (p.equals(root)) return "";
    try {
      String key = "k" + String.valueOf(Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
          .replaceAll("[^0-9a-z]", "");
      paths.put(key, p);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The path relative to the root, for CDN URLs. */
  private String relative(Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  private Entry entry(Path p) {
    try {
      String id = idOf(p);
      String parent = id.isEmpty() ? null : idOf(p.getParent());
      String name = id.isEmpty() ? "" : p.getFileName().toString();
      if (Files.isDirectory(p)) return Entry.folder(id, parent, name, Files.getLastModifiedTime(p).toInstant());
      return Entry.file(id, parent, name, unknownSizes ? -1 : Files.size(p), Files.getLastModifiedTime(p).toInstant(), Hashes.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Page list(String folderId, String cursor) {
    Path dir = file(folderId);
    if (!Files.isDirectory(dir)) throw DriveException.of(Files.exists(dir) ? ErrorKind.NOT_A_DIRECTORY : ErrorKind.NOT_FOUND, "no folder " + folderId);
    List<Path> all;
    try (Stream<Path> s = Files.list(dir)) {
      all = s.sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int from = cursor == null ? 0 : Integer.parseInt(cursor);
    int to = Math.min(all.size(), from + pageSize);
    List<Entry> out = new ArrayList<>();
    for (Path p : all.subList(from, to)) out.add(entry(p));
    return new Page(out, to < all.size() ? String.valueOf(to) : null);
  }

  @Override
  public Link link(String fileId) {
    Path p = file(fileId);
    if (!Files.exists(p)) throw DriveException.of(ErrorKind.NOT_FOUND, "no file " + fileId);
    if (Files.isDirectory(p)) throw DriveException.of(ErrorKind.IS_A_DIRECTORY, fileId + " is a folder");
    StringBuilder url = new StringBuilder(baseUrl);
    for (String seg : relative(p).split("/")) url.append('/').append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
    Link.Builder b = Link.builder(url.toString()).contentLength(entry(p).size()).opener(opener);
    if (referer != null) b.header("Referer", referer).preferProxy(true);
    return b.build();
  }

  @Override
  public Entry stat(String id) {
    return entry(file(id));
  }

  @Override
  public Entry mkdir(String parentId, String name) {
    Path p = file(parentId).resolve(name);
    if (Files.exists(p)) throw DriveException.of(ErrorKind.ALREADY_EXISTS, name + " exists");
    try {
      Files.createDirectory(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entry(p);
  }

  @Override
  public Entry rename(String id, String newName) {
    Path p = file(id);
    Path q = p.resolveSibling(newName);
    if (Files.exists(q)) throw DriveException.of(ErrorKind.ALREADY_EXISTS, newName + " exists");
    try {
      Files.move(p, q);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entry(q);
  }

  @Override
  public void move(List<String> ids, String newParentId) {
    for (String id : ids) {
      Path p = file(id);
      try {
        Files.move(p, file(newParentId).resolve(p.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void remove(List<String> ids) {
    for (String id : ids) {
      Path target;
      try {
        target = file(id);
      } catch (DriveException gone) {
        continue; // removing what is already gone succeeds
      }
      try (Stream<Path> s = Files.walk(target)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      } catch (java.nio.file.NoSuchFileException e) {
        // already gone
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public Entry upload(String parentId, String name, UploadSource source, UploadOptions options) {
    Path p = file(parentId).resolve(name);
    if (Files.exists(p) && options.conflict() == ConflictPolicy.FAIL) {
      throw DriveException.of(ErrorKind.ALREADY_EXISTS, name + " exists");
    }
    try (InputStream in = source.open(0, source.size())) {
      Path tmp = Files.createTempFile(p.getParent(), ".up", ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entry(p);
  }

  @Override
  public StorageDetails storageDetails() {
    long used;
    try (Stream<Path> s = Files.walk(root)) {
      used = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new StorageDetails(quota, used, true, "Test plan", Map.of("region", "east"));
  }
}
