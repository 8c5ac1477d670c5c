package io.github.pan4j.driver.share123;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.auth.AccountKey;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.spi.CloseGuard;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.http.TokenSource;
import io.github.pan4j.driver.common123.internal.Outcomes;
import io.github.pan4j.driver.common123.web.DownloadChain;
import io.github.pan4j.driver.common123.web.WebApi;
import io.github.pan4j.driver.common123.web.WebItems;
import io.github.pan4j.driver.common123.web.WebListing;
import io.github.pan4j.driver.common123.web.WebProfile;
import io.github.pan4j.driver.common123.web.WebSessions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A public 123云盘 share, read-only: {@code share/get} listings and {@code share/download/info}
 * links through the web protocol in {@code driver-123common} (docs/protocol/123web.md §7). Implements no
 * write interface. Thread-safe.
 */
final class Share123Driver implements Driver {
  private final CloseGuard guard = new CloseGuard(Share123Provider.ID);
  static final String LIST = "share/get";
  private static final int CACHE = 20_000;
  private static final int MAX_SEARCH_FOLDERS = 2_000;

  private final Share123Config config;
  private final WebApi api;
  private final DownloadChain downloads;
  /** Items seen in listings (id → item), so link() knows etag, size and S3KeyFlag. */
  private final Map<Long, JsonNode> seen = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, JsonNode> eldest) {
      return size() > CACHE;
    }
  };

  Share123Driver(Share123Config config, WebProfile profile, DriverContext context) {
    this.config = config;
    double qps = config.listInterval().isZero() ? 0 : 1_000_000_000.0 / config.listInterval().toNanos();
    // Share listings are paced per caller, not per share: every share mount on one server (and
    // signed-in token, if any) shares one limiter. The key carries no secret, only a digest.
    String caller = config.accountIfAny().map(a -> "account:" + a.toLowerCase(java.util.Locale.ROOT))
        .orElse(config.accessTokenIfAny().isPresent() ? "signed-in" : "anonymous");
    AccountKey key = AccountKey.ofIssued(Share123Provider.ID, config.apiBaseUrl(), caller, config.accessTokenIfAny().orElse(null));
    RateLimiter limiter = context.rateLimiter(key, Map.of(LIST, qps), 0.0);
    TokenSource tokens;
    String hint;
    if (config.accountIfAny().isPresent()) {
      String account = config.accountIfAny().get();
      tokens = new PublishedSession(context.tokenStore(), WebSessions.publishedKey(profile.apiBaseUrl(), account));
      hint = "this share serves the file only to signed-in users, and no session of the 123pan account '" + account
          + "' that 123云盘 accepts is in the token store: use a 123pan mount of that account with the same token store"
          + " (it signs in or takes its pasted token), then retry";
    } else {
      Token token = config.accessTokenIfAny().map(s -> new Token(s, null, null, Map.of())).orElse(null);
      tokens = TokenSource.fixed(token); // nothing to sign in with: the token (if any) is fixed
      hint = token == null
          ? "this share serves the file only to signed-in users (usually files over 100 MB): set the account option"
              + " to the user name of a 123pan mount, or accessToken to a 123云盘 web token of any account; or download it"
              + " through a 123open drive of your own account, which needs no web sign-in (Drive.Builder.downloadThrough,"
              + " pan4j get --through-driver 123open, the host's \"through\" mount key)"
          : "the accessToken option was refused (expired or invalid); set a fresh 123云盘 web token";
    }
    this.api = new WebApi(Share123Provider.ID, context, profile, limiter, tokens, hint);
    this.downloads = new DownloadChain(api);
  }

  @Override
  public String id() { return Share123Provider.ID; }

  @Override
  public String rootId() { return config.rootFolderId(); }

  @Override
  public Page list(String folderId, String cursor) {
    guard.ensureOpen("list");
    long folder = parseId(folderId, "list");
    WebListing.Chunk chunk = WebListing.readPage(page -> fetch(folder, page, "list", folderId), cursor, false, id(),
        "list", folderId);
    remember(chunk.items());
    List<Entry> entries = new ArrayList<>();
    for (JsonNode item : chunk.items()) {
      if (WebItems.isTrashed(item)) continue;
      Entry e = WebItems.toEntry(item, id(), "list");
      // Items carry the sharer's real parent id; within the share the parent is the folder we listed.
      entries.add(new Entry(e.id(), folderId, e.name(), null, e.folder(), e.size(), e.modified(), e.created(), e.hashes(), e.extras(),
          e.thumbnail()));
    }
    return new Page(entries, chunk.nextCursor());
  }

  private JsonNode fetch(long folder, int page, String operation, String target) {
    JsonNode data = api.get(operation, target, LIST, query(folder, page), true);
    if (WebItems.bool(data, "Expired")) {
      throw DriveException.builder(ErrorKind.EXPIRED, "the share has expired; ask the sharer for a new link")
          .driver(id()).operation(operation).target(target).build();
    }
    return data;
  }

  private void remember(List<JsonNode> items) {
    synchronized (seen) {
      for (JsonNode i : items) seen.put(WebItems.fileId(i), i);
    }
  }

  private List<JsonNode> items(long folder, String operation, String target) {
    List<JsonNode> items = WebListing.readAll(page -> fetch(folder, page, operation, target), false, id(), operation, target);
    remember(items);
    return items;
  }

  private Map<String, String> query(long folder, int page) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("limit", "100");
    q.put("next", "0");
    q.put("orderBy", "file_id");
    q.put("orderDirection", "desc");
    q.put("parentFileId", Long.toString(folder));
    q.put("Page", Integer.toString(page));
    q.put("shareKey", config.shareKey());
    q.put("SharePwd", config.passwordIfAny().map(s -> s.reveal()).orElse(""));
    return q;
  }

  @Override
  public Link link(String fileId) {
    guard.ensureOpen("link");
    long fid = parseId(fileId, "link");
    boolean root = fid == 0 || fileId.equals(config.rootFolderId());
    JsonNode item = root ? null : lookup(fid);
    if (root || WebItems.isFolder(item)) {
      throw DriveException.builder(ErrorKind.IS_A_DIRECTORY, "a folder has no download link").driver(id()).operation("link")
          .target(fileId).build();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("shareKey", config.shareKey());
    body.put("SharePwd", config.passwordIfAny().map(s -> s.reveal()).orElse(""));
    body.put("etag", WebItems.text(item, "Etag"));
    body.put("fileId", fid);
    body.put("s3keyFlag", WebItems.text(item, "S3KeyFlag"));
    body.put("size", WebItems.number(item, "Size", 0));
    JsonNode data;
    try {
      data = api.postRead("link", fileId, "share/download/info", body);
    } catch (DriveException e) {
      if (e.kind() != ErrorKind.QUOTA_EXCEEDED) throw e;
      // The traffic refusal counts web downloads; a copy in the user's own 123 Open account is not
      // one of them, so say that this way round exists.
      throw Outcomes.restated(e, "; or download it now through a 123open drive of your own account"
              + " (Drive.Builder.downloadThrough, pan4j get --through-driver 123open, the host's \"through\" mount key)")
          .driver(id()).operation("link").target(fileId).build();
    }
    JsonNode url = data == null ? null : data.get("DownloadURL");
    return downloads.resolve(url == null || url.isNull() ? null : url.asText(), WebItems.number(item, "Size", -1),
        item.path("Etag").asText(null), "link", fileId);
  }

  /** The item of a file in the share: from earlier listings, else found by walking the share from its root. */
  private JsonNode lookup(long fid) {
    synchronized (seen) {
      JsonNode hit = seen.get(fid);
      if (hit != null) return hit;
    }
    Deque<Long> folders = new ArrayDeque<>();
    folders.add(parseId(config.rootFolderId(), "link"));
    int visited = 0;
    while (!folders.isEmpty() && visited++ < MAX_SEARCH_FOLDERS) {
      for (JsonNode i : items(folders.poll(), "link", Long.toString(fid))) {
        if (WebItems.fileId(i) == fid) return i;
        if (WebItems.isFolder(i)) folders.add(WebItems.fileId(i));
      }
    }
    throw DriveException.builder(ErrorKind.NOT_FOUND, "no file with that id in this share").driver(id()).operation("link")
        .target(Long.toString(fid)).build();
  }

  private long parseId(String id, String operation) {
    if (id == null || !id.matches("\\d{1,18}")) {
      throw DriveException.builder(ErrorKind.NOT_FOUND, "not a 123 file id (digits expected)").driver(id())
          .operation(operation).target(String.valueOf(id)).build();
    }
    return Long.parseLong(id);
  }

  /**
   * The session a {@code 123pan} mount published for its account ({@link WebSessions}): read from
   * the token store at every call, so a session that mount renewed is picked up; absent, the share
   * is used anonymously. This driver never signs in and never writes the entry.
   */
  private record PublishedSession(TokenStore store, String key) implements TokenSource {
    @Override
    public Token current() {
      return store.load(key).orElse(null);
    }

    @Override
    public Token renew(Token rejected) {
      Token now = store.load(key).orElse(null);
      return now == null || now.equals(rejected) ? null : now;
    }
  }

  /** After this, every operation throws IllegalStateException (see {@link Driver#close()}). */
  @Override
  public void close() {
    if (guard.close()) api.close();
  }

  @Override
  public String toString() {
    return "Share123Driver{share=" + config.shareKey() + ", root=" + config.rootFolderId()
        + config.accountIfAny().map(a -> ", account=" + a).orElse("") + "}";
  }
}
