package io.github.pan4j.examples.host;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.spi.DriverProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver plugins found in the plugins folder. Each plugin gets its own class loader whose
 * parent is the host's, so pan4j core types are shared while a plugin's private dependencies stay
 * private:
 * <ul>
 *   <li>{@code plugins/x.jar}: one jar, one class loader;
 *   <li>{@code plugins/x/} (a folder): every jar in it and in its {@code lib/} subfolder in one
 *       class loader (a driver plus its own dependencies).
 * </ul>
 * Providers are found with {@link ServiceLoader} in each plugin's loader; only the providers
 * defined by the plugin's own jars count: not ones its parent happens to see, and not ones in a
 * folder plugin's {@code lib/} jars, which are dependencies only (the 123 drivers carry
 * {@code pan4j-driver-123common} there).
 * A plugin that fails to load is reported, with the reason, and the others keep working.
 */
final class Plugins implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

  /** What one plugin provided and what went wrong with it. */
  record Plugin(String name, List<String> ids, List<String> problems) {}

  private final List<Plugin> plugins;
  private final List<String> problems;
  private final Drives drives;
  private final List<URLClassLoader> loaders;

  private Plugins(List<Plugin> plugins, List<String> problems, Drives drives, List<URLClassLoader> loaders) {
    this.plugins = List.copyOf(plugins);
    this.problems = List.copyOf(problems);
    this.drives = drives;
    this.loaders = loaders;
  }

  static Plugins load(Path dir, ClassLoader parent) {
    List<Plugin> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<DriverProvider<?>> providers = new ArrayList<>();
    List<URLClassLoader> loaders = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.add("plugins folder " + dir + " does not exist; create it and put driver jars in it");
    } else {
      List<Path> items;
      try (Stream<Path> s = Files.list(dir)) {
        items = s.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar")).sorted().toList();
      } catch (IOException e) {
        items = List.of();
        problems.add("cannot read plugins folder " + dir + ": " + e);
      }
      for (Path item : items) {
        String name = item.getFileName().toString();
        List<String> ids = new ArrayList<>();
        List<String> pluginProblems = new ArrayList<>();
        try {
          List<URL> own = jars(item);
          List<URL> all = new ArrayList<>(own);
          if (Files.isDirectory(item.resolve("lib"))) all.addAll(jars(item.resolve("lib")));
          if (own.isEmpty()) {
            pluginProblems.add("no jar files in " + item);
          } else {
            URLClassLoader loader = new URLClassLoader("pan4j-plugin-" + name, all.toArray(URL[]::new), parent);
            loaders.add(loader);
            discover(loader, own, ids, pluginProblems, providers);
            if (ids.isEmpty() && pluginProblems.isEmpty()) {
              pluginProblems.add("no driver found: the jar has no META-INF/services/io.github.pan4j.core.spi.DriverProvider entry");
            }
          }
        } catch (IOException | RuntimeException | LinkageError e) {
          pluginProblems.add("cannot load: " + e);
        }
        for (String p : pluginProblems) LOG.warn("plugin {}: {}", name, p);
        if (!ids.isEmpty()) LOG.info("plugin {}: drivers {}", name, ids);
        found.add(new Plugin(name, List.copyOf(ids), List.copyOf(pluginProblems)));
      }
    }
    Drives drives = Drives.of(providers);
    problems.addAll(drives.problems());
    for (String p : problems) LOG.warn("plugins: {}", p);
    return new Plugins(found, problems, drives, loaders);
  }

  @SuppressWarnings("rawtypes")
  private static void discover(ClassLoader loader, List<URL> own, List<String> ids, List<String> problems,
      List<DriverProvider<?>> out) {
    Iterator<DriverProvider> it = ServiceLoader.load(DriverProvider.class, loader).iterator();
    for (int guard = 0; guard < 100; guard++) {
      DriverProvider<?> p;
      try {
        if (!it.hasNext()) return;
        p = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        problems.add(describe(e));
        continue;
      }
      if (p.getClass().getClassLoader() != loader) continue; // seen through the parent, not ours
      if (!fromJars(p.getClass(), own)) continue; // a dependency in lib/, not the plugin's driver
      try {
        // Touch what the host needs before any mount uses it: a jar missing the driver class (or
        // one of its dependencies) fails here, with the class named, instead of at first use.
        String id = p.id();
        p.schema();
        p.capabilities();
        ids.add(id);
        out.add(p);
      } catch (RuntimeException | LinkageError e) {
        problems.add(p.getClass().getName() + " is unusable: " + e);
      }
    }
  }

  /** The plugin's own jars: the jar itself, or the jars directly in the folder (not in lib/). */
  private static List<URL> jars(Path item) throws IOException {
    if (!Files.isDirectory(item)) return List.of(toUrl(item));
    try (Stream<Path> s = Files.list(item)) {
      List<URL> urls = new ArrayList<>();
      for (Path p : s.filter(x -> Files.isRegularFile(x) && x.getFileName().toString().endsWith(".jar")).sorted().toList()) {
        urls.add(toUrl(p));
      }
      return urls;
    }
  }

  private static boolean fromJars(Class<?> c, List<URL> jars) {
    java.security.CodeSource cs = c.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) return false;
    try {
      URI where = cs.getLocation().toURI();
      for (URL u : jars) if (u.toURI().equals(where)) return true;
    } catch (URISyntaxException e) {
      return false;
    }
    return false;
  }

  private static URL toUrl(Path p) throws MalformedURLException {
    return p.toUri().toURL();
  }

  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) s.append("; caused by ").append(c);
    return s.toString();
  }

  List<Plugin> plugins() {
    return plugins;
  }

  /** Problems not tied to one plugin (missing folder, an id claimed twice). */
  List<String> problems() {
    return problems;
  }

  Drives drives() {
    return drives;
  }

  /** Why driver {@code id} cannot be used, or null when it can. */
  String unavailable(String id) {
    try {
      drives.provider(id);
      return null;
    } catch (DriveException e) {
      StringBuilder s = new StringBuilder(e.getMessage());
      List<String> broken = new ArrayList<>();
      for (Plugin p : plugins) if (!p.problems().isEmpty()) broken.add(p.name() + " (" + String.join("; ", p.problems()) + ")");
      if (!broken.isEmpty()) s.append(". Plugins that failed to load: ").append(String.join(", ", broken));
      return s.toString();
    }
  }

  @Override
  public void close() {
    for (URLClassLoader l : loaders) {
      try {
        l.close();
      } catch (IOException e) {
        LOG.debug("closing {}", l.getName(), e);
      }
    }
  }
}
