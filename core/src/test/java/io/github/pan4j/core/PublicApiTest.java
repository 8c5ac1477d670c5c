package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.spi.DriverContext;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What core's exported packages show a user: no OkHttp, Okio, Jackson, Caffeine or Kotlin type in
 * a public or protected signature, except the HTTP client a program may bring
 * ({@link DriverContext#httpClient()}, documented there). Plumbing that needs those types lives
 * in a package exported to pan4j's own modules only.
 */
class PublicApiTest {
  private static final List<String> FOREIGN = List.of("okhttp3.", "okio.", "com.fasterxml.", "com.github.benmanes.", "kotlin.");
  private static final Set<String> ALLOWED = Set.of(
      "io.github.pan4j.core.spi.DriverContext#httpClient",
      "io.github.pan4j.core.spi.DriverContext$Builder#httpClient");

  private static Path classes() throws Exception {
    return Path.of(DriverContext.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ModuleDescriptor descriptor() throws Exception {
    try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportedSignatures_carryNoThirdPartyTypes_butTheHttpClientAUserMayBring() throws Exception {
    Set<String> found = new TreeSet<>();
    int checked = 0;
    for (ModuleDescriptor.Exports e : descriptor().exports()) {
      if (e.isQualified()) continue;
      Path dir = classes().resolve(e.source().replace('.', '/'));
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(p -> p.toString().endsWith(".class")).toList();
      }
      for (Path f : files) {
        String name = e.source() + "." + f.getFileName().toString().replace(".class", "");
        Class<?> c = Class.forName(name, false, getClass().getClassLoader());
        if (!visible(c)) continue;
        checked++;
        List<Type> types = new ArrayList<>();
        if (c.getGenericSuperclass() != null) types.add(c.getGenericSuperclass());
        types.addAll(List.of(c.getGenericInterfaces()));
        types.forEach(t -> note(found, c.getName(), "extends", t));
        for (Method m : c.getDeclaredMethods()) {
          if (!exposed(m.getModifiers()) || m.isSynthetic()) continue;
          note(found, c.getName(), m.getName(), m.getGenericReturnType());
          for (Type p : m.getGenericParameterTypes()) note(found, c.getName(), m.getName(), p);
          for (Type x : m.getGenericExceptionTypes()) note(found, c.getName(), m.getName(), x);
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
          if (!exposed(k.getModifiers())) continue;
          for (Type p : k.getGenericParameterTypes()) note(found, c.getName(), "<init>", p);
        }
        for (Field fl : c.getDeclaredFields()) {
          if (exposed(fl.getModifiers())) note(found, c.getName(), fl.getName(), fl.getGenericType());
        }
      }
    }
    assertTrue(checked > 50, "looked at the public classes of the exported packages: " + checked);
    Set<String> internal = new TreeSet<>();
    found.removeIf(f -> f.contains("io.github.pan4j.core.internal.") && internal.add(f));
    assertEquals(Set.of(), found, "third-party types in core's public signatures");
    assertEquals(Set.of(), internal, "core's unexported internal types in its public signatures");
  }

  @Test
  void theTokenManager_showsUsersItsBuilderAndRefresher_notTheEnginesRenewalHook() {
    Set<String> nested = new TreeSet<>();
    for (Class<?> c : io.github.pan4j.core.auth.TokenManager.class.getDeclaredClasses()) {
      if (Modifier.isPublic(c.getModifiers())) nested.add(c.getSimpleName());
    }
    assertEquals(Set.of("Builder", "Refresher"), nested);
    for (Method m : io.github.pan4j.core.auth.TokenManager.class.getMethods()) {
      assertFalse(m.getName().contains("Watched"), m.toString());
    }
    for (Method m : io.github.pan4j.core.spi.http.TokenSource.class.getMethods()) {
      assertFalse(m.getName().contains("Watched") || m.getParameterCount() > 1, m.toString());
    }
  }

  @Test
  void theInternalPlumbing_isExportedToPan4jModulesOnly() throws Exception {
    ModuleDescriptor d = descriptor();
    ModuleDescriptor.Exports internal = d.exports().stream()
        .filter(e -> e.source().equals("io.github.pan4j.core.internal.http")).findFirst().orElseThrow();
    assertTrue(internal.isQualified());
    assertTrue(internal.targets().stream().allMatch(t -> t.startsWith("io.github.pan4j.")), internal.targets().toString());
    assertFalse(d.exports().stream().anyMatch(e -> e.source().equals("io.github.pan4j.core.internal")));
    assertFalse(d.requires().stream().anyMatch(r -> r.name().equals("com.fasterxml.jackson.databind")
        && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)), "Jackson is not part of core's API");
  }

  private static boolean visible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      if (!Modifier.isPublic(k.getModifiers()) && !(k != c && Modifier.isProtected(k.getModifiers()))) return false;
    }
    return !c.isAnonymousClass() && !c.isLocalClass() && !c.isSynthetic();
  }

  private static boolean exposed(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void note(Set<String> found, String owner, String member, Type t) {
    String text = t.getTypeName();
    if (FOREIGN.stream().noneMatch(text::contains) && !text.contains("io.github.pan4j.core.internal.")) return;
    if (ALLOWED.contains(owner + "#" + member)) return;
    found.add(owner + "#" + member + ": " + text);
  }
}
