package io.github.pan4j.driver.share123;

import io.github.pan4j.core.config.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of the {@code 123share} driver. Prints without the code and the token.
 *
 * @param shareKey the share key (parsed out of the link the user pasted)
 * @param password the extraction code, or null when the share has none
 * @param rootFolderId the folder of the share shown as "/" ({@code 0} = the share's top level)
 * @param accessToken a 123云盘 bearer token for downloads that need a signed-in account, or null
 * @param apiBaseUrl the web API base ({@code https://yun.123pan.com/b/api})
 * @param listInterval minimum spacing between listing calls
 * @param account user name of a {@code 123pan} mount (same token store) whose session is used for
 *     downloads that need a signed-in account, or null; exclusive with {@code accessToken}
 */
public record Share123Config(String shareKey, Secret password, String rootFolderId, Secret accessToken,
    String apiBaseUrl, Duration listInterval, String account) {

  /** Without {@code account} (the form before it existed). */
  public Share123Config(String shareKey, Secret password, String rootFolderId, Secret accessToken, String apiBaseUrl,
      Duration listInterval) {
    this(shareKey, password, rootFolderId, accessToken, apiBaseUrl, listInterval, null);
  }

  public Share123Config {
    Objects.requireNonNull(shareKey, "shareKey");
    Objects.requireNonNull(rootFolderId, "rootFolderId");
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    Objects.requireNonNull(listInterval, "listInterval");
    if (password != null && password.isEmpty()) password = null;
    if (accessToken != null && accessToken.isEmpty()) accessToken = null;
    if (account != null) account = account.isBlank() ? null : account.trim();
    if (account != null && accessToken != null) {
      throw new IllegalArgumentException("set either accessToken or account, not both");
    }
  }

  public Optional<String> accountIfAny() { return Optional.ofNullable(account); }

  public Optional<Secret> passwordIfAny() { return Optional.ofNullable(password); }

  public Optional<Secret> accessTokenIfAny() { return Optional.ofNullable(accessToken); }
}
