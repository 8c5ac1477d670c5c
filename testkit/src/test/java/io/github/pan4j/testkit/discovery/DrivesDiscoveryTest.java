package io.github.pan4j.testkit.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import io.github.pan4j.core.memory.MemoryDriverProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery through ServiceLoader: what is found, how clashes and broken plugins are reported. */
class DrivesDiscoveryTest {
  @TempDir
  Path pluginDir;

  /** A plugin-style class loader whose only own resource is a service file naming {@code classes}. */
  private URLClassLoader pluginLoader(String... classes) throws IOException {
    Path services = Files.createDirectories(pluginDir.resolve("META-INF/services"));
    Files.write(services.resolve(DriverProvider.class.getName()), List.of(classes));
    return new URLClassLoader(new URL[] {pluginDir.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void create_default_findsMemoryViaServiceLoader() {
    Drives drives = Drives.create();
    assertTrue(drives.ids().contains("memory"), drives.toString());
    assertInstanceOf(MemoryDriverProvider.class, drives.provider("memory"));
    assertEquals(List.of(), drives.problems());
  }

  @Test
  void providers_sortedById() throws IOException {
    try (URLClassLoader loader = pluginLoader(TestProviders.Last.class.getName(), TestProviders.First.class.getName())) {
      Drives drives = Drives.create(loader);
      assertEquals(List.of("aaa-test", "memory", "zzz-test"), drives.providers().stream().map(DriverProvider::id).toList());
    }
  }

  @Test
  void open_unknownId_throwsConfigInvalidListingKnownIdsSorted() throws IOException {
    try (URLClassLoader loader = pluginLoader(TestProviders.Last.class.getName(), TestProviders.First.class.getName())) {
      Drives drives = Drives.create(loader);
      DriveException e = assertThrows(DriveException.class, () -> drives.open("nope", Map.of(), DriverContext.defaults()));
      assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
      assertEquals("open nope: unknown driver id 'nope'; known ids: aaa-test, memory, zzz-test", e.getMessage());
    }
  }

  @Test
  void open_upperCaseId_hintsAtLowerCase() {
    DriveException e = assertThrows(DriveException.class, () -> Drives.open("Memory", Map.of()));
    assertTrue(e.getMessage().contains("try 'memory'"), e.getMessage());
  }

  @Test
  void open_idClaimedTwice_throwsNamingBothClassesAndTheFix() throws IOException {
    try (URLClassLoader loader = pluginLoader(TestProviders.ClashingMemory.class.getName(), TestProviders.First.class.getName())) {
      Drives drives = Drives.create(loader);
      DriveException e = assertThrows(DriveException.class, () -> drives.open("memory", Map.of(), DriverContext.defaults()));
      assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
      assertTrue(e.getMessage().contains(MemoryDriverProvider.class.getName()), e.getMessage());
      assertTrue(e.getMessage().contains(TestProviders.ClashingMemory.class.getName()), e.getMessage());
      assertTrue(e.getMessage().contains("remove one of them from the class path"), e.getMessage());
      assertTrue(e.getMessage().contains("Drives.create(ClassLoader)"), e.getMessage());
      assertEquals(1, drives.problems().size(), drives.problems().toString());
      assertTrue(drives.problems().get(0).contains("'memory' is claimed by 2 providers"), drives.problems().toString());
      assertTrue(drives.findProvider("memory").isEmpty(), "an ambiguous id is never resolved silently");
      try (Drive other = drives.open("aaa-test", Map.of("region", "eu"), DriverContext.defaults())) {
        assertEquals("memory", other.id(), "other ids keep working");
      }
    }
  }

  @Test
  void create_brokenProviders_reportedWithoutHidingOthers() throws IOException {
    try (URLClassLoader loader = pluginLoader("com.example.DoesNotExist", TestProviders.Exploding.class.getName(),
        TestProviders.BadId.class.getName(), TestProviders.First.class.getName())) {
      Drives drives = Drives.create(loader);
      assertEquals(List.of("aaa-test", "memory"), List.copyOf(drives.ids()));
      List<String> problems = drives.problems();
      assertEquals(3, problems.size(), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.contains("com.example.DoesNotExist")), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.contains("Exploding") && p.contains("dependency missing")), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.contains("BadId") && p.contains("lower case")), problems.toString());
      assertTrue(drives.describe().contains("problems:"), drives.describe());
    }
  }

  @Test
  void describe_listsProvidersCapabilitiesOptionsAndMarksSecrets() throws IOException {
    try (URLClassLoader loader = pluginLoader(TestProviders.First.class.getName())) {
      String text = Drives.create(loader).describe();
      assertTrue(text.contains("memory - In-memory drive  [" + MemoryDriverProvider.class.getName() + "]"), text);
      assertTrue(text.contains("capabilities: list, link, stat, mkdir, rename, move, remove, upload, copy, storage_details, trash, offline_download, offline_tasks, instant_upload"), text);
      assertTrue(text.contains("pageSize             INT, default 100, range 1..100000"), text);
      assertTrue(text.contains("apiKey  SECRET, default ****, secret"), text);
      assertTrue(text.contains("region  ENUM, required, one of [eu, us]"), text);
      assertFalse(text.contains("hunter2"), "secret defaults are never shown");
    }
  }

  @Test
  void open_static_opensMemoryFromJShellStyleCall() {
    try (Drive drive = Drives.open("memory", Map.of())) {
      drive.put("/hello.txt", "hi".getBytes());
      assertEquals(List.of("hello.txt"), drive.ls("/").stream().map(Entry::name).toList());
    }
  }

  @Test
  void open_badOptions_throwsConfigInvalidNamingEachOption() {
    DriveException e = assertThrows(DriveException.class, () -> Drives.open("memory", Map.of("pageSize", "0", "pagesize", "5")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("option 'pageSize' must be between 1 and 100000 but was 0"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown option 'pagesize'"), e.getMessage());
  }

  @Test
  void of_explicitProviders_skipsDiscovery() {
    Drives drives = Drives.of(List.of(new MemoryDriverProvider()));
    assertEquals(List.of("memory"), List.copyOf(drives.ids()));
    assertEquals("Drives{ids=[memory]}", drives.toString());
  }
}
