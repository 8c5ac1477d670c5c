package io.github.pan4j.driver.share123;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.ConfigSchema.Problem;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import io.github.pan4j.driver.common123.web.WebProfile;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code 123share} driver: browses and downloads a public 123云盘 share, read-only. See
 * {@code docs/drivers/123share.md}.
 */
public final class Share123Provider implements DriverProvider<Share123Config> {
  public static final String ID = "123share";

  private static final ConfigSchema SCHEMA = ConfigSchema.of(ID,
      OptionSpec.of("shareUrl", OptionType.STRING, "The share link as copied (any 123 host, with ?pwd= or 提取码 text)"
              + " or just the share key")
          .asRequired().withExample("https://www.123pan.com/s/abcd-EFGh1?pwd=1a2b"),
      OptionSpec.of("password", OptionType.SECRET, "The extraction code; optional, a code found in shareUrl is used"
          + " when this is empty"),
      OptionSpec.of("rootFolderId", OptionType.STRING, "Id of the shared folder shown as '/' (0 = the share's top level)")
          .withDefault("0"),
      OptionSpec.of("accessToken", OptionType.SECRET, "A 123云盘 web token of any account, for files the share only"
          + " serves to signed-in users (usually those over 100 MB)"),
      OptionSpec.of("account", OptionType.STRING, "Instead of accessToken: the user name (phone or e-mail) of a 123pan"
          + " mount using the same token store, whose session is used for files that need a signed-in account")
          .withExample("13800000000"),
      OptionSpec.of("apiBaseUrl", OptionType.STRING, "Web API base URL; override only when 123 moves its API host")
          .withDefault(WebProfile.DEFAULT_API_BASE).inGroup("Protocol"),
      OptionSpec.of("listInterval", OptionType.DURATION, "Minimum spacing between listing calls").withDefault("700ms")
          .inGroup("Protocol"))
      .withCheck((o, problems) -> {
        if (!o.has("shareUrl")) return;
        try {
          ShareLinks.parse(o.string("shareUrl"));
        } catch (DriveException e) {
          problems.add(new Problem(List.of("shareUrl"), "option 'shareUrl': " + e.reason()));
        }
      })
      .withCheck((o, problems) -> {
        if (o.has("account") && !o.string("account").isBlank() && o.has("accessToken") && !o.secret("accessToken").isEmpty()) {
          problems.add(new Problem(List.of("account", "accessToken"),
              "set either 'accessToken' or 'account' (a 123pan user name whose session to use), not both"));
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
      });

  @Override
  public String id() { return ID; }

  @Override
  public String displayName() { return "123云盘 share"; }

  @Override
  public ConfigSchema schema() { return SCHEMA; }

  @Override
  public Class<? extends Driver> driverType() { return Share123Driver.class; }

  @Override
  public Share123Config parse(Map<String, String> options) {
    Options o = SCHEMA.parse(options);
    ShareLink link = ShareLinks.parse(o.string("shareUrl")); // checked by the schema
    Secret pwd = o.optionalSecret("password").filter(s -> !s.isEmpty())
        .orElse(link.code().map(Secret::of).orElse(null));
    return new Share123Config(link.key(), pwd, o.string("rootFolderId").trim(), o.secret("accessToken"),
        o.string("apiBaseUrl"), o.duration("listInterval"), o.string("account"));
  }

  @Override
  public Driver open(Share123Config config, DriverContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    return new Share123Driver(config, WebProfile.production().withApiBaseUrl(config.apiBaseUrl()), context);
  }
}
