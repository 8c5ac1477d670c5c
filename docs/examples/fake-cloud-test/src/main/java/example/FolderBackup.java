package example;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The code under test: copies every file under a local folder into a folder of a drive. */
public final class FolderBackup {
  private final Drive drive;

  public FolderBackup(Drive drive) {
    this.drive = drive;
  }

  /** Uploads each file under {@code local} to the same relative path under {@code remote}. */
  public List<Entry> backup(Path local, String remote) throws IOException {
    List<Entry> stored = new ArrayList<>();
    drive.mkdirs(remote);
    try (Stream<Path> files = Files.walk(local)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String target = remote + "/" + local.relativize(file).toString().replace('\\', '/');
        drive.mkdirs(target.substring(0, target.lastIndexOf('/')));
        stored.add(drive.put(target, file));
      }
    }
    return stored;
  }
}
