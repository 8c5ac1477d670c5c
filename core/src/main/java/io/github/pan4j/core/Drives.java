package io.github.pan4j.core;

import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import java.security.CodeSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The registry of drivers: finds {@link DriverProvider}s with {@link ServiceLoader} and opens
 * {@link Drive}s by driver id.
 *
 * <pre>{@code
 * Drive drive = Drives.open("memory", Map.of());                      // JShell, scripts
 * Drives drives = Drives.create(pluginClassLoader);                   // plugin hosts
 * Drive d2 = drives.open("123open", options, DriverContext.defaults());
 * System.out.println(drives.describe());                              // ids, capabilities, options
 * }</pre>
 *
 * <p>Errors, all {@link DriveException} of kind {@link ErrorKind#CONFIG_INVALID} (the id is part
 * of the configuration a host stores, and the fix is to change it):
 * <ul>
 *   <li>an unknown id: the message lists the known ids, sorted;
 *   <li>an id claimed by two providers: the message names both classes (and their jars) and how to
 *       resolve it; pan4j never picks one silently. Other ids keep working;
 *   <li>invalid options: from the provider's {@link ConfigSchema#parse}.
 * </ul>
 *
 * <p>A provider that cannot be loaded (missing class, failing constructor, bad service file) does
 * not hide the others: it is skipped and reported by {@link #problems()} and {@link #describe()}.
 *
 * <p>Discovery happens once, when the registry is created; instances are immutable and
 * thread-safe. A registry does not own the drives it opens: close each {@link Drive}.
 */
public final class Drives {
  private static final int MAX_LOAD_ERRORS = 100;

  private final List<DriverProvider<?>> providers;
  private final Map<String, List<DriverProvider<?>>> byId;
  private final List<String> problems;

  private Drives(Collection<? extends DriverProvider<?>> found, List<String> loadProblems) {
    List<DriverProvider<?>> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.<DriverProvider<?>, String>comparing(DriverProvider::id).thenComparing(p -> p.getClass().getName()));
    this.providers = List.copyOf(sorted);
    Map<String, List<DriverProvider<?>>> m = new LinkedHashMap<>();
    for (DriverProvider<?> p : sorted) m.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
    m.replaceAll((k, v) -> List.copyOf(v));
    this.byId = Map.copyOf(m);
    List<String> all = new ArrayList<>(loadProblems);
    m.forEach((id, ps) -> {
      if (ps.size() > 1) all.add(ambiguity(id, ps));
    });
    this.problems = List.copyOf(all);
  }

  /**
   * A registry of the providers visible to the thread's context class loader and to the class
   * loader of pan4j core (each provider class counted once).
   */
  public static Drives create() {
    ClassLoader own = Drives.class.getClassLoader();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    List<ClassLoader> loaders = new ArrayList<>();
    if (context != null) loaders.add(context);
    if (own != context) loaders.add(own);
    return load(loaders);
  }

  /** A registry of the providers visible to {@code loader} (for plugin hosts). */
  public static Drives create(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    return load(List.of(loader));
  }

  /** A registry of exactly these providers, without discovery (tests, custom wiring). */
  public static Drives of(Collection<? extends DriverProvider<?>> providers) {
    Objects.requireNonNull(providers, "providers");
    List<String> problems = new ArrayList<>();
    List<DriverProvider<?>> valid = new ArrayList<>();
    for (DriverProvider<?> p : providers) {
      String problem = checkId(p);
      if (problem == null) valid.add(p);
      else problems.add(problem);
    }
    return new Drives(valid, problems);
  }

  /**
   * Opens a drive with the default registry ({@link #create()}) and the shared
   * {@link DriverContext#defaults()}: the JShell entry point, {@code Drives.open("memory", Map.of())}.
   * Tokens persist in {@link io.github.pan4j.core.auth.TokenStores#persistent()} (a file under the
   * user's state folder), so repeated runs reuse one token instead of minting one each.
   * Hosts with their own class loader or context use {@link #open(String, Map, DriverContext)} on
   * their registry instead.
   *
   * @throws DriveException CONFIG_INVALID for an unknown or ambiguous id or bad options
   */
  public static Drive open(String id, Map<String, String> options) {
    return create().open(id, options, DriverContext.defaults());
  }

  /** {@link #open(String, Map)} without options, for drivers that need none ({@code Drives.open("memory")}). */
  public static Drive open(String id) {
    return open(id, Map.of());
  }

  /**
   * Parses {@code options} with the provider's schema and opens a drive. The drive's path cache
   * runs on the context's clock when that is not the system clock, so a fake clock in tests also
   * ages the cache.
   *
   * @throws DriveException CONFIG_INVALID for an unknown or ambiguous id or bad options
   */
  public Drive open(String id, Map<String, String> options, DriverContext context) {
    return open(id, options, context, b -> {});
  }

  /**
   * Like {@link #open(String, Map, DriverContext)}, with the drive's caches tuned by {@code tuning},
   * e.g. {@code b -> b.entryTtl(Duration.ofSeconds(10))}. The builder already runs on the
   * context's clock.
   *
   * @throws DriveException CONFIG_INVALID for an unknown or ambiguous id or bad options
   */
  public Drive open(String id, Map<String, String> options, DriverContext context, Consumer<Drive.Builder> tuning) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(tuning, "tuning");
    DriverProvider<?> provider = provider(id);
    Driver driver = provider.openWith(options, context);
    try {
      Drive.Builder b = Drive.builder(driver).ticker(ticker(context.clock()));
      tuning.accept(b);
      return b.build();
    } catch (RuntimeException e) {
      driver.close();
      throw e;
    }
  }

  /** All providers found, sorted by id (then class name, when an id is claimed twice). */
  public List<DriverProvider<?>> providers() {
    return providers;
  }

  /** The driver ids found, sorted. */
  public SortedSet<String> ids() {
    return new TreeSet<>(byId.keySet());
  }

  /**
   * The provider of {@code id}.
   *
   * @throws DriveException CONFIG_INVALID when no provider or more than one claims it
   */
  public DriverProvider<?> provider(String id) {
    Objects.requireNonNull(id, "id");
    List<DriverProvider<?>> ps = byId.get(id);
    if (ps == null) {
      String known = byId.isEmpty() ? "none; add a driver jar (such as pan4j-driver-123open) to the class path"
          : String.join(", ", ids());
      String hint = byId.containsKey(id.toLowerCase(Locale.ROOT)) ? " (ids are lower case: try '" + id.toLowerCase(Locale.ROOT) + "')" : "";
      throw DriveException.builder(ErrorKind.CONFIG_INVALID, "unknown driver id '" + id + "'" + hint + "; known ids: " + known)
          .operation("open").target(id).build();
    }
    if (ps.size() > 1) {
      throw DriveException.builder(ErrorKind.CONFIG_INVALID, ambiguity(id, ps)).operation("open").target(id).build();
    }
    return ps.get(0);
  }

  /** The provider of {@code id}, or empty when none or more than one claims it. */
  public Optional<DriverProvider<?>> findProvider(String id) {
    List<DriverProvider<?>> ps = byId.get(id);
    return ps == null || ps.size() != 1 ? Optional.empty() : Optional.of(ps.get(0));
  }

  /**
   * What went wrong during discovery, one line each: providers that failed to load, invalid ids,
   * ids claimed twice. Empty when all is well.
   */
  public List<String> problems() {
    return problems;
  }

  /**
   * A text for people: each provider with its id, name, class, capabilities and options (type,
   * required/default, secrets marked), then any {@link #problems()}.
   */
  public String describe() {
    StringBuilder s = new StringBuilder();
    if (providers.isEmpty()) s.append("no drivers found; add a driver jar to the class path\n");
    for (DriverProvider<?> p : providers) {
      s.append(p.id()).append(" - ").append(safe(p::displayName)).append("  [").append(p.getClass().getName()).append("]\n");
      s.append("  capabilities: ").append(safe(() -> p.capabilities().stream().map(Capability::operation)
          .collect(Collectors.joining(", ")))).append('\n');
      ConfigSchema schema;
      try {
        schema = p.schema();
      } catch (RuntimeException e) {
        s.append("  options: unavailable (").append(e).append(")\n");
        continue;
      }
      if (schema.options().isEmpty()) {
        s.append("  options: none\n");
        continue;
      }
      s.append("  options:\n");
      int width = schema.options().stream().mapToInt(o -> o.key().length()).max().orElse(0);
      for (OptionSpec o : schema.options()) {
        s.append("    ").append(String.format("%-" + width + "s", o.key())).append("  ").append(o.type());
        if (o.required()) s.append(", required");
        if (o.defaultValue() != null) s.append(", default ").append(o.secret() ? "****" : o.defaultValue());
        if (o.min() != null || (o.max() != null && o.max() != Long.MAX_VALUE)) {
          s.append(", range ").append(o.min() == null ? "" : o.min()).append("..")
              .append(o.max() == null || o.max() == Long.MAX_VALUE ? "" : o.max());
        }
        if (!o.choices().isEmpty()) s.append(", one of ").append(o.choices());
        if (o.secret()) s.append(", secret");
        if (o.deprecated()) s.append(", deprecated (").append(o.deprecation()).append(')');
        s.append(" - ").append(o.description()).append('\n');
      }
    }
    if (!problems.isEmpty()) {
      s.append("problems:\n");
      for (String p : problems) s.append("  ").append(p).append('\n');
    }
    return s.toString();
  }

  /** One line: {@code Drives{ids=[123open, memory]}} (plus the number of problems, if any). */
  @Override
  public String toString() {
    return "Drives{ids=" + ids() + (problems.isEmpty() ? "" : ", problems=" + problems.size()) + "}";
  }

  // ---------------------------------------------------------------- internals

  @SuppressWarnings("rawtypes")
  private static Drives load(List<ClassLoader> loaders) {
    Map<Class<?>, DriverProvider<?>> found = new LinkedHashMap<>();
    Map<Class<?>, Boolean> seen = new IdentityHashMap<>();
    List<String> problems = new ArrayList<>();
    Set<String> problemTexts = new TreeSet<>();
    for (ClassLoader loader : loaders) {
      Iterator<DriverProvider> it = ServiceLoader.load(DriverProvider.class, loader).iterator();
      int errors = 0;
      while (true) {
        DriverProvider<?> p;
        try {
          if (!it.hasNext()) break;
          p = it.next();
        } catch (ServiceConfigurationError e) {
          // ServiceLoader goes on with the next provider after an error; a loop guard all the same.
          if (problemTexts.add(e.getMessage())) problems.add("provider not loaded: " + describe(e));
          if (++errors >= MAX_LOAD_ERRORS) break;
          continue;
        }
        if (seen.put(p.getClass(), Boolean.TRUE) != null) continue; // same class via a parent loader
        String problem = checkId(p);
        if (problem == null) found.put(p.getClass(), p);
        else problems.add(problem);
      }
    }
    return new Drives(found.values(), problems);
  }

  private static String checkId(DriverProvider<?> p) {
    String id;
    try {
      id = p.id();
    } catch (RuntimeException e) {
      return "provider " + p.getClass().getName() + " skipped: id() threw " + e;
    }
    if (id == null || id.isBlank() || !id.equals(id.trim()) || !id.equals(id.toLowerCase(Locale.ROOT))) {
      return "provider " + p.getClass().getName() + " skipped: its id '" + id + "' must be lower case, without spaces";
    }
    return null;
  }

  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) s.append("; caused by ").append(c);
    return s.toString();
  }

  private static String ambiguity(String id, List<DriverProvider<?>> ps) {
    String classes = ps.stream().map(p -> p.getClass().getName() + where(p.getClass())).collect(Collectors.joining(" and "));
    return "driver id '" + id + "' is claimed by " + ps.size() + " providers: " + classes
        + "; remove one of them from the class path, or create the registry with Drives.create(ClassLoader)"
        + " using a class loader that sees only one";
  }

  private static String where(Class<?> c) {
    try {
      CodeSource cs = c.getProtectionDomain().getCodeSource();
      return cs == null || cs.getLocation() == null ? "" : " (from " + cs.getLocation() + ")";
    } catch (SecurityException e) {
      return "";
    }
  }

  private static String safe(java.util.function.Supplier<String> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      return "unavailable (" + e + ")";
    }
  }

  private static LongSupplier ticker(Clock clock) {
    if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) return System::nanoTime;
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }
}
