package io.github.pan4j.testkit.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;

/**
 * The direct-link CDN ({@code vip.123pan.cn}) on server {@code vip}: {@code GET /<uid>/<path>}
 * serves the file at that absolute path of the account, with ranges.
 *
 * <p>When the account has URL authentication on ({@link Account#urlAuth(String)}), the request
 * must carry {@code auth_key=<expiry>-<nonce>-<uid>-<md5>} with exactly four parts, the uid of the
 * account, an expiry not in the past (cloud clock; whether 123's CDN allows any grace after it is
 * UNKNOWN: none by default, {@link #authKeyGrace} sets one), and the MD5 over the <em>decoded</em> path
 * (docs/protocol/123web.md §8.3, the official samples); anything else gets HTTP 403 with an empty body
 * (the body of a real refusal is UNKNOWN; 403 is the standard behaviour of this CDN scheme).
 * Which path the real CDN hashes is disputed: the official samples and OpenList sign the decoded
 * path, a field-tested open-platform client insists on the raw (percent-encoded) path as received.
 * A path without escapes is the same either way. For the others the fake follows the official
 * rule by default and refuses an MD5 over the encoded path (the worked example B's negative), so a
 * client that hashes the encoded path fails here as it would on a CDN that checks as the samples
 * do; {@link #acceptEncodedPathSignatures}(true) (setting {@code cdn.acceptEncodedPathSignatures})
 * also accepts the encoded form, for testing such a client against a CDN that takes both.
 *
 * <p>The check is this class's own code ({@link #verify}), written from the published rule, not
 * pan4j's signer: a CDN that verified with the function the drivers sign with would accept any
 * mistake they share. It is tested with the documented worked examples.
 *
 * <p>Direct links work only inside a folder with direct-link space enabled (the open platform's
 * rule); files elsewhere answer 404. Set {@link #requireDirectLinkSpace} false for the 123link
 * tests, whose trees point at arbitrary files.
 *
 * <p>Every GET it serves (200 or 206) is remembered for {@link #HIT_RETENTION} as a {@link Hit}
 * with the bytes sent, at most {@link #MAX_HITS} per account: the open platform's direct-link
 * traffic log reports them, and they are taken off the account's {@link Account#directTraffic()}. When the account's IP blacklist is on ({@link Account#forbiddenIpsOn})
 * and lists {@link #clientAddress}, the request gets HTTP 403 with an empty body (the body of a
 * real refusal is UNKNOWN). The fake listens on loopback only and cannot tell clients apart, so the
 * address it takes every client to have is a setting, null by default: a client that lists
 * 127.0.0.1 does not lock itself out, as it would not on the real CDN, which never sees that address.
 */
public final class VipCdnFrontDoor implements FrontDoor {
  private FakeCloud cloud;
  volatile boolean requireDirectLinkSpace = true;
  volatile boolean acceptEncodedPathSignatures;
  volatile Duration authKeyGrace = Duration.ZERO;
  private volatile String clientAddress;
  /** How long served downloads are remembered: the open platform's traffic log covers three days. */
  static final Duration HIT_RETENTION = Duration.ofDays(3);
  /** The most downloads remembered per account; older ones are dropped first. */
  static final int MAX_HITS = 10_000;
  private final Map<Long, ArrayDeque<Hit>> hits = new ConcurrentHashMap<>();

  /**
   * One direct-link download served.
   *
   * @param fileId the file's id
   * @param fileName its name then
   * @param fileSize its size
   * @param filePath its absolute path in the account then, like {@code /dir/a.txt}
   * @param url the link as requested, without query
   * @param bytes the bytes sent (the range length for a 206)
   * @param at when it was served (cloud clock)
   */
  record Hit(long fileId, String fileName, long fileSize, String filePath, String url, long bytes, Instant at) {}

  @Override
  public void install(FakeCloud cloud) {
    this.cloud = cloud;
    cloud.route("vip", "GET", "/*", this::serve);
  }

  /** Whether files must lie in a direct-link-space folder (default true). */
  public VipCdnFrontDoor requireDirectLinkSpace(boolean value) {
    this.requireDirectLinkSpace = value;
    return this;
  }

