package io.github.pan4j.driver.pan123;

import io.github.pan4j.core.config.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of the {@code 123pan} driver. Prints without the password and the token.
 *
 * <p>Either {@code username} and {@code password} (sign-in), or a pasted {@code accessToken}, or
 * all three (the token is used first; when 123 rejects it the driver signs in with the password).
 *
 * @param username phone number or e-mail address used to sign in; "" when only a token is configured
 * @param password the account password, or null when only a token is configured
 * @param rootFolderId the folder that acts as "/" ({@code 0} is the drive's root)
 * @param platform the {@code platform} header ({@code web})
 * @param uploadThreads concurrent part uploads (1–16)
 * @param apiBaseUrl the web API base ({@code https://yun.123pan.com/b/api}); a bare host gets {@code /b/api}
 * @param loginBaseUrl the sign-in host ({@code https://login.123pan.com})
 * @param logoutOnClose whether {@code close()} signs out (and forgets the stored token)
 * @param listInterval minimum spacing between listing calls
 * @param appVersion the {@code app-version} header
 * @param userAgent the {@code user-agent} header of API calls
 * @param accessToken a bearer token pasted from a signed-in browser session, or null
 */
public record Pan123Config(String username, Secret password, String rootFolderId, String platform, int uploadThreads,
    String apiBaseUrl, String loginBaseUrl, boolean logoutOnClose, Duration listInterval, String appVersion,
    String userAgent, Secret accessToken) {

  /**
   * E-mail detection: anything of the form {@code local@domain.tld}, in any letter case. OpenList's
   * regex accepts lower case only and would send {@code Foo@Example.com} as a phone number, which
   * the server cannot match; we do not copy that quirk.
   */
  static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  public Pan123Config {
    if (password != null && password.isEmpty()) password = null;
    if (accessToken != null && accessToken.isEmpty()) accessToken = null;
    username = username == null ? "" : username;
    Objects.requireNonNull(rootFolderId, "rootFolderId");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    Objects.requireNonNull(loginBaseUrl, "loginBaseUrl");
    Objects.requireNonNull(listInterval, "listInterval");
    Objects.requireNonNull(appVersion, "appVersion");
    Objects.requireNonNull(userAgent, "userAgent");
    username = username.trim();
    if (accessToken == null && (username.isEmpty() || password == null)) {
      throw new IllegalArgumentException("set username and password, or accessToken (a token pasted from a signed-in"
          + " browser, see docs/drivers/123pan.md)");
    }
    if (password != null && username.isEmpty()) {
      throw new IllegalArgumentException("password is set but username is empty");
    }
    if (uploadThreads < 1 || uploadThreads > 16) {
      throw new IllegalArgumentException("uploadThreads must be between 1 and 16 but was " + uploadThreads);
    }
  }

  /** Whether a sign-in with username and password is possible. */
  public boolean canSignIn() {
    return password != null && !username.isEmpty();
  }

  /** The pasted token, if any. */
  public java.util.Optional<Secret> accessTokenIfAny() {
    return java.util.Optional.ofNullable(accessToken);
  }

  /** True when {@link #username} is an e-mail address (signs in with {@code mail}, type 2). */
  public boolean usesEmail() {
    return EMAIL.matcher(username).matches();
  }
}
