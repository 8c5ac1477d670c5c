package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The options of {@code pan4j fake-cloud}, parsed and applied here so that any command-line front
 * end only has to pass its arguments on:
 *
 * <pre>
 *   --port N          first of the consecutive loopback ports (default 8123; 0 = free ports)
 *   --vip             the demo account is VIP: direct links allowed, the VIP QPS column
 *   --url-auth on|off direct-link URL authentication (default on, key DemoCloud.URL_AUTH_KEY)
 *   --state DIR       load the file tree from DIR at start (when saved there before) and save it
 *                     there at {@link #save}
 *   --seed FILE       a folder tree to start with (when there is no saved state), see below
 *   --realistic       the realistic quirk profile ({@link RealisticProfile}), seeded by
 *                     --realistic-seed N (default 1)
 *   --offline-polls N polls an offline download answers "in progress" before it succeeds
 *                     (default 2; how fast 123 moves is unknown, see {@link FakeOffline})
 *   --offline-root-dirid absent|refuse
 *                     open platform offline download with dirID 0: taken as absent, so the
 *                     file goes to 来自:离线下载 (default), or refused with code 1 (unknown which)
 *   --set NAME=VALUE  a behaviour switch (repeatable), as POST /_fake/settings sets it, e.g.
 *                     --set open.qps=false --set web.redirectMode=JSON_210
 * </pre>
 *
 * <p>A seed file has one entry per line, two spaces of indentation per level; a line ending in
 * {@code /} is a folder; otherwise a file, optionally followed by {@code " :: "} and either a size
 * in bytes (deterministic pseudo-random content) or a double-quoted text. Blank lines and lines
 * starting with {@code #} are skipped:
 *
 * <pre>
 * Movies/
 *   trailer.mp4 :: 3145728
 * notes.txt :: "hello"
 * empty.txt
 * </pre>
 */
public final class FakeCloudOptions {
  /** The default first port. */
  public static final int DEFAULT_PORT = 8123;

  private int port = DEFAULT_PORT;
  private boolean vip;
  private boolean urlAuth = true;
  private Path state;
  private Path seed;
  private boolean realistic;
  private long realisticSeed = 1;
  private int offlinePolls = 2;
  private boolean offlineRefuseRootDirId;
  private final Map<String, String> settings = new LinkedHashMap<>();

  private FakeCloudOptions() {}

  /** The defaults (as if no option were given). */
  public static FakeCloudOptions defaults() {
    return new FakeCloudOptions();
  }

  /**
   * Parses the options above ({@code --name value} or {@code --name=value}).
   *
   * @throws IllegalArgumentException for an unknown option or a bad value, with a message that
   *     names it
   */
  public static FakeCloudOptions parse(String... args) {
    FakeCloudOptions o = new FakeCloudOptions();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      switch (name) {
        case "--vip" -> o.vip = flag(name, value);
        case "--realistic" -> o.realistic = flag(name, value);
        case "--port", "--url-auth", "--state", "--seed", "--realistic-seed", "--offline-polls", "--offline-root-dirid", "--set" -> {
          if (value == null) {
            if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
            value = args[++i];
          }
          o.set(name, value);
        }
        default -> throw new IllegalArgumentException("unknown fake-cloud option '" + a + "'; known: " + usage());
      }
    }
    return o;
  }

  private static boolean flag(String name, String value) {
    if (value != null) throw new IllegalArgumentException(name + " takes no value");
    return true;
  }

  private void set(String name, String value) {
    switch (name) {
      case "--port" -> {
        try {
          port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--port must be a number but was '" + value + "'");
        }
        if (port < 0 || port > 65535 - FakeCloud.SERVERS.size()) throw new IllegalArgumentException("--port out of range: " + port);
      }
      case "--url-auth" -> {
        if (value.equals("on")) urlAuth = true;
        else if (value.equals("off")) urlAuth = false;
        else throw new IllegalArgumentException("--url-auth must be on or off but was '" + value + "'");
      }
      case "--state" -> state = Path.of(value);
      case "--seed" -> {
        seed = Path.of(value);
        if (!Files.isRegularFile(seed)) throw new IllegalArgumentException("--seed: no such file " + value);
      }
      case "--realistic-seed" -> {
        try {
          realisticSeed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--realistic-seed must be a number but was '" + value + "'");
        }
      }
      case "--offline-polls" -> {
        try {
          offlinePolls = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--offline-polls must be a number but was '" + value + "'");
        }
        if (offlinePolls < 0) throw new IllegalArgumentException("--offline-polls must be 0 or more but was " + offlinePolls);
      }
      case "--offline-root-dirid" -> {
        if (value.equals("absent")) offlineRefuseRootDirId = false;
        else if (value.equals("refuse")) offlineRefuseRootDirId = true;
        else throw new IllegalArgumentException("--offline-root-dirid must be absent or refuse but was '" + value + "'");
      }
      case "--set" -> {
        int eq = value.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("--set takes NAME=VALUE (e.g. open.qps=false) but was '" + value + "'");
        settings.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
      }
      default -> throw new IllegalStateException(name);
    }
  }

  /**
   * {@code --set} values as JSON: the text as it is for a setting whose value is text (a message
   * such as {@code 401} stays a message), else true/false, whole numbers, decimals, else text.
   */
  private ObjectNode settingsJson(FakeSettings known) {
    ObjectNode o = Json.mapper().createObjectNode();
    settings.forEach((k, v) -> {
      if (known.isText(k)) {
        o.put(k, v);
        return;
      }
      if (v.equals("true") || v.equals("false")) {
        o.put(k, Boolean.parseBoolean(v));
        return;
      }
      try {
        o.put(k, Long.parseLong(v));
        return;
      } catch (NumberFormatException notWhole) {
        // next
      }
      try {
        o.put(k, new java.math.BigDecimal(v));
      } catch (NumberFormatException notNumber) {
        o.put(k, v);
      }
    });
    return o;
  }

  /** One line per option, for help texts. */
  public static String usage() {
    return "--port N, --vip, --url-auth on|off, --state DIR, --seed FILE, --realistic, --realistic-seed N, --offline-polls N, "
        + "--offline-root-dirid absent|refuse, --set NAME=VALUE";
  }

  public int port() { return port; }
  public boolean vip() { return vip; }
  public boolean urlAuth() { return urlAuth; }
  /** The state directory, or null. */
  public Path state() { return state; }
  /** The seed file, or null. */
  public Path seed() { return seed; }
  public boolean realistic() { return realistic; }
  public long realisticSeed() { return realisticSeed; }
  public int offlinePolls() { return offlinePolls; }
  public boolean offlineRefuseRootDirId() { return offlineRefuseRootDirId; }
  /** The {@code --set} switches, in order. */
  public Map<String, String> settings() { return java.util.Collections.unmodifiableMap(settings); }

  /**
   * Applies the options to a started demo cloud: the account's tier and URL authentication, the
   * realistic profile, the {@code --set} switches, then the saved state (when {@code --state} holds
   * one) or else the seed tree.
   *
   * @return true when a saved state was loaded
   * @throws IllegalArgumentException when a {@code --set} name is unknown or its value is not of
   *     its type (then nothing of {@code --set} was applied)
   */
  public boolean apply(DemoCloud demo) {
    Account a = demo.account();
    a.vip(vip);
    a.urlAuth(urlAuth ? DemoCloud.URL_AUTH_KEY : null);
    if (realistic) RealisticProfile.seeded(realisticSeed).applyTo(demo);
    FakeOffline.of(demo.cloud()).progressPolls(offlinePolls);
    demo.open().offline().refuseRootDirId(offlineRefuseRootDirId);
    if (!settings.isEmpty()) { // after --vip and --realistic: --set wins
      FakeSettings known = new FakeSettings(demo.cloud());
      known.apply(settingsJson(known));
    }
    if (state != null && Files.isRegularFile(state.resolve(STORE_FILE))) {
      load(demo.cloud().store(), state);
      return true;
    }
    if (seed != null) seed(demo.cloud().store(), a.uid(), seed);
    return false;
  }

  /** Saves the store to the {@code --state} directory (nothing when not set). */
  public void save(DemoCloud demo) {
    if (state != null) save(demo.cloud().store(), state);
  }

  // ------------------------------------------------------------------ state

  static final String STORE_FILE = "store.json";

  /** Writes every node and the bytes of every file under {@code dir}. */
  static void save(FakeStore store, Path dir) {
    try {
      Path blobs = dir.resolve("blobs");
      Files.createDirectories(blobs);
      ObjectNode root = Json.mapper().createObjectNode();
      root.put("version", 1);
      ArrayNode list = root.putArray("nodes");
      for (Node n : store.snapshot()) {
        ObjectNode o = list.addObject();
        o.put("id", n.id);
        o.put("uid", n.uid);
        o.put("parentId", n.parentId);
        o.put("name", n.name);
        o.put("folder", n.folder);
        o.put("created", n.created.toString());
        o.put("updated", n.updated.toString());
        o.put("trashed", n.trashed);
        o.put("directLinkSpace", n.directLinkSpace);
        if (!n.folder) {
          String key = n.blob.md5() + "-" + n.blob.size();
          o.put("blob", key);
          Path target = blobs.resolve(key);
          if (!Files.exists(target)) {
            try (InputStream in = n.blob.open(0, n.blob.size())) {
              Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      }
      Path tmp = dir.resolve(STORE_FILE + ".tmp");
      Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      Files.move(tmp, dir.resolve(STORE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the fake cloud's state to " + dir, e);
    }
  }

  /** Replaces the trees of the accounts found in {@code dir}'s saved state. */
  static void load(FakeStore store, Path dir) {
    try {
      JsonNode root = Json.mapper().readTree(dir.resolve(STORE_FILE).toFile());
      java.util.Map<Long, List<Node>> byUid = new java.util.LinkedHashMap<>();
      for (JsonNode o : root.path("nodes")) {
        boolean folder = o.path("folder").asBoolean();
        Blob blob = null;
        if (!folder) {
          try (InputStream in = Files.newInputStream(dir.resolve("blobs").resolve(o.path("blob").asText()))) {
            blob = store.putBlob(in);
          }
        }
        Node n = new Node(o.path("id").asLong(), o.path("uid").asLong(), o.path("parentId").asLong(),
            o.path("name").asText(), folder, blob, Instant.parse(o.path("created").asText()));
        n.updated = Instant.parse(o.path("updated").asText());
        n.trashed = o.path("trashed").asBoolean();
        n.directLinkSpace = o.path("directLinkSpace").asBoolean();
        byUid.computeIfAbsent(n.uid, k -> new ArrayList<>()).add(n);
      }
      byUid.forEach(store::restore);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the fake cloud's state from " + dir, e);
    }
  }

  // ------------------------------------------------------------------ seed

  /** Creates the tree described by a seed file under the account's root. */
  static void seed(FakeStore store, long uid, Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read seed file " + file, e);
    }
    record Level(int indent, long folderId) {}
    Deque<Level> stack = new ArrayDeque<>();
    stack.push(new Level(-1, FakeStore.ROOT));
    int lineNo = 0;
    long contentSeed = 1;
    for (String raw : lines) {
      lineNo++;
      String line = raw.stripTrailing();
      if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
      int indent = 0;
      while (indent < line.length() && line.charAt(indent) == ' ') indent++;
      if (indent % 2 != 0) throw new IllegalArgumentException(file + ":" + lineNo + ": indent by two spaces per level");
      while (stack.peek().indent() >= indent) stack.pop();
      long parent = stack.peek().folderId();
      String entry = line.substring(indent);
      if (entry.endsWith("/")) {
        String name = entry.substring(0, entry.length() - 1);
        checkName(file, lineNo, name);
        long p = parent;
        Node folder = store.child(uid, p, name).orElseGet(() -> store.mkdir(uid, p, name));
        stack.push(new Level(indent, folder.id()));
        continue;
      }
      String name = entry;
      byte[] content = new byte[0];
      int sep = entry.indexOf(" :: ");
      if (sep >= 0) {
        name = entry.substring(0, sep);
        String spec = entry.substring(sep + 4).trim();
        if (spec.length() >= 2 && spec.startsWith("\"") && spec.endsWith("\"")) {
          content = spec.substring(1, spec.length() - 1).getBytes(StandardCharsets.UTF_8);
        } else {
          long size;
          try {
            size = Long.parseLong(spec);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": after ' :: ' give a size in bytes or a \"text\"");
          }
          if (size < 0 || size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(file + ":" + lineNo + ": size out of range");
          content = new byte[(int) size];
          new Random(contentSeed++).nextBytes(content);
        }
      }
      checkName(file, lineNo, name);
      if (store.child(uid, parent, name).isPresent()) {
        throw new IllegalArgumentException(file + ":" + lineNo + ": '" + name + "' appears twice in one folder");
      }
      store.createFile(uid, parent, name, store.putBlob(content));
    }
  }

  private static void checkName(Path file, int lineNo, String name) {
    Objects.requireNonNull(name);
    if (name.isBlank() || name.contains("/")) throw new IllegalArgumentException(file + ":" + lineNo + ": bad name '" + name + "'");
  }

  @Override
  public String toString() {
    return "FakeCloudOptions{port=" + port + ", vip=" + vip + ", urlAuth=" + urlAuth + ", state=" + state
        + ", seed=" + seed + ", realistic=" + realistic + "}";
  }
}
