package io.github.pan4j.core;

import java.util.List;

/**
 * One page of the shares an account has made.
 *
 * @param shares the shares of this page, in the provider's order
 * @param nextCursor opaque cursor for the next page, or null when this is the last page
 */
public record SharePage(List<ShareLink> shares, String nextCursor) {
  public SharePage {
    shares = List.copyOf(shares);
  }

  public boolean hasNext() { return nextCursor != null; }

  @Override
  public String toString() {
    return "SharePage{" + shares.size() + " shares" + (hasNext() ? ", more" : ", last") + "}";
  }
}
