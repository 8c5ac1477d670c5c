package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.stream.Stream;

/**
 * {@code --demo}: starts the {@link DemoCloud} in this process, writes a mounts file (in a fresh
 * temporary folder) mounting it with the four 123 drivers, and makes up an admin password, so a
 * user sees the host working without any account. The driver plugins come from the {@code plugins}
 * folder next to the host's jar (Maven builds it as {@code examples/host/target/plugins}), or
 * from {@code --config}'s plugins folder when one is given.
 */
final class DemoSetup implements AutoCloseable {
  static final String ADMIN = "admin";

  private final DemoCloud cloud;
  private final HostConfig config;
  private final String password;
  private final Path dir;

  private DemoSetup(DemoCloud cloud, HostConfig config, String password, Path dir) {
    this.cloud = cloud;
    this.config = config;
    this.password = password;
    this.dir = dir;
  }

  static DemoSetup create(Path configFile) throws IOException {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    ObjectMapper mapper = Host.JSON;
    Path dir = Files.createTempDirectory("pan4j-host-demo");
    HostConfig base = configFile != null ? HostConfig.load(configFile, mapper) : HostConfig.defaults(dir);
    Path plugins = configFile != null ? base.pluginsDir() : pluginsNextToJar();
    if (!Files.isDirectory(plugins)) {
      throw new IOException("no plugins folder at " + plugins + "; build it from the repository root with:"
          + " mvn -o -q -pl examples/host -am package -DskipTests");
    }
    DemoCloud cloud = new DemoCloud(0);
    try {
      ObjectNode root = mapper.createObjectNode();
      cloud.demoMounts(root.putArray("mounts"));
      Path mounts = dir.resolve("mounts.json");
      HostFiles.writeOwnerOnly(mounts, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      String password = randomPassword();
      HostConfig config = base.withDirs(plugins, mounts).withAdmin(ADMIN, Auth.hash(password.toCharArray()));
      return new DemoSetup(cloud, config, password, dir);
    } catch (IOException | RuntimeException e) {
      cloud.close();
      throw e;
    }
  }

  /** {@code plugins} beside the folder or jar the host's classes come from (target/ in a Maven build). */
  static Path pluginsNextToJar() {
    try {
      Path where = Path.of(DemoSetup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return where.toAbsolutePath().getParent().resolve("plugins");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("plugins").toAbsolutePath();
    }
  }

  private static String randomPassword() {
    String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    SecureRandom r = new SecureRandom();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 12; i++) s.append(alphabet.charAt(r.nextInt(alphabet.length())));
    return s.toString();
  }

  HostConfig config() {
    return config;
  }

  /**
   * Starts the host on {@code config} (the demo's, with the command line's port and address) and
   * writes the demo mounts back as the admin page saves them: the seed file holds every option as
   * text, which only the loaded drivers' schemas can type ({@code "uploadThreads": 3}, not {@code "3"}).
   */
  Host start(HostConfig config, java.time.Clock clock) throws IOException {
    Host host = new Host(config, clock).start();
    try {
      host.mounts().save();
      return host;
    } catch (IOException | RuntimeException e) {
      host.close();
      throw e;
    }
  }

  void printWelcome(PrintStream out, Host host, String bind) {
    String base = "http://" + bind + ":" + host.port();
    out.println();
    out.println("Demo mode: a fake 123 cloud runs inside this process (nothing leaves this machine).");
    for (Mounts.Mount m : host.mounts().all()) {
      out.println("  " + base + "/b" + m.spec().path() + "   " + m.spec().driver()
          + (m.ok() ? "" : "   DISABLED: " + m.problem()));
    }
    out.println("Log in (uploads, folder operations, admin page) as " + ADMIN + " / " + password
        + "   (made up for this run)");
    out.println("Mounts file: " + config.mountsFile() + "   Stop with Ctrl-C.");
    out.flush();
  }

  @Override
  public void close() {
    cloud.close();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a temp folder; the OS cleans it
    }
  }
}
