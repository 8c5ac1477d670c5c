package io.github.pan4j.testkit.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import mockwebserver3.MockResponse;

/**
 * The direct-link CDN ({@code vip.123pan.cn}) on server {@code vip}: {@code GET /<uid>/<path>}
 * serves the file at that absolute path of the account, with ranges.
 *
 * <p>When the account has URL authentication on ({@link Account#urlAuth(String)}), the request
 * must carry {@code auth_key=<expiry>-<nonce>-<uid>-<md5>} with exactly four parts, the uid of the
 * account, an expiry not in the past (store clock), and the MD5 over the <em>decoded</em> path
 * (123web-api.md §8.3, the official samples); anything else gets HTTP 403 with an empty body
 * (the body of a real refusal is UNKNOWN; 403 is the standard behaviour of this CDN scheme).
 * Whether the CDN also accepts a signature over the encoded path is UNKNOWN; by default it does
 * not ({@link #acceptEncodedPathSignatures}).
 *
 * <p>Direct links work only inside a folder with direct-link space enabled (the open platform's
 * rule); files elsewhere answer 404. Set {@link #requireDirectLinkSpace} false for the 123link
 * tests, whose trees point at arbitrary files.
 */
public final class VipCdnFrontDoor implements FrontDoor {
  private FakeCloud cloud;
  private volatile boolean requireDirectLinkSpace = true;
  private volatile boolean acceptEncodedPathSignatures;

  @Override
  public void install(FakeCloud cloud) {
    this.cloud = cloud;
    cloud.route("vip", "GET", "/*", this::serve);
    cloud.route("vip", "HEAD", "/*", this::serve);
  }

  /** Whether files must lie in a direct-link-space folder (default true). */
  public VipCdnFrontDoor requireDirectLinkSpace(boolean value) {
    this.requireDirectLinkSpace = value;
    return this;
  }

  /** Also accept signatures computed over the percent-encoded path (default false). */
  public VipCdnFrontDoor acceptEncodedPathSignatures(boolean value) {
    this.acceptEncodedPathSignatures = value;
    return this;
  }

  /** The public direct-link URL of a file (unsigned). */
  public String urlOf(Node file) {
    String path = cloud.store().pathOf(file);
    StringBuilder encoded = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty()) continue;
      encoded.append('/').append(okhttp3.HttpUrl.parse("http://x/").newBuilder().addPathSegment(part).build().encodedPath().substring(1));
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
    String decodedPath = URLDecoder.decode(encodedPath.replace("+", "%2B"), StandardCharsets.UTF_8);
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
      return new MockResponse.Builder().code(403).setHeader("Content-Type", "text/html").body("").build();
    }
    Optional<Node> node = cloud.store().resolve(uid, "/" + parts[2]);
    if (node.isEmpty() || node.get().folder()) return notFound();
    if (requireDirectLinkSpace && cloud.store().directLinkSpaceOf(node.get()).isEmpty()) return notFound();
    return BlobResponses.serve(req, node.get().blob(), null);
  }

  private boolean authorised(FakeRequest req, Account a, String encodedPath, String decodedPath) {
    String key = req.query("auth_key");
    if (key == null) return false;
    String[] p = key.split("-");
    if (p.length != 4) return false;
    long ts;
    long uid;
    try {
      ts = Long.parseLong(p[0]);
      uid = Long.parseLong(p[2]);
    } catch (NumberFormatException e) {
      return false;
    }
    if (uid != a.uid()) return false;
    if (cloud.now().getEpochSecond() > ts) return false;
    if (digest(decodedPath, ts, p[1], uid, a.directLinkKey()).equals(p[3])) return true;
    return acceptEncodedPathSignatures && digest(encodedPath, ts, p[1], uid, a.directLinkKey()).equals(p[3]);
  }

  /** The CDN's MD5 over {@code path-ts-nonce-uid-key}, written here independently of the drivers' signer. */
  private static String digest(String path, long ts, String nonce, long uid, String key) {
    return Digests.md5((path + "-" + ts + "-" + nonce + "-" + uid + "-" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static MockResponse notFound() {
    return new MockResponse.Builder().code(404).setHeader("Content-Type", "text/plain").body("404 Not Found").build();
  }
}
