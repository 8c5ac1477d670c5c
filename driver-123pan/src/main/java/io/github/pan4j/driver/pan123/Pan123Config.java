package io.github.pan4j.driver.pan123;

import io.github.pan4j.core.config.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of the {@code 123pan} driver. Prints without the password.
 *
 * @param username phone number or e-mail address used to sign in
 * @param password the account password
 * @param rootFolderId the folder that acts as "/" ({@code 0} is the drive's root)
 * @param platform the {@code platform} header ({@code web})
 * @param uploadThreads concurrent part uploads (1–16)
 * @param apiBaseUrl the web API base ({@code https://yun.123pan.com/b/api}); a bare host gets {@code /b/api}
 * @param loginBaseUrl the sign-in host ({@code https://login.123pan.com})
 * @param logoutOnClose whether {@code close()} signs out (and forgets the stored token)
 * @param listInterval minimum spacing between listing calls
 * @param appVersion the {@code app-version} header
 * @param userAgent the {@code user-agent} header of API calls
 */
public record Pan123Config(String username, Secret password, String rootFolderId, String platform, int uploadThreads,
    String apiBaseUrl, String loginBaseUrl, boolean logoutOnClose, Duration listInterval, String appVersion,
    String userAgent) {

  /**
   * E-mail detection: anything of the form {@code local@domain.tld}, in any letter case. OpenList's
   * regex accepts lower case only and would send {@code Foo@Example.com} as a phone number, which
   * the server cannot match; we do not copy that quirk.
   */
  static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  public Pan123Config {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(rootFolderId, "rootFolderId");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    Objects.requireNonNull(loginBaseUrl, "loginBaseUrl");
    Objects.requireNonNull(listInterval, "listInterval");
    Objects.requireNonNull(appVersion, "appVersion");
    Objects.requireNonNull(userAgent, "userAgent");
    username = username.trim();
    if (username.isEmpty()) throw new IllegalArgumentException("username must not be blank");
    if (uploadThreads < 1 || uploadThreads > 16) {
      throw new IllegalArgumentException("uploadThreads must be between 1 and 16 but was " + uploadThreads);
    }
  }

  /** True when {@link #username} is an e-mail address (signs in with {@code mail}, type 2). */
  public boolean usesEmail() {
    return EMAIL.matcher(username).matches();
  }
}
