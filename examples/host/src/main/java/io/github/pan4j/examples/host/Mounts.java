package io.github.pan4j.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.spi.DriverContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mount table: which driver (with which options and download mode) serves which path, read
 * from and saved to the mounts file. A mount whose driver is missing or fails to open is kept,
 * disabled, with the reason; the other mounts are not affected.
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
  record Spec(String path, String driver, Map<String, String> options, DownloadMode download, String proxyUrl) {
    Spec {
      options = Map.copyOf(options);
    }

    @Override
    public String toString() {
      return "Mount{" + path + " -> " + driver + ", " + download.key() + ", options=" + options.keySet() + "}";
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

  Mounts(Path file, ObjectMapper mapper, Plugins plugins, DriverContext context) {
    this.file = file;
    this.mapper = mapper;
    this.plugins = plugins;
    this.context = context;
  }

  /** Reads the mounts file (a missing file is an empty table) and opens every mount. */
  synchronized void load() {
    if (!Files.exists(file)) {
      LOG.info("no mounts file at {}; starting with no mounts", file);
      return;
    }
    HostFiles.tighten(file);
    JsonNode root;
    try {
      root = mapper.readTree(file.toFile());
    } catch (IOException e) {
      String p = "cannot read mounts file " + file + ": " + e.getMessage();
      fileProblems.add(p);
      LOG.error(p);
      return;
    }
    JsonNode list = root == null ? null : root.get("mounts");
    if (list == null || !list.isArray()) {
      fileProblems.add("mounts file " + file + " has no \"mounts\" array");
      return;
    }
    int i = 0;
    for (JsonNode n : list) {
      i++;
      Spec spec;
      try {
        spec = parseSpec(n);
      } catch (IllegalArgumentException | SafePaths.BadRequest e) {
        String p = "mount #" + i + " in " + file + " ignored: " + e.getMessage();
        fileProblems.add(p);
        LOG.error(p);
        continue;
      }
      mounts.put(spec.path(), open(spec));
    }
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
      options.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
    }
    String proxyUrl = n.path("proxyUrl").asText(null);
    if (proxyUrl != null && !proxyUrl.matches("https?://[^\\s]+")) {
      throw new IllegalArgumentException("\"proxyUrl\" must be an http(s) URL");
    }
    DownloadMode mode = DownloadMode.parse(n.path("download").asText(null));
    if (mode == DownloadMode.PROXY_URL && (proxyUrl == null || proxyUrl.isBlank())) {
      throw new IllegalArgumentException("download mode proxy_url needs \"proxyUrl\"");
    }
    return new Spec(canonical, driver, options, mode, proxyUrl == null ? null : proxyUrl.replaceAll("/+$", ""));
  }

  private Mount open(Spec spec) {
    String missing = plugins.unavailable(spec.driver());
    if (missing != null) {
      String p = "mount " + spec.path() + " is disabled: " + missing;
      LOG.error(p);
      return new Mount(spec, null, p);
    }
    try {
      Drive drive = plugins.drives().open(spec.driver(), spec.options(), context);
      LOG.info("mounted {} ({})", spec.path(), spec.driver());
      return new Mount(spec, drive, null);
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

  /** The mount holding {@code path} (longest mount path first) and the path inside it, or null. */
  synchronized Target resolve(String path) {
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

  /** Adds or replaces a mount, saves the file, and opens it (closing the old drive). */
  synchronized Mount put(Spec spec) throws IOException {
    Mount old = mounts.get(spec.path());
    Mount m = open(spec);
    mounts.put(spec.path(), m);
    save();
    if (old != null && old.drive() != null) old.drive().close();
    return m;
  }

  synchronized void remove(String path) throws IOException {
    Mount old = mounts.remove(path);
    save();
    if (old != null && old.drive() != null) old.drive().close();
  }

  private void save() throws IOException {
    ObjectNode root = mapper.createObjectNode();
    ArrayNode list = root.putArray("mounts");
    for (Mount m : all()) {
      Spec s = m.spec();
      ObjectNode n = list.addObject();
      n.put("path", s.path());
      n.put("driver", s.driver());
      n.put("download", s.download().key());
      if (s.proxyUrl() != null) n.put("proxyUrl", s.proxyUrl());
      ObjectNode o = n.putObject("options");
      s.options().forEach(o::put);
    }
    // The file holds driver secrets: owner-only.
    HostFiles.writeOwnerOnly(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  @Override
  public synchronized void close() {
    for (Mount m : mounts.values()) if (m.drive() != null) m.drive().close();
    mounts.clear();
  }
}