  /**
   * Whether signatures computed over the raw (percent-encoded) path as received on the wire are
   * accepted as well as those over the decoded path. Default false: only the decoded path, as the
   * official samples and OpenList sign (a verifier following them must refuse the encoded form).
   * True is an opt-in lenient mode: one client signs the encoded path and says the CDN takes it.
   */
  public VipCdnFrontDoor acceptEncodedPathSignatures(boolean value) {
    this.acceptEncodedPathSignatures = value;
    return this;
  }

  /**
   * How long past its expiry an {@code auth_key} is still taken (default none: the expiry second is
   * the last one served). Whether 123's CDN allows any grace is UNKNOWN; this lets a test model a
   * CDN that does, or a client clock running slightly ahead.
   */
  public VipCdnFrontDoor authKeyGrace(Duration grace) {
    this.authKeyGrace = java.util.Objects.requireNonNull(grace);
    return this;
  }

  /**
   * The address the CDN takes every client to have when checking an account's IP blacklist; null
   * (default) checks nobody. E.g. {@code clientAddress("203.0.113.7")}, then list that address.
   */
  public VipCdnFrontDoor clientAddress(String ipv4) {
    this.clientAddress = ipv4;
    return this;
  }

  /** The downloads of account {@code uid} served from {@code from} (inclusive) on, oldest first. */
  List<Hit> hits(long uid, Instant from) {
    ArrayDeque<Hit> q = hits.get(uid);
    if (q == null) return List.of();
    synchronized (q) {
      prune(q);
      List<Hit> out = new ArrayList<>();
      for (Hit h : q) if (!h.at().isBefore(from)) out.add(h);
      return out;
    }
  }

  private void record(Account a, Node file, String encodedPath, MockResponse served) {
    if (served.getCode() != 200 && served.getCode() != 206) return;
    long bytes = served.getBody() == null ? 0 : served.getBody().getContentLength();
    long uid = a.uid();
    // Counted when the answer is made, as the body's length. Whether 123 refuses a direct link
    // once the traffic is gone, and with what, is UNKNOWN: the fake goes on serving at 0.
    a.spendDirectTraffic(Math.max(0, bytes));
    Hit h = new Hit(file.id(), file.name(), file.size(), cloud.store().pathOf(file),
        cloud.baseUrl("vip") + encodedPath, Math.max(0, bytes), cloud.now());
    ArrayDeque<Hit> q = hits.computeIfAbsent(uid, k -> new ArrayDeque<>());
    synchronized (q) {
      q.addLast(h);
      while (q.size() > MAX_HITS) q.pollFirst();
      prune(q);
    }
  }

  private void prune(ArrayDeque<Hit> q) {
    Instant floor = cloud.now().minus(HIT_RETENTION);
    while (!q.isEmpty() && q.peekFirst().at().isBefore(floor)) q.pollFirst();
  }

