package io.github.pan4j.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A public share as its creator sees it: what a visitor needs to open it (page URL, key and
 * extraction code) plus its lifetime. Made by {@link Drive#share} and listed by
 * {@link Drive#shares}. Immutable; prints without the extraction code.
 *
 * <p>A share driver opens it directly: for 123云盘 shares,
 * {@code Drives.open("123share", link.options())} browses what was shared.
 *
 * @param id the provider's id of the share (for listing and managing it), or null when unknown
 * @param key the share key, the last segment of the page URL
 * @param name the share's title
 * @param password the extraction code, or null for an open share
 * @param url the share's public page, e.g. {@code https://www.123pan.com/s/<key>}
 * @param expiresAt when the share closes, or null for a permanent share
 */
public record ShareLink(String id, String key, String name, String password, String url, Instant expiresAt) {
  public ShareLink {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(url, "url");
    if (password != null && password.isEmpty()) password = null;
  }

  /** The extraction code, if the share has one. */
  public Optional<String> passwordIfAny() { return Optional.ofNullable(password); }

  /** When the share closes; empty for a permanent share. */
  public Optional<Instant> expiry() { return Optional.ofNullable(expiresAt); }

  /** True when the share never expires. */
  public boolean permanent() { return expiresAt == null; }

  /** True when the share has closed at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /**
   * The link to hand to a person: the page URL, with {@code ?pwd=<code>} when the share has a code
   * (the form 123's own "copy link" button produces). Contains the code: print it deliberately.
   */
  public String urlWithPassword() {
    return password == null ? url : url + (url.contains("?") ? "&" : "?") + "pwd=" + password;
  }

  /**
   * The options of a share driver that opens this link: {@code shareUrl} (the page URL) and, when
   * the share has a code, {@code password}. These are the option names of the {@code 123share}
   * driver; add others (such as {@code apiBaseUrl}) to a copy of the map. Contains the code.
   */
  public Map<String, String> options() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("shareUrl", url);
    if (password != null) m.put("password", password);
    return Map.copyOf(m);
  }

  @Override
  public String toString() {
    return "ShareLink{" + url + (name != null ? ", name=" + name : "") + (password != null ? ", password=****" : "")
        + ", expires=" + (expiresAt == null ? "never" : expiresAt.toString()) + "}";
  }
}
