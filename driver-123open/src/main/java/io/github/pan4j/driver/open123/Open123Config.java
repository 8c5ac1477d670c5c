package io.github.pan4j.driver.open123;

import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.config.Secret;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Typed configuration of the {@code 123open} driver; see {@code docs/drivers/123open.md} for each
 * option. Secrets are {@link Secret}s, so this record prints without them.
 *
 * @param clientId developer client id (from the 123 open platform console), or null
 * @param clientSecret developer client secret, or null
 * @param accessToken a pasted access token, used until the server rejects it, or null
 * @param refreshToken an OAuth refresh token (single use; the driver persists each new one), or null
 * @param renewalServiceUrl URL of a token renewal service that redeems {@code refreshToken} (the
 *     jump-login service that issued it), or null to redeem it at 123 with client id and secret
 * @param rootFolderId the folder id that acts as "/" ({@code 0} = the account root)
 * @param uploadThreads slices uploaded in parallel (1..32)
 * @param uploadCompleteTimeout how long to wait for the server to verify an uploaded file
 * @param directLink link through the account's direct-link space instead of {@code download_info}
 * @param directLinkPrivateKey URL-authentication key of the direct-link space, or null (unsigned)
 * @param directLinkUid uid to sign with, or null to read it from user info
 * @param directLinkValidity lifetime of a signed direct link
 * @param removePermanently after moving to the trash, delete for good
 * @param tier {@code auto}, {@code free} or {@code vip}: which QPS table to pace requests with
 * @param qps per-endpoint QPS overrides (endpoint path without leading slash → requests/second)
 * @param apiBaseUrl API base URL (tests point it at the fake)
 * @param offlineCallbackUrl URL 123 POSTs each offline download's result to, or null (a secret: such
 *     URLs often carry a key)
 * @param uploadApi {@code v2} (slices to the upload host) or {@code v1} (presigned parts, resumable)
 * @param singleUploadMax files of at most this many bytes go up in one request ({@code single/create});
 *     0 sends every file in slices
 */
public record Open123Config(
    String clientId,
    Secret clientSecret,
    Secret accessToken,
    Secret refreshToken,
    String renewalServiceUrl,
    String rootFolderId,
    int uploadThreads,
    Duration uploadCompleteTimeout,
    boolean directLink,
    Secret directLinkPrivateKey,
    Long directLinkUid,
    Duration directLinkValidity,
    boolean removePermanently,
    String tier,
    Map<String, Double> qps,
    String apiBaseUrl,
    Secret offlineCallbackUrl,
    String uploadApi,
    long singleUploadMax) {

  public static final String DEFAULT_API_BASE_URL = "https://open-api.123pan.com";

  public Open123Config {
    // Defaults for null components come from the schema (Open123Provider.DEFAULTS), stated once there.
    rootFolderId = rootFolderId == null || rootFolderId.isBlank()
        ? Open123Provider.DEFAULTS.string("rootFolderId") : rootFolderId.trim();
    if (uploadThreads < 1 || uploadThreads > 32) {
      throw new IllegalArgumentException("uploadThreads must be between 1 and 32 but was " + uploadThreads);
    }
    uploadCompleteTimeout = Objects.requireNonNullElse(uploadCompleteTimeout,
        Open123Provider.DEFAULTS.duration("uploadCompleteTimeout"));
    directLinkValidity = Objects.requireNonNullElse(directLinkValidity, Open123Provider.DEFAULTS.duration("directLinkValidity"));
    tier = tier == null ? Open123Provider.DEFAULTS.string("tier") : tier;
    uploadApi = uploadApi == null ? Open123Provider.DEFAULTS.string("uploadApi") : uploadApi;
    qps = qps == null ? Map.of() : Map.copyOf(qps);
    if (singleUploadMax < 0 || singleUploadMax > Open123Uploads.MAX_SINGLE) {
      throw new IllegalArgumentException("singleUploadMax must be between 0 and " + Open123Uploads.MAX_SINGLE
          + " but was " + singleUploadMax);
    }
    renewalServiceUrl = renewalServiceUrl == null || renewalServiceUrl.isBlank() ? null : renewalServiceUrl.trim();
    apiBaseUrl = apiBaseUrl == null || apiBaseUrl.isBlank() ? DEFAULT_API_BASE_URL : stripSlash(apiBaseUrl.trim());
  }

  /** True when client id and secret are both set, so tokens can be minted and renewed. */
  public boolean hasCredentials() {
    return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isEmpty();
  }

  /** True when tokens are renewed through a token renewal service (refresh token + service URL). */
  public boolean usesRenewalService() {
    return renewalServiceUrl != null && refreshToken != null && !refreshToken.isEmpty();
  }

  /** A configuration with client credentials and defaults for everything else. */
  public static Open123Config ofCredentials(String clientId, Secret clientSecret) {
    Options d = Open123Provider.DEFAULTS;
    return new Open123Config(clientId, clientSecret, null, null, null, d.string("rootFolderId"), d.intValue("uploadThreads"),
        d.duration("uploadCompleteTimeout"), d.bool("directLink"), null, null, d.duration("directLinkValidity"),
        d.bool("removePermanently"), d.string("tier"), Map.of(), d.string("apiBaseUrl"), null,
        d.string("uploadApi"), d.integer("singleUploadMax"));
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