  /**
   * The public direct-link URL of a file (unsigned). Each name is percent-encoded as a path
   * segment; {@code [} and {@code ]} too, which OkHttp leaves as they are but RFC 3986 allows only
   * around an IPv6 host (java.net.URI, and so java.net.http, refuses a link that has them raw).
   */
  public String urlOf(Node file) {
    String path = cloud.store().pathOf(file);
    StringBuilder encoded = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty()) continue;
      encoded.append('/').append(okhttp3.HttpUrl.parse("http://x/").newBuilder().addPathSegment(part).build().encodedPath()
          .substring(1).replace("[", "%5B").replace("]", "%5D"));
    }
    return cloud.baseUrl("vip") + "/" + file.uid() + encoded;
  }

  /**
   * A 123link tree text for the live entries below folder {@code folderId} of account {@code uid}
   * ({@link FakeStore#ROOT} for everything): folders as {@code name:}, files as
   * {@code size:modified:URL} with their unsigned {@link #urlOf} URL, two spaces per level, in id
   * order. Added for the 123link driver's tests, whose trees point at files of this store.
   */
  public String treeOf(long uid, long folderId) {
    StringBuilder out = new StringBuilder();
    appendTree(out, uid, folderId, "");
    return out.toString();
  }

  private void appendTree(StringBuilder out, long uid, long folderId, String indent) {
    for (Node n : cloud.store().children(uid, folderId, false)) {
      if (n.folder()) {
        out.append(indent).append(n.name()).append(":\n");
        appendTree(out, uid, n.id(), indent + "  ");
      } else {
        out.append(indent).append(n.size()).append(':').append(n.updated().getEpochSecond()).append(':')
            .append(urlOf(n)).append('\n');
      }
    }
  }

  private MockResponse serve(FakeRequest req) {
    String encodedPath = req.url().encodedPath();
    String decodedPath;
    try {
      // path-unescape: %XX decoded, '+' stays '+'
      decodedPath = URLDecoder.decode(encodedPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return notFound();
    }
    String[] parts = decodedPath.split("/", 3);
    if (parts.length < 3) return notFound();
    long uid;
    try {
      uid = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return notFound();
    }
    Optional<Account> account = cloud.store().account(uid);
    if (account.isEmpty()) return notFound();
    Account a = account.get();
    if (a.urlAuth() && !authorised(req, a, encodedPath, decodedPath)) {
      return forbidden();
    }
    String ip = clientAddress;
    if (ip != null && a.forbiddenIpsOn() && a.forbiddenIps().contains(ip)) return forbidden();
    Optional<Node> node = cloud.store().resolve(uid, "/" + parts[2]);
    if (node.isEmpty() || node.get().folder()) return notFound();
    if (requireDirectLinkSpace && cloud.store().directLinkSpaceOf(node.get()).isEmpty()) return notFound();
    MockResponse served = BlobResponses.serve(req, node.get().blob(), null);
    if ("GET".equals(req.method())) record(a, node.get(), encodedPath, served);
    return served;
  }

  private static MockResponse forbidden() {
    return new MockResponse.Builder().code(403).setHeader("Content-Type", "text/html").body("").build();
  }

  private boolean authorised(FakeRequest req, Account a, String encodedPath, String decodedPath) {
    String key = req.query("auth_key");
    long now = cloud.now().getEpochSecond() - authKeyGrace.toSeconds(); // an expiry within the grace still counts
    if (verify(key, decodedPath, a.uid(), a.directLinkKey(), now)) return true;
    return acceptEncodedPathSignatures && verify(key, encodedPath, a.uid(), a.directLinkKey(), now);
  }

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");
  private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");

  /**
   * The CDN's check of {@code auth_key} ("type A" URL authentication): the value must be exactly
   * {@code <expiry>-<rand>-<uid>-<md5>} — four non-empty parts, so a fifth {@code -} part is
   * refused — with a decimal expiry not before {@code nowEpochSecond}, a decimal uid equal to
   * {@code uid}, and {@code md5} the lower-case hex MD5 of the UTF-8 string
   * {@code <path>-<expiry>-<rand>-<uid>-<privateKey>}.
   *
   * @param authKey the query value, null when absent (refused)
   * @param path the path the signature must cover (no query)
   */
  static boolean verify(String authKey, String path, long uid, String privateKey, long nowEpochSecond) {
    if (authKey == null || privateKey == null) return false;
    String[] p = authKey.split("-", -1);
    if (p.length != 4) return false;
    String ts = p[0];
    String rand = p[1];
    String signedUid = p[2];
    String md5 = p[3];
    if (!DIGITS.matcher(ts).matches() || !DIGITS.matcher(signedUid).matches() || rand.isEmpty()) return false;
    if (!MD5_HEX.matcher(md5).matches()) return false;
    long expiry;
    try {
      expiry = Long.parseLong(ts);
      if (Long.parseLong(signedUid) != uid) return false;
    } catch (NumberFormatException e) {
      return false;
    }
    if (nowEpochSecond > expiry) return false;
    String signed = path + "-" + ts + "-" + rand + "-" + signedUid + "-" + privateKey;
    byte[] digest = Digests.get("MD5").digest(signed.getBytes(StandardCharsets.UTF_8));
    return java.security.MessageDigest.isEqual(HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII),
        md5.getBytes(StandardCharsets.US_ASCII));
  }

  private static MockResponse notFound() {
    return new MockResponse.Builder().code(404).setHeader("Content-Type", "text/plain").body("404 Not Found").build();
  }
}
