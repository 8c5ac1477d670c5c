package io.github.pan4j.driver.common123.web;

import io.github.pan4j.core.auth.AccountKey;
import java.util.Locale;

/**
 * Where a {@code 123pan} mount leaves its current web session for other drivers of the same token
 * store: the {@code 123share} driver's {@code account} option reads it, so a share's files that
 * need a signed-in account can use that account's session without {@code 123share} depending on
 * {@code 123pan} or knowing its password.
 *
 * <p>The key is {@code 123pan|<api base>|<user name, lower case>}: the account key without a
 * secret digest. The {@code 123pan} driver's own key carries the digest of its password (or
 * pasted token), so this published copy never overwrites, and is never mistaken for, the token a
 * mount signs in with; it is written only by {@code 123pan} and only read by others.
 */
public final class WebSessions {
  /** The driver id under which sessions are published. */
  public static final String PUBLISHER = "123pan";

  private WebSessions() {}

  /** The store key of {@code username}'s published session on the API at {@code apiBase}. */
  public static String publishedKey(String apiBase, String username) {
    return AccountKey.of(PUBLISHER, apiBase, username.trim().toLowerCase(Locale.ROOT), null).storeKey();
  }
}
