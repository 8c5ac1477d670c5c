package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.Capability;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.spi.DriverProvider;
import io.github.pan4j.core.spi.DriverContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The mount table: which driver (with which options and download mode) serves which path, read
 * from and saved to the mounts file. A mount whose driver is missing or fails to open is kept,
 * disabled, with the reason; the other mounts are not affected.
 *
 * <p>Saving a mount reopens it and the mounts that download through it. New requests go to the
 * new drives at once; a replaced drive is closed once the requests running on it (directly, or
 * by a mount downloading through it; each holds its drives through a {@link Use}) have ended, or
 * after {@code reopenGrace}, whichever comes first: an admin's edit does not cut a user's
 * download or upload, and a stuck one does not keep an old drive forever. Unmounting closes the
 * removed mount's drive, and those of the mounts that downloaded through it, at once, cutting
 * the requests running on them.
 *
 * <pre>{@code
 * { "mounts": [
 *   { "path": "/123", "driver": "123open", "download": "auto",
 *     "options": { "clientId": "…", "clientSecret": "…" } },
 *   { "path": "/media", "driver": "123link", "download": "proxy_url", "proxyUrl": "https://dl.example.com" } ] }
 * }</pre>
 */
final class Mounts implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Mounts.class);

  /** One line of the mounts file. */
  record Spec(String path, String driver, Map<String, String> options, DownloadMode download, String proxyUrl, Through through) {
    Spec {
      options = Map.copyOf(options);
    }

    @Override
    public String toString() {
      return "Mount{" + path + " -> " + driver + ", " + download.key() + (through == null ? "" : ", " + through)
          + ", options=" + options.keySet() + "}";
    }
  }

  /** Downloads through the drive of mount {@code mount}, copies in {@code folder} of it, {@code when}. */
  record Through(String mount, String folder, Drive.Through when) {
    static final String DEFAULT_FOLDER = "/pan4j-cache";

    /** {@code always} or {@code when_sign_in_required}, as in the mounts file. */
    String whenKey() {
      return when.name().toLowerCase(Locale.ROOT);
    }

    static Drive.Through parseWhen(String s) {
      if (s == null || s.isBlank()) return Drive.Through.WHEN_SIGN_IN_REQUIRED;
      for (Drive.Through t : Drive.Through.values()) if (t.name().equalsIgnoreCase(s.trim())) return t;
      throw new IllegalArgumentException("\"through\".\"when\" must be always or when_sign_in_required but was '" + s + "'");
    }

    @Override
    public String toString() {
      return "through " + mount + " (" + whenKey() + ", " + folder + ")";
    }
  }

  /** A mount and its drive, or why it is disabled. */
  record Mount(Spec spec, Drive drive, String problem) {
    boolean ok() {
      return drive != null;
    }
  }

  /** A path inside a mount. */
  record Target(Mount mount, String path) {}

  private final Path file;
  private final ObjectMapper mapper;
  private final Plugins plugins;
  private final DriverContext context;
  private final Map<String, Mount> mounts = new LinkedHashMap<>();
  private final List<String> fileProblems = new ArrayList<>();
  /** Entries of the file that could not be used: written back as they were, so a save loses none. */
  private final List<JsonNode> skipped = new ArrayList<>();
  /** How long a replaced drive waits for its running requests before it is closed anyway. */
  private final Duration grace;
  /** Requests running, per drive: one on a mount that downloads through another counts on both drives. */
  private final Map<Drive, Integer> inUse = new IdentityHashMap<>();
  /** The drive each drive downloads through, for the drives that do. */
  private final Map<Drive, Drive> throughDrive = new IdentityHashMap<>();
  /** Replaced drives still open for their running requests, with their mount's path. */
  private final Map<Drive, String> retired = new IdentityHashMap<>();
  /** Closes replaced drives whose grace ran out; its thread ends when idle. */
  private final ScheduledThreadPoolExecutor graceTimer;

  Mounts(Path file, ObjectMapper mapper, Plugins plugins, DriverContext context, Duration grace) {
    this.file = file;
    this.mapper = mapper;
    this.plugins = plugins;
    this.context = context;
    this.grace = grace;
    this.graceTimer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "pan4j-host-reopen-grace");
      t.setDaemon(true);
      return t;
    });
    graceTimer.setKeepAliveTime(10, TimeUnit.SECONDS);
    graceTimer.allowCoreThreadTimeOut(true);
  }

  /**
   * One request's hold on the drives it uses. Every mount the request resolves through this (with
   * the drives it downloads through) is held until {@link #close()}: saving the mount meanwhile
   * retires its drive instead of closing it, and a retired drive is closed when its last hold is
   * closed, or after the grace. A mount resolved once stays the same for the rest of the request,
   * so its later steps (a move's source and destination, an upload's checks and its write) run on
   * one drive. Used by one request at a time.
   */
  final class Use implements AutoCloseable {
    private final Map<String, Mount> pinned = new HashMap<>();
    private final Set<Drive> held = Collections.newSetFromMap(new IdentityHashMap<>());
    private String firstResolved;

    /** The mount holding {@code path} (held) and the path inside it, or null. */
    Target resolve(String path) {
      synchronized (Mounts.this) {
        Target t = Mounts.this.resolve(path);
        if (t == null) return null;
        if (firstResolved == null) firstResolved = t.mount().spec().path();
        return new Target(hold(t.mount()), t.path());
      }
    }

    /** The path of the first mount {@link #resolve} found, or null: the mount the request is about. */
    String firstResolved() {
      return firstResolved;
    }

    /** The mount this request resolved at {@code path} (as it found it), or null. */
    Mount resolved(String path) {
      return path == null ? null : pinned.get(path);
    }

    /** Every mount, sorted by path, each held. */
    List<Mount> all() {
      synchronized (Mounts.this) {
        List<Mount> out = new ArrayList<>();
        for (Mount m : Mounts.this.all()) out.add(hold(m));
        return out;
      }
    }

    /** Pins and holds {@code m} (or returns the mount pinned at its path); under the table's lock. */
    private Mount hold(Mount m) {
      Mount before = pinned.putIfAbsent(m.spec().path(), m);
      if (before != null) return before;
      for (Drive d = m.drive(); d != null; d = throughDrive.get(d)) {
        if (held.add(d)) inUse.merge(d, 1, Integer::sum);
      }
      return m;
    }

    /** Lets go of the drives; a retired one that nothing else holds is closed now. */
    @Override
    public void close() {
      List<Drive> toClose = new ArrayList<>();
      synchronized (Mounts.this) {
        for (Drive d : held) {
          int left = inUse.merge(d, -1, Integer::sum);
          if (left > 0) continue;
          inUse.remove(d);
          if (retired.remove(d) != null) toClose.add(d);
        }
        held.clear();
        pinned.clear();
      }
      closeAll(toClose);
    }
  }

  /** A hold for one request (see {@link Use}); close it when the request ends. */
  Use use() {
    return new Use();
  }

  /**
   * Reads the mounts file (a missing or empty file is an empty table) and opens every mount. A file that is
   * not JSON, or has no {@code "mounts"} array, is a {@link ConfigError}: a host started without its
   * mounts would save over them when the admin page adds one. An entry that cannot be used is
   * skipped with the reason, and kept in the file (see {@link #save()}).
   */
  /** Whether {@code f} holds nothing but white space (read only when it is small). */
  private static boolean blank(Path f) {
    try {
      return Files.size(f) < 4096 && Files.readString(f).isBlank();
    } catch (IOException | java.io.UncheckedIOException e) {
      return false; // not readable as text: the JSON reader says why
    }
  }

  synchronized void load() throws ConfigError {
    if (!Files.exists(file)) {
      LOG.info("no mounts file at {}; starting with no mounts", file);
      return;
    }
    if (blank(file)) {
      // Nothing written in it (e.g. made with touch): no mounts to lose, so the same as no file.
      LOG.info("the mounts file {} is empty; starting with no mounts", file);
      return;
    }
    HostFiles.tighten(file);
    String hint = "fix it (the admin page rewrites this file), or move it away to start with no mounts";
    JsonNode root = ConfigError.readJson(mapper, file, hint);
    JsonNode list = root == null ? null : root.get("mounts");
    if (list == null || !list.isArray()) {
      throw new ConfigError(file + " has no \"mounts\" array, e.g. {\"mounts\": []}; " + hint);
    }
    int i = 0;
    Map<String, Spec> specs = new LinkedHashMap<>();
    for (JsonNode n : list) {
      i++;
      Spec spec;
      try {
        spec = parseSpec(n);
      } catch (IllegalArgumentException | SafePaths.BadRequest e) {
        String p = "mount #" + i + " in " + file + " ignored: " + e.getMessage() + "; fix it there and restart";
        fileProblems.add(p);
        LOG.error(p);
        skipped.add(n.deepCopy());
        continue;
      }
      specs.put(spec.path(), spec);
    }
    openAll(specs, specs.keySet());
  }

  static Spec parseSpec(JsonNode n) {
    String path = n.path("path").asText(null);
    String driver = n.path("driver").asText(null);
    if (path == null || driver == null) throw new IllegalArgumentException("\"path\" and \"driver\" are required");
    String canonical = SafePaths.decodePath(path.replace("%", "%25"));
    if ("/".equals(canonical)) throw new IllegalArgumentException("a mount cannot be '/'; use a path such as /123");
    Map<String, String> options = new LinkedHashMap<>();
    JsonNode o = n.path("options");
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNull()) continue; // "key": null is the option left out, not the text "null"
      // Typed (true, 50) as this host writes them, or text ("true", "50") as older hosts and hand-written
      // files have them: the driver's schema reads both the same.
      options.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
    }
    String proxyUrl = n.path("proxyUrl").asText(null);
    if (proxyUrl != null && !proxyUrl.matches("https?://[^\\s]+")) {
      throw new IllegalArgumentException("\"proxyUrl\" must be an http(s) URL");
    }
    DownloadMode mode = DownloadMode.parse(n.path("download").asText(null));
    if (mode == DownloadMode.PROXY_URL && (proxyUrl == null || proxyUrl.isBlank())) {
      throw new IllegalArgumentException("download mode proxy_url needs \"proxyUrl\"");
    }
    return new Spec(canonical, driver, options, mode, proxyUrl == null ? null : proxyUrl.replaceAll("/+$", ""),
        parseThrough(n.get("through")));
  }

  /** {@code "through": {"mount": "/123", "folder": "/pan4j-cache", "when": "when_sign_in_required"}}; folder and when optional. */
  private static Through parseThrough(JsonNode t) {
    if (t == null || t.isNull()) return null;
    if (!t.isObject()) throw new IllegalArgumentException("\"through\" must be an object such as {\"mount\": \"/123\"}");
    for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!Set.of("mount", "folder", "when").contains(k)) {
        throw new IllegalArgumentException("\"through\" has an unknown key '" + k + "' (known: mount, folder, when)");
      }
    }
    String mount = t.path("mount").asText("");
    if (mount.isBlank()) throw new IllegalArgumentException("\"through\" needs \"mount\", the path of the mount to download through");
    String ref = SafePaths.decodePath(mount.replace("%", "%25"));
    String folder = t.path("folder").asText("");
    if (!folder.isBlank() && !folder.startsWith("/")) {
      // As the command line and the Java API: a relative folder is refused, not taken from the root.
      throw new IllegalArgumentException("\"through\".\"folder\" must be an absolute path such as /pan4j-cache, not '"
          + folder + "'");
    }
    folder = folder.isBlank() ? Through.DEFAULT_FOLDER : SafePaths.decodePath(folder.replace("%", "%25"));
    if ("/".equals(folder)) throw new IllegalArgumentException("\"through\".\"folder\" must be a folder below the root, e.g. /pan4j-cache");
    return new Through(ref, folder, Through.parseWhen(t.path("when").asText(null)));
  }

  /**
   * Opens the mounts at {@code paths} (closing nothing; the caller closes what they replace), each
   * after the mount it downloads through. {@code specs} is the whole table; mounts not in
   * {@code paths} are taken as they are open now.
   */
  private void openAll(Map<String, Spec> specs, Collection<String> paths) {
    for (String p : paths) mounts.remove(p);
    for (String p : List.copyOf(paths)) openResolving(p, specs);
  }

  /** Opens {@code path} after its through mount; a reference in a cycle is disabled before it is followed. */
  private Mount openResolving(String path, Map<String, Spec> specs) {
    Mount done = mounts.get(path);
    if (done != null) return done;
    Spec spec = specs.get(path);
    Through t = spec.through();
    Mount m;
    if (t == null) {
      m = open(spec, null);
    } else {
      String problem = throughProblem(spec, specs);
      Mount ref = null;
      if (problem == null) {
        ref = openResolving(t.mount(), specs);
        problem = referenceProblem(ref);
      }
      m = problem != null ? disabled(spec, problem) : open(spec, ref);
    }
    mounts.put(path, m);
    return m;
  }

  /**
   * Why {@code spec}'s through reference cannot be used, judged on the table {@code specs} alone
   * (missing, itself, a cycle), or null.
   */
  static String throughProblem(Spec spec, Map<String, Spec> specs) {
    Through t = spec.through();
    if (t == null) return null;
    if (t.mount().equals(spec.path())) return "it names itself as its through mount; choose another mount, such as a 123open one";
    if (!specs.containsKey(t.mount())) {
      return "its through mount " + t.mount() + " does not exist; add that mount or change \"through\"";
    }
    List<String> chain = new ArrayList<>(List.of(spec.path()));
    for (Spec s = specs.get(t.mount()); s != null; s = s.through() == null ? null : specs.get(s.through().mount())) {
      if (chain.contains(s.path())) {
        if (!s.path().equals(spec.path())) return null; // a cycle further on: that mount's reference is reported there
        chain.add(s.path());
        return "through mounts form a cycle (" + String.join(" -> ", chain) + "); one of them must download by itself";
      }
      chain.add(s.path());
    }
    return null;
  }

  /**
   * Why saving {@code spec} now would leave it disabled for its through mount (missing, itself, a
   * cycle, disabled, lacking a capability), or null: the admin form refuses such a mount.
   */
  synchronized String throughRefusal(Spec spec) {
    if (spec.through() == null) return null;
    Map<String, Spec> specs = specs();
    specs.put(spec.path(), spec);
    String problem = throughProblem(spec, specs);
    return problem != null ? problem : referenceProblem(mounts.get(spec.through().mount()));
  }

  /** Why an opened reference mount cannot be downloaded through, or null. */
  private static String referenceProblem(Mount ref) {
    String path = ref.spec().path();
    if (!ref.ok()) return "its through mount " + path + " is disabled";
    for (Capability c : List.of(Capability.INSTANT_UPLOAD, Capability.MKDIR)) {
      if (!ref.drive().supports(c)) {
        return "its through mount " + path + " (" + ref.spec().driver() + ") lacks " + c
            + "; downloading through a mount needs one that stores files by their hashes alone, such as 123open";
      }
    }
    return null;
  }

  private static Mount disabled(Spec spec, String why) {
    String p = "mount " + spec.path() + " is disabled: " + why;
    LOG.error(p);
    return new Mount(spec, null, p);
  }

  private Mount open(Spec spec, Mount ref) {
    String missing = plugins.unavailable(spec.driver());
    if (missing != null) {
      String p = "mount " + spec.path() + " is disabled: " + missing;
      LOG.error(p);
      return new Mount(spec, null, p);
    }
    try {
      Through t = spec.through();
      Drive drive = plugins.drives().open(spec.driver(), spec.options(), context,
          t == null ? b -> {} : b -> b.downloadThrough(ref.drive(), t.folder(), t.when()));
      if (t != null) throughDrive.put(drive, ref.drive());
      LOG.info("mounted {} ({}{})", spec.path(), spec.driver(), t == null ? "" : ", " + t);
      return new Mount(spec, drive, null);
    } catch (IllegalArgumentException e) {
      // downloadThrough's refusals (a reference lacking a capability, a bad folder): no secrets in them.
      return disabled(spec, e.getMessage());
    } catch (DriveException | LinkageError e) {
      // DriveException messages never carry option values of secrets (ConfigSchema masks them).
      String p = "mount " + spec.path() + " is disabled: driver " + spec.driver() + " failed to open: " + e.getMessage();
      LOG.error(p);
      return new Mount(spec, null, p);
    } catch (RuntimeException e) {
      String p = "mount " + spec.path() + " is disabled: driver " + spec.driver() + " failed to open: " + e.getClass().getName();
      LOG.error(p, e);
      return new Mount(spec, null, p);
    }
  }

  synchronized List<Mount> all() {
    List<Mount> l = new ArrayList<>(mounts.values());
    l.sort(Comparator.comparing(m -> m.spec().path()));
    return l;
  }

  synchronized Mount get(String path) {
    return mounts.get(path);
  }

  synchronized List<String> problems() {
    return List.copyOf(fileProblems);
  }

  /**
   * The mount holding {@code path} (longest mount path first) and the path inside it, or null.
   * Requests resolve through their {@link Use}, which holds what this finds.
   */
  private synchronized Target resolve(String path) {
    Mount best = null;
    for (Mount m : mounts.values()) {
      String mp = m.spec().path();
      if ((path.equals(mp) || path.startsWith(mp + "/")) && (best == null || mp.length() > best.spec().path().length())) best = m;
    }
    if (best == null) return null;
    String inner = path.substring(best.spec().path().length());
    return new Target(best, inner.isEmpty() ? "/" : inner);
  }

  /** Names of mount-path segments directly below {@code path} (the virtual folders of the root). */
  synchronized Set<String> virtualChildren(String path) {
    Set<String> names = new TreeSet<>();
    String prefix = "/".equals(path) ? "/" : path + "/";
    for (String mp : mounts.keySet()) {
      if (mp.startsWith(prefix)) {
        String rest = mp.substring(prefix.length());
        int i = rest.indexOf('/');
        names.add(i < 0 ? rest : rest.substring(0, i));
      }
    }
    return names;
  }

  /**
   * Adds or replaces a mount, saves the file, and opens it and every mount that downloads through
   * it (closing their old drives after the new ones are open).
   */
  synchronized Mount put(Spec spec) throws IOException {
    Map<String, Spec> specs = specs();
    specs.put(spec.path(), spec);
    reopen(specs, spec.path(), true);
    save();
    return mounts.get(spec.path());
  }

  /** Removes a mount, saves the file; the mounts that downloaded through it are reopened, disabled. */
  synchronized void remove(String path) throws IOException {
    Map<String, Spec> specs = specs();
    if (specs.remove(path) == null) return;
    reopen(specs, path, false);
    save();
  }

  /** The current table's specs, by path. */
  private Map<String, Spec> specs() {
    Map<String, Spec> specs = new LinkedHashMap<>();
    for (Mount m : mounts.values()) specs.put(m.spec().path(), m.spec());
    return specs;
  }

  /**
   * Reopens {@code changed} (if still in {@code specs}) and every mount downloading through it,
   * directly or not. The replaced drives are retired ({@code graceful}: closed when their running
   * requests end, or after the grace) or closed at once.
   */
  private void reopen(Map<String, Spec> specs, String changed, boolean graceful) {
    Set<String> affected = new LinkedHashSet<>(List.of(changed));
    for (boolean grew = true; grew; ) {
      grew = false;
      for (Spec s : specs.values()) {
        if (s.through() != null && affected.contains(s.through().mount())) grew |= affected.add(s.path());
      }
    }
    Map<Drive, String> old = new IdentityHashMap<>();
    for (String p : affected) {
      Mount m = mounts.remove(p);
      if (m != null && m.drive() != null) old.put(m.drive(), p);
    }
    List<String> open = affected.stream().filter(specs::containsKey).toList();
    openAll(specs, open);
    if (affected.size() > 1) {
      LOG.info("reopened {} (they download through {}, which changed)", affected.stream().filter(p -> !p.equals(changed)).toList(), changed);
    }
    if (graceful) {
      retire(old);
    } else {
      closeAll(old.keySet());
    }
  }

  /** Closes each of {@code old} now when no request runs on it, else once the last one ends or the grace runs out. */
  private void retire(Map<Drive, String> old) {
    List<Drive> idle = new ArrayList<>();
    old.forEach((d, path) -> {
      if (inUse.containsKey(d) && grace.toNanos() > 0) retired.put(d, path);
      else idle.add(d);
    });
    closeAll(idle);
    if (idle.size() == old.size()) return;
    graceTimer.schedule(() -> {
      Map<Drive, String> late = new IdentityHashMap<>();
      synchronized (this) {
        for (Drive d : old.keySet()) {
          String path = retired.remove(d);
          if (path != null) late.put(d, path);
        }
      }
      late.forEach((d, path) -> LOG.warn("closing the replaced drive of mount {}: requests still ran on it after reopenGrace"
          + " ({}); they are cut", path, grace));
      closeAll(late.keySet());
    }, grace.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void closeAll(Collection<Drive> drives) {
    for (Drive d : drives) {
      synchronized (this) {
        throughDrive.remove(d);
      }
      d.close();
    }
  }

  /** The paths of the mounts that download through {@code path}, sorted. */
  synchronized List<String> dependants(String path) {
    List<String> out = new ArrayList<>();
    for (Mount m : mounts.values()) {
      if (m.spec().through() != null && m.spec().through().mount().equals(path)) out.add(m.spec().path());
    }
    out.sort(null);
    return out;
  }

  /**
   * Writes the table to the mounts file, each option in its schema's type (see {@link #typedOptions}),
   * with the entries that were skipped as they were; every change saves, and {@code --demo} after loading.
   */
  synchronized void save() throws IOException {
    ObjectNode root = mapper.createObjectNode();
    ArrayNode list = root.putArray("mounts");
    for (Mount m : all()) {
      Spec s = m.spec();
      ObjectNode n = list.addObject();
      n.put("path", s.path());
      n.put("driver", s.driver());
      n.put("download", s.download().key());
      if (s.proxyUrl() != null) n.put("proxyUrl", s.proxyUrl());
      n.set("options", typedOptions(s));
      Through t = s.through();
      if (t != null) n.putObject("through").put("mount", t.mount()).put("folder", t.folder()).put("when", t.whenKey());
    }
    list.addAll(skipped);
    // The file holds driver secrets: owner-only.
    HostFiles.writeOwnerOnly(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  /**
   * A mount's options as the file holds them: each in its schema's type (a BOOLEAN option as JSON
   * {@code true}/{@code false}, an INT option as a number), everything else as text. A value that
   * is not of its type, and every option of a driver that is not loaded, stays text as entered.
   */
  private ObjectNode typedOptions(Spec s) {
    ConfigSchema schema = plugins.drives().findProvider(s.driver()).map(DriverProvider::schema).orElse(null);
    ObjectNode o = mapper.createObjectNode();
    s.options().forEach((key, value) -> {
      OptionSpec spec = schema == null ? null : schema.option(key);
      OptionType type = spec == null ? OptionType.STRING : spec.type();
      String v = value.trim();
      if (type == OptionType.BOOLEAN && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))) {
        o.put(key, Boolean.parseBoolean(v));
      } else if (type == OptionType.INT && v.matches("-?\\d{1,18}")) {
        o.put(key, Long.parseLong(v));
      } else {
        o.put(key, value);
      }
    });
    return o;
  }

  @Override
  public synchronized void close() {
    graceTimer.shutdownNow();
    for (Mount m : mounts.values()) if (m.drive() != null) m.drive().close();
    mounts.clear();
    retired.keySet().forEach(Drive::close); // host shutdown: waiting for requests is app.stop()'s part
    retired.clear();
  }
}
