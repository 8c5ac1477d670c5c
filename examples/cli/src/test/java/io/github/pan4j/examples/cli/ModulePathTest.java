package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * pan4j on the module path: core, the fake cloud and the four drivers resolve as named modules (their
 * module-info requires/exports are complete), and ServiceLoader finds every driver through the
 * {@code provides} clauses alone — META-INF/services files are ignored for named modules, so
 * this proves the second registration, while the other tests run on the class path.
 */
class ModulePathTest {
  private static final Set<String> PAN4J_MODULES = Set.of(
      "io.github.pan4j.core", "io.github.pan4j.testkit.fake", "io.github.pan4j.driver.open123",
      "io.github.pan4j.driver.pan123", "io.github.pan4j.driver.link123", "io.github.pan4j.driver.share123");

  @Test
  void everyDriver_isFoundThroughProvides_onTheModulePath() throws Exception {
    List<Path> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e);
      // Leave out this module's own (unnamed) classes and the test runner's jars.
      if (p.toString().contains("examples" + File.separator + "cli") || p.toString().contains("surefire")) continue;
      if (Files.exists(p)) entries.add(p);
    }
    ModuleFinder finder = ModuleFinder.of(entries.toArray(Path[]::new));
    Configuration config = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), PAN4J_MODULES);
    ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());

    Class<?> spi = layer.findLoader("io.github.pan4j.core").loadClass("io.github.pan4j.core.spi.DriverProvider");
    assertTrue(spi.getModule().isNamed(), "core must be a named module here");
    Set<String> ids = new TreeSet<>();
    Method id = spi.getMethod("id");
    @SuppressWarnings("unchecked")
    ServiceLoader<Object> loader = ServiceLoader.load(layer, (Class<Object>) spi);
    for (Object provider : loader) {
      assertTrue(provider.getClass().getModule().isNamed(), provider.getClass() + " should come from a named module");
      ids.add((String) id.invoke(provider));
    }
    assertEquals(Set.of("123link", "123open", "123pan", "123share", "memory"), ids);

    // And a drive really opens there: the memory driver through the registry of that layer.
    Class<?> drives = layer.findLoader("io.github.pan4j.core").loadClass("io.github.pan4j.core.Drives");
    Object drive = drives.getMethod("open", String.class, Map.class).invoke(null, "memory", Map.of());
    Object listing = drive.getClass().getMethod("ls", String.class).invoke(drive, "/");
    assertEquals(List.of(), listing);
    ((AutoCloseable) drive).close();
  }
}
