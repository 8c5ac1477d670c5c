package io.github.pan4j.driver.open123;

import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.ConfigSchema.Problem;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code 123open} driver: 123云盘 through its open platform ({@code open-api.123pan.com}) with a
 * developer client id and secret, a pasted access token, or an OAuth refresh token (redeemed at 123
 * with the app's client id and secret, or through a token renewal service).
 */
public final class Open123Provider implements DriverProvider<Open123Config> {
  public static final String ID = "123open";

  private static final String AUTH = "Authentication";
  private static final String UPLOAD = "Upload";
  private static final String LINKS = "Download links";
  private static final String ADVANCED = "Advanced";

  private static final OptionSpec RENEWAL_SERVICE_URL = OptionSpec.of("renewalServiceUrl", OptionType.STRING,
          "URL of the token renewal service whose jump-login page issued refreshToken; the driver renews"
              + " through it (no clientId/clientSecret needed). Each new refresh token is persisted through the token store.")
      .withExample("https://renew.example.org/123cloud/renewapi").inGroup(AUTH);

  static final ConfigSchema SCHEMA = ConfigSchema.of(ID,
      OptionSpec.of("clientId", OptionType.STRING,
              "Client id of your app in the 123 open platform developer console.")
          .withExample("a1b2c3d4e5f6").inGroup(AUTH),
      OptionSpec.of("clientSecret", OptionType.SECRET,
              "Client secret of that app; with clientId the driver mints and renews tokens itself.")
          .inGroup(AUTH),
      OptionSpec.of("accessToken", OptionType.SECRET,
              "A pasted access token. Used until the server rejects it; renewed only if clientId and clientSecret are set.")
          .inGroup(AUTH),
      OptionSpec.of("refreshToken", OptionType.SECRET,
              "OAuth refresh token: redeemed with clientId and clientSecret, or through renewalServiceUrl."
                  + " Single use: each new one is persisted through the token store.")
          .inGroup(AUTH),
      RENEWAL_SERVICE_URL,
      // OpenList's name for the same setting (api_url_address), accepted for configs carried over.
      OptionSpec.renamed("apiUrlAddress", RENEWAL_SERVICE_URL),
      OptionSpec.of("rootFolderId", OptionType.STRING, "Folder id that acts as \"/\"; 0 is the account root.")
          .withDefault("0").withExample("0"),
      OptionSpec.of("uploadThreads", OptionType.INT,
              "Slices uploaded in parallel. Slices are streamed from the file, so memory does not grow with threads × slice size.")
          .withDefault("3").withRange(1, 32).inGroup(UPLOAD),
      OptionSpec.of("uploadCompleteTimeout", OptionType.DURATION,
              "How long to wait for 123 to verify an uploaded file before giving up.")
          .withDefault("5m").inGroup(UPLOAD),
      OptionSpec.of("uploadApi", OptionType.ENUM,
              "Upload protocol: v2 (slices to the upload host) or v1 (presigned parts; an interrupted upload of the"
                  + " same file resumes from the parts 123 already has). v2 falls back to v1 when 123 refuses its upload domain.")
          .withDefault("v2").withChoices("v2", "v1").inGroup(UPLOAD),
      OptionSpec.of("singleUploadMax", OptionType.INT,
              "Files of at most this many bytes are sent in one request (single/create) instead of create, slices and"
                  + " completion polls; 0 sends every file in slices. At most 1 GiB (the platform's limit for one request).")
          .withDefault(String.valueOf(Open123Uploads.DEFAULT_SINGLE_MAX)).withRange(0, Open123Uploads.MAX_SINGLE)
          .withExample("16777216").inGroup(UPLOAD),
      OptionSpec.of("directLink", OptionType.BOOLEAN,
              "Link through the direct-link space (VIP; the file must be in a folder with direct links enabled) instead of download_info.")
          .withDefault("false").inGroup(LINKS),
      OptionSpec.of("directLinkPrivateKey", OptionType.SECRET,
              "URL-authentication key of the direct-link space (直链 → URL鉴权); when set, direct links are signed and expire.")
          .inGroup(LINKS),
      OptionSpec.of("directLinkUid", OptionType.INT,
              "Account uid used to sign direct links; read from user info when empty.")
          .withRange(1, Long.MAX_VALUE).inGroup(LINKS),
      OptionSpec.of("directLinkValidity", OptionType.DURATION, "Lifetime of a signed direct link.")
          .withDefault("30m").inGroup(LINKS),
      OptionSpec.of("removePermanently", OptionType.BOOLEAN,
              "After moving removed entries to the trash, delete them for good.")
          .withDefault("false"),
      new OptionSpec("tier", OptionType.ENUM, false, "auto",
          "QPS table to pace requests with: auto detects VIP from user info.", "auto",
          List.of("auto", "free", "vip"), null, null, ADVANCED),
      OptionSpec.of("qps", OptionType.STRING,
              "Per-endpoint QPS overrides, comma separated endpoint=value.")
          .withExample("api/v2/file/list=3,upload/v2/file/create=1").inGroup(ADVANCED),
      OptionSpec.of("apiBaseUrl", OptionType.STRING, "API base URL; change only for a test server.")
          .withDefault(Open123Config.DEFAULT_API_BASE_URL).inGroup(ADVANCED),
      OptionSpec.of("offlineCallbackUrl", OptionType.SECRET,
              "URL 123 POSTs the result of each offline download to ({url, status, failReason, fileID}); "
                  + "a secret because such URLs often carry a key.")
          .withExample("https://example.org/hooks/123-offline").inGroup(ADVANCED))
      .withCheck(Open123Provider::crossChecks);

  /** The parsed defaults of {@link #SCHEMA}: where {@link Open123Config} takes its defaults from. */
  static final Options DEFAULTS = SCHEMA.defaults();

  /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
  public Open123Provider() {}

  @Override
  public String id() { return ID; }

  @Override
  public String displayName() { return "123云盘 Open Platform"; }

  @Override
  public ConfigSchema schema() { return SCHEMA; }

  @Override
  public Class<? extends Driver> driverType() { return Open123Driver.class; }

  @Override
  public Open123Config parse(Map<String, String> options) {
    Options o = SCHEMA.parse(options);
    Map<String, Double> qps = parseQps(o.optionalString("qps").orElse(""), new ArrayList<>());
    String clientId = o.optionalString("clientId").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
    return new Open123Config(
        clientId,
        o.secret("clientSecret"),
        o.secret("accessToken"),
        o.secret("refreshToken"),
        o.optionalString("renewalServiceUrl").map(String::trim).filter(s -> !s.isEmpty()).orElse(null),
        o.string("rootFolderId"),
        o.intValue("uploadThreads"),
        o.duration("uploadCompleteTimeout"),
        o.bool("directLink"),
        o.secret("directLinkPrivateKey"),
        o.has("directLinkUid") ? o.integer("directLinkUid") : null,
        o.duration("directLinkValidity"),
        o.bool("removePermanently"),
        o.string("tier"),
        qps,
        o.string("apiBaseUrl"),
        nonBlank(o.secret("offlineCallbackUrl")),
        o.string("uploadApi"),
        o.integer("singleUploadMax"));
  }

  private static Secret nonBlank(Secret s) {
    return s == null || s.reveal().isBlank() ? null : Secret.of(s.reveal().trim());
  }

  /** Checks between options, collected by the schema together with its own problems. */
  private static void crossChecks(Options o, List<Problem> problems) {
    boolean clientId = present(o, "clientId");
    boolean hasSecret = present(o, "clientSecret");
    boolean hasAccess = present(o, "accessToken");
    boolean hasRefresh = present(o, "refreshToken");
    if (clientId && !hasSecret && !hasAccess) {
      problems.add(new Problem(List.of("clientSecret", "clientId", "accessToken"),
          "option 'clientSecret' is required with 'clientId' (or paste an 'accessToken')"));
    }
    if (!clientId && hasSecret) {
      problems.add(new Problem(List.of("clientId", "clientSecret"), "option 'clientId' is required with 'clientSecret'"));
    }
    String root = o.optionalString("rootFolderId").orElse(null);
    if (root != null && !root.isBlank() && !root.trim().matches("\\d{1,19}")) {
      // 123open file ids are numbers; anything else would only fail later as "not found".
      problems.add(new Problem(List.of("rootFolderId"), "option 'rootFolderId' must be a folder id (digits, 0 = the account"
          + " root), not '" + (root.length() > 40 ? root.substring(0, 40) + "..." : root.trim())
          + "'; see docs/drivers/123open.md for how to find it"));
    }
    String api = o.optionalString("apiBaseUrl").orElse("").trim();
    if (okhttp3.HttpUrl.parse(api) == null) { // found when a host checks its form, not at the first mount
      problems.add(new Problem(List.of("apiBaseUrl"), "option 'apiBaseUrl' must be an http(s) URL such as "
          + Open123Config.DEFAULT_API_BASE_URL + " but was '" + (api.length() > 60 ? api.substring(0, 60) + "..." : api) + "'"));
    }
    if (present(o, "offlineCallbackUrl")) {
      okhttp3.HttpUrl cb = okhttp3.HttpUrl.parse(o.secret("offlineCallbackUrl").reveal().trim());
      if (cb == null) {
        problems.add(new Problem(List.of("offlineCallbackUrl"),
            "option 'offlineCallbackUrl' must be an http(s) URL such as https://example.org/hooks/123-offline"));
      }
    }
    boolean hasService = present(o, "renewalServiceUrl");
    if (hasService) {
      String url = o.string("renewalServiceUrl").trim();
      okhttp3.HttpUrl parsed = okhttp3.HttpUrl.parse(url);
      if (parsed == null) {
        problems.add(new Problem(List.of("renewalServiceUrl"),
            "option 'renewalServiceUrl' must be an http(s) URL such as https://renew.example.org/123cloud/renewapi"));
      }
      if (!hasRefresh) {
        problems.add(new Problem(List.of("refreshToken", "renewalServiceUrl"),
            "option 'renewalServiceUrl' needs the 'refreshToken' its jump-login page gave you"));
      }
      if (clientId || hasSecret) {
        problems.add(new Problem(List.of("renewalServiceUrl", "clientId", "clientSecret"),
            "options 'renewalServiceUrl' and 'clientId'/'clientSecret' are two ways to renew tokens; give one of them"));
      }
    } else if (hasRefresh && (!clientId || !hasSecret)) {
      problems.add(new Problem(List.of("refreshToken", "clientId", "clientSecret", "renewalServiceUrl"),
          "option 'refreshToken' needs 'clientId' and 'clientSecret' to redeem it, or the 'renewalServiceUrl' that issued it"));
    }
    if (!clientId && !hasAccess && !hasSecret && !(hasService && hasRefresh)) {
      problems.add(new Problem(List.of("clientId", "clientSecret", "accessToken", "refreshToken", "renewalServiceUrl"),
          "give 'clientId' and 'clientSecret' (from the developer console), or paste an 'accessToken',"
              + " or give the 'refreshToken' and 'renewalServiceUrl' of a token renewal service"));
    }
    if (present(o, "directLinkPrivateKey") && !o.bool("directLink")) {
      problems.add(new Problem(List.of("directLinkPrivateKey", "directLink"), "option 'directLinkPrivateKey' only applies with directLink=true"));
    }
    parseQps(o.optionalString("qps").orElse(""), problems);
  }

  private static Map<String, Double> parseQps(String raw, List<Problem> problems) {
    Map<String, Double> qps = new LinkedHashMap<>();
    for (String pair : (raw == null ? "" : raw).split(",")) {
      if (pair.isBlank()) continue;
      int eq = pair.indexOf('=');
      try {
        if (eq <= 0) throw new NumberFormatException();
        String endpoint = pair.substring(0, eq).trim();
        if (endpoint.startsWith("/")) endpoint = endpoint.substring(1);
        double v = Double.parseDouble(pair.substring(eq + 1).trim());
        if (v < 0 || Double.isNaN(v)) throw new NumberFormatException();
        qps.put(endpoint, v);
      } catch (NumberFormatException e) {
        problems.add(new Problem(List.of("qps"),
            "option 'qps' must be endpoint=number pairs such as api/v2/file/list=3 but had '" + pair.trim() + "'"));
      }
    }
    return qps;
  }

  /** Given and not blank (the schema drops blank values). */
  private static boolean present(Options o, String key) {
    return o.has(key);
  }

  @Override
  public Driver open(Open123Config config, DriverContext context) {
    return new Open123Driver(config, context);
  }

  /**
   * The hashing pass a fresh driver's {@code prepare} starts: slice MD5s for the slice size 123
   * names by default, none for v1 uploads, which send parts without them.
   */
  @Override
  public void prepareUpload(Open123Config config, UploadSource source) {
    Open123Uploads.prefetch(source, Open123Uploads.sliceDigests(config, Open123Uploads.SLICE_HINT));
  }

  @Override
  public String toString() {
    return "Open123Provider{" + ID + "}";
  }
}
