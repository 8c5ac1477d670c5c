package io.github.pan4j.driver.link123;

import io.github.pan4j.driver.common123.AuthKeySigner;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.internal.http.HttpLinks;
import io.github.pan4j.core.internal.http.OpenDownloads;
import io.github.pan4j.core.internal.http.HttpLog;
import io.github.pan4j.core.spi.CloseGuard;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A read-only drive over a parsed {@link LinkTree}. Listing and stat never touch the network:
 * the tree is the whole truth. Ids are absolute paths within the tree ({@code /} is the root).
 *
 * <p>{@link #link} signs the origin URL anew on every call when a private key is configured
 * (expiry = now + validity, on the context's clock) and hands the URL out unsigned otherwise.
 */
final class Link123Driver implements Driver, Driver.Stat {
  private final CloseGuard guard = new CloseGuard(Link123Provider.ID);
  /** Children per listing page. */
  static final int PAGE_SIZE = 1000;

  private static final String NOTE_SIGNED =
      "public 123 direct link signed with auth_key; anyone holding it can download until it expires,"
          + " and every download spends the account's paid direct-link traffic";
  private static final String NOTE_UNSIGNED =
      "public 123 direct link without auth_key; anyone holding it can download, and every download"
          + " spends the account's paid direct-link traffic";

  private final LinkTree tree;
  private final Secret privateKey;
  private final long uid;
  private final Duration validity;
  private final Clock clock;
  private final Link.Opener opener;
  /** Downloads in flight, which {@link #close()} ends. */
  private final OpenDownloads downloads = new OpenDownloads(Link123Provider.ID);

  Link123Driver(Link123Config config, LinkTree tree, DriverContext context) {
    this.tree = tree;
    this.privateKey = config.privateKey();
    this.uid = config.uid();
    this.validity = config.validity();
    this.clock = context.clock();
    this.opener = HttpLinks.opener(context.httpClient().newBuilder()
        .addInterceptor(HttpLog.forDriver(Link123Provider.ID))
        .build(), Link123Provider.ID, context.requestListener(), context.clock(), downloads, context.callDeadline());
  }

  @Override
  public String id() {
    return Link123Provider.ID;
  }

  @Override
  public String rootId() {
    return tree.root().id;
  }

  /**
   * A page of up to {@value #PAGE_SIZE} children in tree order. The tree is in memory and never
   * changes, so the cursor is simply the offset of the next child.
   */
  @Override
  public Page list(String folderId, String cursor) {
    guard.ensureOpen("list");
    LinkNode folder = find("list", folderId);
    if (!folder.folder) {
      throw error(ErrorKind.NOT_A_DIRECTORY, "list", folderId, "this is a file, not a folder");
    }
    List<LinkNode> children = folder.children();
    int from = 0;
    if (cursor != null) {
      try {
        from = Integer.parseInt(cursor);
      } catch (NumberFormatException e) {
        from = -1;
      }
      if (from <= 0 || from >= children.size()) {
        throw error(ErrorKind.INVALID_ARGUMENT, "list", folderId,
            "unknown cursor '" + cursor + "'; pass null or the nextCursor of the previous page");
      }
    }
    int to = Math.min(children.size(), from + PAGE_SIZE);
    List<Entry> entries = children.subList(from, to).stream().map(LinkNode::toEntry).toList();
    return new Page(entries, to < children.size() ? Integer.toString(to) : null);
  }

  @Override
  public Entry stat(String id) {
    guard.ensureOpen("stat");
    return find("stat", id).toEntry();
  }

  @Override
  public Link link(String fileId) {
    guard.ensureOpen("link");
    LinkNode file = find("link", fileId);
    if (file.folder) {
      throw error(ErrorKind.IS_A_DIRECTORY, "link", fileId, "this is a folder; only files have links");
    }
    Link.Builder b;
    if (privateKey != null) {
      Instant expiresAt = Instant.ofEpochSecond(clock.instant().plus(validity).getEpochSecond());
      b = Link.builder(AuthKeySigner.sign(file.url, privateKey, uid, expiresAt)).expiresAt(expiresAt).note(NOTE_SIGNED);
    } else {
      b = Link.builder(file.url).note(NOTE_UNSIGNED);
    }
    if (file.size >= 0) b.contentLength(file.size);
    // A direct link is a public CDN URL that needs no header and is not bound to the asking
    // machine, so redirecting the end user to it works: no reason to proxy.
    return b.preferProxy(false).opener(openerFor(fileId)).build();
  }

  /** The shared opener, with this driver and the file's id added to its errors. */
  private Link.Opener openerFor(String fileId) {
    // Labelled: the error of a read its driver's close cut also names the file.
    Link.Opener labelled = HttpLinks.labelled(opener, Link123Provider.ID, fileId);
    return (link, offset, length) -> {
      try {
        return labelled.open(link, offset, length);
      } catch (DriveException e) {
        boolean pastExpiry = link.expiresAt().map(t -> clock.instant().isAfter(t)).orElse(false);
        if (e.kind() != ErrorKind.EXPIRED || pastExpiry) {
          throw e.toBuilder().driver(Link123Provider.ID).target(fileId).cause(e).build();
        }
        // A 403 for a link still in its validity: the signature is what the CDN refused.
        String why = privateKey == null
            ? "the CDN refused the unsigned link (HTTP 403): URL authentication is on for this direct-link space;"
                + " set directLinkPrivateKey and directLinkUid to the key and uid shown with it"
            : "the CDN refused the signed link (HTTP 403): directLinkPrivateKey or directLinkUid does not match the"
                + " direct-link space's URL authentication (or this machine's clock is off by more than the link's"
                + " validity); check both options";
        throw DriveException.builder(ErrorKind.EXPIRED, why).driver(Link123Provider.ID).operation("download").target(fileId)
            .providerFrom(e).cause(e).build();
      }
    };
  }

  private LinkNode find(String operation, String id) {
    LinkNode n = id == null ? null : tree.node(id);
    if (n == null) {
      throw error(ErrorKind.NOT_FOUND, operation, id, "no such entry in the tree (ids are absolute paths such as /folder/file.mp4)");
    }
    return n;
  }

  private static DriveException error(ErrorKind kind, String operation, String id, String message) {
    return DriveException.builder(kind, message).driver(Link123Provider.ID).operation(operation).target(id).build();
  }

  /**
   * After this, every operation throws IllegalStateException (see {@link Driver#close()}), and the
   * downloads in flight are cancelled (see {@link OpenDownloads}).
   */
  @Override
  public void close() {
    if (guard.close()) downloads.close();
  }

  @Override
  public String toString() {
    return "Link123Driver{" + tree + (privateKey != null ? ", signed for uid " + uid + ", valid " + validity : ", unsigned") + "}";
  }
}
