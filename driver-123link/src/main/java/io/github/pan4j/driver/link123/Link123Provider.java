package io.github.pan4j.driver.link123;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code 123link} driver: a read-only drive made of 123云盘 direct links (直链) that you list
 * by hand in a tree text, optionally signed with the account's URL-authentication key.
 *
 * <p>Options: {@code tree} (required), {@code privateKey}, {@code uid} (required with a key),
 * {@code validityMinutes} (default 30). See {@code docs/drivers/123link.md}.
 */
public final class Link123Provider implements DriverProvider<Link123Config> {
  /** The driver id. */
  public static final String ID = "123link";

  static final String TREE = "tree";
  static final String PRIVATE_KEY = "privateKey";
  static final String UID = "uid";
  static final String VALIDITY_MINUTES = "validityMinutes";
  static final String STRICT = "strict";

  private static final ConfigSchema SCHEMA = ConfigSchema.of(ID,
      OptionSpec.of(TREE, OptionType.TEXT,
              "Folders ('name:') and files ('[size:][modified:]URL'), one per line, two spaces of indentation per level")
          .asRequired()
          .withExample("movies:\n  1048576:1694101621:https://vip.123pan.cn/1812345678/movies/a.mp4\n"
              + "https://vip.123pan.cn/1812345678/readme.txt"),
      OptionSpec.of(PRIVATE_KEY, OptionType.SECRET,
          "URL-authentication key (鉴权密钥) from 直链管理; leave empty when authentication is off and links are served unsigned"),
      OptionSpec.of(UID, OptionType.INT, "Account id (帐号ID) from the account settings page; required with a private key")
          .withRange(0, Long.MAX_VALUE).withExample("1812345678"),
      OptionSpec.of(VALIDITY_MINUTES, OptionType.INT, "How many minutes a signed link stays valid")
          .withDefault("30").withRange(1, 525_600),
      OptionSpec.of(STRICT, OptionType.BOOLEAN,
              "Read the tree strictly (a lone ten-digit number is a timestamp, no tabs, names without the query string)"
                  + " instead of as OpenList does")
          .withDefault("false"));

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

  /** Also parses the tree, so a bad line is reported now with its line number. */
  @Override
  public Link123Config parse(Map<String, String> options) {
    Options o = SCHEMA.parse(options);
    List<String> problems = new ArrayList<>();
    var key = o.optionalSecret(PRIVATE_KEY).filter(s -> !s.isEmpty()).orElse(null);
    long uid = o.has(UID) ? o.integer(UID) : 0;
    if (key != null && uid == 0) {
      problems.add("option 'uid' is required when 'privateKey' is set: the account id (帐号ID) from https://www.123pan.com/Setting");
    }
    String tree = o.string(TREE);
    boolean strict = o.bool(STRICT);
    try {
      LinkTree.parse(tree, strict ? LinkTree.Reading.STRICT : LinkTree.Reading.OPENLIST, java.time.Instant.now(), false);
    } catch (DriveException e) {
      problems.add(e.reason());
    }
    if (!problems.isEmpty()) {
      throw DriveException.builder(ErrorKind.CONFIG_INVALID, "invalid configuration: " + String.join("; ", problems))
          .driver(ID).operation("open").build();
    }
    return new Link123Config(tree, key, uid, Duration.ofMinutes(o.integer(VALIDITY_MINUTES)), strict);
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
