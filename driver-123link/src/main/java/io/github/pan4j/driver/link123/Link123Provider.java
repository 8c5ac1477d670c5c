package io.github.pan4j.driver.link123;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.ConfigSchema.Problem;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code 123link} driver: a read-only drive made of 123云盘 direct links (直链) that you list
 * by hand in a tree text, optionally signed with the account's URL-authentication key.
 *
 * <p>Options: {@code tree} (required), {@code directLinkPrivateKey}, {@code directLinkUid}
 * (required with a key), {@code directLinkValidity} (default 30m) — the names the {@code 123open}
 * driver uses for the same settings. The old names {@code privateKey}, {@code uid} and
 * {@code validityMinutes} still work and are reported as deprecated. See
 * {@code docs/drivers/123link.md}.
 */
public final class Link123Provider implements DriverProvider<Link123Config> {
  /** The driver id. */
  public static final String ID = "123link";

  static final String TREE = "tree";
  static final String PRIVATE_KEY = "directLinkPrivateKey";
  static final String UID = "directLinkUid";
  static final String VALIDITY = "directLinkValidity";
  /** Deprecated: the validity in whole minutes, before {@link #VALIDITY} took a duration. */
  static final String VALIDITY_MINUTES = "validityMinutes";
  static final String STRICT = "strict";

  private static final OptionSpec PRIVATE_KEY_SPEC = OptionSpec.of(PRIVATE_KEY, OptionType.SECRET,
      "URL-authentication key (鉴权密钥) from 直链管理; leave empty when authentication is off and links are served unsigned");
  private static final OptionSpec UID_SPEC = OptionSpec.of(UID, OptionType.INT,
          "Account id (帐号ID) from the account settings page; required with a private key")
      .withRange(0, Long.MAX_VALUE).withExample("1812345678");

  static final ConfigSchema SCHEMA = ConfigSchema.of(ID,
          OptionSpec.of(TREE, OptionType.TEXT,
                  "Folders ('name:') and files ('[size:][modified:]URL'), one per line, two spaces of indentation per level")
              .asRequired()
              .withExample("movies:\n  1048576:1694101621:https://vip.123pan.cn/1812345678/movies/a.mp4\n"
                  + "https://vip.123pan.cn/1812345678/readme.txt"),
          PRIVATE_KEY_SPEC,
          UID_SPEC,
          OptionSpec.of(VALIDITY, OptionType.DURATION, "How long a signed link stays valid, e.g. 30m or 2h")
              .withDefault("30m"),
          OptionSpec.renamed("privateKey", PRIVATE_KEY_SPEC),
          OptionSpec.renamed("uid", UID_SPEC),
          OptionSpec.of(VALIDITY_MINUTES, OptionType.INT, "How many minutes a signed link stays valid")
              .withRange(1, 525_600).deprecated("replaced by '" + VALIDITY + "', a duration such as 30m"),
          OptionSpec.of(STRICT, OptionType.BOOLEAN,
                  "Read the tree strictly (a lone ten-digit number is a timestamp, no tabs, names without the query string)"
                      + " instead of as OpenList does")
              .withDefault("false"))
      .withCheck((o, problems) -> {
        if (o.optionalSecret(PRIVATE_KEY).filter(k -> !k.isEmpty()).isPresent() && (!o.has(UID) || o.integer(UID) == 0)) {
          problems.add(new Problem(List.of(UID, PRIVATE_KEY), "option '" + UID + "' is required when '" + PRIVATE_KEY
              + "' is set: the account id (帐号ID) from https://www.123pan.com/Setting"));
        }
      })
      .withCheck((o, problems) -> {
        // Said here, naming the option, rather than by the config record's constructor after parsing.
        if (o.has(VALIDITY) && o.duration(VALIDITY).getSeconds() < 1) {
          problems.add(new Problem(List.of(VALIDITY), "option '" + VALIDITY + "' must be at least 1s, such as 30m, but was "
              + o.duration(VALIDITY)));
        }
      })
      .withCheck((o, problems) -> {
        if (o.has(TREE)) {
          try {
            LinkTree.parse(o.string(TREE), o.bool(STRICT) ? LinkTree.Reading.STRICT : LinkTree.Reading.OPENLIST,
                java.time.Instant.now(), false);
          } catch (DriveException e) {
            problems.add(new Problem(List.of(TREE), e.reason()));
          }
        }
      });

  /** The parsed defaults of {@link #SCHEMA}: where {@link Link123Config} takes its defaults from. */
  static final Options DEFAULTS = SCHEMA.defaults();

  /** For {@link java.util.ServiceLoader}. */
  public Link123Provider() {}

  @Override
  public String id() { return ID; }

  @Override
  public String displayName() { return "123云盘 direct links (直链)"; }

  @Override
  public ConfigSchema schema() { return SCHEMA; }

  @Override
  public Class<? extends Driver> driverType() { return Link123Driver.class; }

  /**
   * Also parses the tree, so a bad line is reported now with its line number. A deprecated
   * {@code validityMinutes} is used when {@code directLinkValidity} is not given.
   */
  @Override
  public Link123Config parse(Map<String, String> options) {
    Options o = SCHEMA.parse(options);
    Duration validity = o.duration(VALIDITY);
    if (o.has(VALIDITY_MINUTES)) {
      String given = options.get(VALIDITY);
      if (given != null && !given.isBlank() && !validity.equals(Duration.ofMinutes(o.integer(VALIDITY_MINUTES)))) {
        throw DriveException.builder(ErrorKind.CONFIG_INVALID, "invalid configuration: options '" + VALIDITY
                + "' and its old form '" + VALIDITY_MINUTES + "' are both given with different values; keep only '"
                + VALIDITY + "'")
            .driver(ID).operation("open").build();
      }
      validity = Duration.ofMinutes(o.integer(VALIDITY_MINUTES));
    }
    return new Link123Config(o.string(TREE), o.optionalSecret(PRIVATE_KEY).filter(k -> !k.isEmpty()).orElse(null),
        o.has(UID) ? o.integer(UID) : 0, validity, o.bool(STRICT));
  }

  @Override
  public Driver open(Link123Config config, DriverContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    return new Link123Driver(config, LinkTree.parse(config.tree(), config.reading(), context.clock().instant()), context);
  }

  @Override
  public String toString() {
    return "Link123Provider{" + ID + "}";
  }
}
