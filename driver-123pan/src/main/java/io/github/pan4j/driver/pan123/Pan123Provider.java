package io.github.pan4j.driver.pan123;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.ConfigSchema.Problem;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import io.github.pan4j.driver.common123.web.WebProfile;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code 123pan} driver: a personal 123云盘 account through the web API, signed in with phone
 * or e-mail and password, or with a token pasted from a browser session. See
 * {@code docs/drivers/123pan.md}.
 */
public final class Pan123Provider implements DriverProvider<Pan123Config> {
  public static final String ID = "123pan";

  private static final ConfigSchema SCHEMA = ConfigSchema.of(ID,
      OptionSpec.of("username", OptionType.STRING,
              "Phone number or e-mail address of the 123云盘 account (an address with '@' signs in as e-mail);"
                  + " required with password")
          .withExample("13800000000").inGroup("Account"),
      OptionSpec.of("password", OptionType.SECRET, "The account password (needed unless accessToken is set)")
          .inGroup("Account"),
      OptionSpec.of("accessToken", OptionType.SECRET, "Instead of (or before) the password: the bearer token of a"
              + " signed-in browser session (developer tools, a request to yun.123pan.com/b/api, header"
              + " 'Authorization: Bearer <token>'), for accounts whose web sign-in is blocked; it cannot be renewed")
          .inGroup("Account"),
      OptionSpec.of("rootFolderId", OptionType.STRING,
              "Id of the folder shown as '/', the last number in the web page's URL (0 = the whole drive)")
          .withDefault("0").withExample("0"),
      OptionSpec.of("platform", OptionType.STRING, "The 'platform' header sent to the web API")
          .withDefault("web").inGroup("Protocol"),
      OptionSpec.of("uploadThreads", OptionType.INT, "Parts uploaded at the same time (memory use is bounded by"
              + " threads x part size, and parts are streamed from the source)")
          .withDefault("3").withRange(1, 16),
      OptionSpec.of("apiBaseUrl", OptionType.STRING, "Web API base URL; override only when 123 moves its API host")
          .withDefault(WebProfile.DEFAULT_API_BASE).inGroup("Protocol"),
      OptionSpec.of("loginBaseUrl", OptionType.STRING, "Sign-in host; override only when 123 moves it")
          .withDefault(WebProfile.DEFAULT_LOGIN_BASE).inGroup("Protocol"),
      OptionSpec.of("logoutOnClose", OptionType.BOOLEAN, "Sign out when the driver closes (the next start signs in"
              + " again, which 123 counts against its login limits; other open mounts of the account share the"
              + " session and sign in again too)")
          .withDefault("false"),
      OptionSpec.of("listInterval", OptionType.DURATION, "Minimum spacing between listing calls (123 throttles"
              + " fast listing)")
          .withDefault("700ms").inGroup("Protocol"),
      OptionSpec.of("appVersion", OptionType.STRING, "The 'app-version' header").withDefault("3").inGroup("Protocol"),
      OptionSpec.of("userAgent", OptionType.STRING, "The 'user-agent' header of API calls")
          .withDefault(WebProfile.production().userAgent()).inGroup("Protocol"))
      .withCheck((o, problems) -> {
        boolean user = o.has("username") && !o.string("username").isBlank();
        boolean pwd = o.has("password") && !o.secret("password").isEmpty();
        boolean token = o.has("accessToken") && !o.secret("accessToken").isEmpty();
        if (!token && !(user && pwd)) {
          problems.add(new Problem(List.of("username", "password", "accessToken"), "set options 'username' and"
              + " 'password', or 'accessToken' (a token pasted from a signed-in browser session)"));
        } else if (pwd && !user) {
          problems.add(new Problem(List.of("username", "password"), "option 'password' is set but 'username' is empty"));
        }
      })
      .withCheck((o, problems) -> {
        if (o.has("rootFolderId") && !o.string("rootFolderId").trim().matches("\\d+")) {
          problems.add(new Problem(List.of("rootFolderId"),
              "option 'rootFolderId' must be a folder id (digits) but was '" + o.string("rootFolderId").trim() + "'"));
        }
      })
      .withCheck((o, problems) -> {
        try {
          WebProfile.production().withApiBaseUrl(o.string("apiBaseUrl"));
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(List.of("apiBaseUrl"), e.getMessage()));
        }
        try {
          WebProfile.production().withLoginBaseUrl(o.string("loginBaseUrl"));
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(List.of("loginBaseUrl"), e.getMessage()));
        }
      });

  @Override
  public String id() { return ID; }

  @Override
  public String displayName() { return "123云盘 (web login)"; }

  @Override
  public ConfigSchema schema() { return SCHEMA; }

  @Override
  public Class<? extends Driver> driverType() { return Pan123Driver.class; }

  @Override
  public Pan123Config parse(Map<String, String> options) {
    Options o = SCHEMA.parse(options);
    try {
      Pan123Config c = new Pan123Config(o.optionalString("username").orElse(""), o.secret("password"),
          o.string("rootFolderId").trim(), o.string("platform"), o.intValue("uploadThreads"), o.string("apiBaseUrl"),
          o.string("loginBaseUrl"), o.bool("logoutOnClose"), o.duration("listInterval"), o.string("appVersion"),
          o.string("userAgent"), o.secret("accessToken"));
      profile(c); // the header values; the URLs were checked with the other options
      return c;
    } catch (IllegalArgumentException e) {
      throw DriveException.builder(ErrorKind.CONFIG_INVALID, "invalid configuration: " + e.getMessage())
          .driver(ID).operation("open").build();
    }
  }

  @Override
  public Driver open(Pan123Config config, DriverContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    return new Pan123Driver(config, profile(config), context);
  }

  /** The whole-file MD5 the driver's {@code prepare} starts. */
  @Override
  public void prepareUpload(Pan123Config config, UploadSource source) {
    Pan123Driver.prefetch(source);
  }

  static WebProfile profile(Pan123Config c) {
    return WebProfile.production().withApiBaseUrl(c.apiBaseUrl()).withLoginBaseUrl(c.loginBaseUrl())
        .withPlatform(c.platform()).withAppVersion(c.appVersion()).withUserAgent(c.userAgent());
  }
}
