package io.github.pan4j.driver.common123.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Reads a whole folder through a page-numbered listing ({@code file/list/new}, {@code share/get})
 * and refuses to return a partial one (user-pain §5): pages are fetched until {@code Next} is
 * {@code "-1"} or a page is empty; the result must have no duplicate ids, and when the server
 * reports {@code Total}, exactly that many items. An inconsistent listing is read once more from
 * page 1 (the folder may have changed mid-way); a second inconsistent one is a PROTOCOL error.
 */
public final class WebListing {
  /** More pages than this means the server never ends the listing. */
  static final int MAX_PAGES = 10_000;

  private WebListing() {}

  /**
   * All items of a folder.
   *
   * @param fetchPage page number (1-based) → the reply's {@code data}
   * @param useTotal whether {@code data.Total} must match the item count
   */
  public static List<JsonNode> readAll(IntFunction<JsonNode> fetchPage, boolean useTotal, String driverId,
      String operation, String target) {
    DriveException first;
    try {
      return readOnce(fetchPage, useTotal);
    } catch (Inconsistent e) {
      first = e.error(driverId, operation, target);
    }
    try {
      return readOnce(fetchPage, useTotal);
    } catch (Inconsistent e) {
      DriveException second = e.error(driverId, operation, target);
      second.addSuppressed(first);
      throw second;
    }
  }

  /** One page of items and the cursor of the next page (null after the last). */
  public record Chunk(List<JsonNode> items, String nextCursor) {}

  /**
   * One page of a folder for a caller that pages with cursors. The cursor carries what the
   * consistency checks need ({@code page.total.seen.lastId}), so it is stateless: ids must keep
   * falling across pages (the listing is requested {@code file_id desc}, so a repeat or a reshuffle
   * shows up), {@code Total} must not change, and on the last page the items seen must add up to
   * it. A listing that fails a check mid-way is a retryable PROTOCOL error: list the folder again
   * from the start. A folder that fits one page is re-read once before failing.
   */
  public static Chunk readPage(IntFunction<JsonNode> fetchPage, String cursor, boolean useTotal, String driverId,
      String operation, String target) {
    long[] c = cursor == null ? new long[] {1, -1, 0, Long.MAX_VALUE} : parseCursor(cursor, driverId, operation, target);
    try {
      return readChunk(fetchPage, c, useTotal);
    } catch (Inconsistent e) {
      if (cursor != null) throw e.error(driverId, operation, target);
      DriveException first = e.error(driverId, operation, target);
      try {
        return readChunk(fetchPage, c, useTotal);
      } catch (Inconsistent again) {
        DriveException second = again.error(driverId, operation, target);
        second.addSuppressed(first);
        throw second;
      }
    }
  }

  private static Chunk readChunk(IntFunction<JsonNode> fetchPage, long[] c, boolean useTotal) {
    int page = (int) c[0];
    long total = c[1];
    long seen = c[2];
    long lastId = c[3];
    if (page > MAX_PAGES) throw new Inconsistent("the listing did not end after " + MAX_PAGES + " pages");
    JsonNode data = fetchPage.apply(page);
    JsonNode list = WebItems.field(data, "InfoList");
    if (list != null && !list.isNull() && !list.isArray()) throw new Inconsistent("InfoList is not an array on page " + page);
    if (useTotal) {
      long t = WebItems.number(data, "Total", -1);
      if (t < 0) throw new Inconsistent("page " + page + " has no Total");
      if (total >= 0 && t != total) {
        throw new Inconsistent("Total changed from " + total + " to " + t + " between pages (the folder changed or the server is inconsistent)");
      }
      total = t;
    }
    List<JsonNode> items = new ArrayList<>();
    int n = list == null || list.isNull() ? 0 : list.size();
    for (int i = 0; i < n; i++) {
      JsonNode item = list.get(i);
      long id = WebItems.fileId(item);
      if (id <= 0) throw new Inconsistent("page " + page + " has an item without FileId");
      if (id >= lastId) {
        throw new Inconsistent("item " + id + " on page " + page + " is out of order or repeated (ids must fall, previous " + lastId + ")");
      }
      lastId = id;
      items.add(item);
    }
    seen += n;
    String next = WebItems.text(data, "Next");
    boolean last = n == 0 || next == null || "-1".equals(next);
    if (last) {
      if (useTotal && total != seen) {
        throw new Inconsistent("the server reported Total " + total + " but listed " + seen + " items");
      }
      return new Chunk(items, null);
    }
    if (useTotal && seen >= total && total >= 0 && seen > total) {
      throw new Inconsistent("the server listed " + seen + " items but reported Total " + total);
    }
    return new Chunk(items, (page + 1) + "." + total + "." + seen + "." + lastId);
  }

  private static long[] parseCursor(String cursor, String driverId, String operation, String target) {
    String[] p = cursor.split("\\.");
    try {
      if (p.length == 4) {
        long[] c = {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3])};
        if (c[0] >= 2 && c[0] <= MAX_PAGES && c[2] >= 0 && c[3] > 0) return c;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw DriveException.builder(ErrorKind.INVALID_ARGUMENT, "'" + cursor + "' is not a cursor this driver handed out")
        .driver(driverId).operation(operation).target(target).build();
  }

  private static List<JsonNode> readOnce(IntFunction<JsonNode> fetchPage, boolean useTotal) {
    List<JsonNode> all = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    long total = -1;
    for (int page = 1; ; page++) {
      if (page > MAX_PAGES) throw new Inconsistent("the listing did not end after " + MAX_PAGES + " pages");
      JsonNode data = fetchPage.apply(page);
      JsonNode list = WebItems.field(data, "InfoList");
      if (list != null && !list.isNull() && !list.isArray()) {
        throw new Inconsistent("InfoList is not an array on page " + page);
      }
      if (useTotal) {
        long t = WebItems.number(data, "Total", -1);
        if (t < 0) throw new Inconsistent("page " + page + " has no Total");
        if (total >= 0 && t != total) {
          throw new Inconsistent("Total changed from " + total + " to " + t + " between pages (the folder changed or the server is inconsistent)");
        }
        total = t;
      }
      int n = list == null || list.isNull() ? 0 : list.size();
      for (int i = 0; i < n; i++) {
        JsonNode item = list.get(i);
        long id = WebItems.fileId(item);
        if (id <= 0) throw new Inconsistent("page " + page + " has an item without FileId");
        if (!ids.add(id)) throw new Inconsistent("item " + id + " appeared twice (page " + page + ")");
        all.add(item);
      }
      String next = WebItems.text(data, "Next");
      if (n == 0 || "-1".equals(next) || next == null) break;
    }
    if (useTotal && total != all.size()) {
      throw new Inconsistent("the server reported Total " + total + " but listed " + all.size() + " items");
    }
    return all;
  }

  /** A listing that did not add up. */
  private static final class Inconsistent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Inconsistent(String message) {
      super(message, null, false, false);
    }

    DriveException error(String driverId, String operation, String target) {
      return DriveException.builder(ErrorKind.PROTOCOL,
              "incomplete or inconsistent listing, refused rather than returning a partial folder: " + getMessage()
                  + "; retry later, and if it persists split very large folders")
          .driver(driverId).operation(operation).target(target).retryable(true).build();
    }
  }
}
