package io.github.pan4j.core.memory;

import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import java.util.Map;

/**
 * The {@code memory} driver: a complete, thread-safe drive held in memory, for demos, examples and
 * tests of code that uses pan4j. Every instance starts empty; nothing persists.
 *
 * <pre>{@code
 * Drive drive = Drives.open("memory", Map.of("pageSize", "10"));
 * }</pre>
 */
public final class MemoryDriverProvider implements DriverProvider<MemoryConfig> {
  static final ConfigSchema SCHEMA = ConfigSchema.of(MemoryDriver.ID,
      OptionSpec.of("pageSize", OptionType.INT, "Entries per listed page; small values exercise paging.")
          .withDefault("100").withRange(1, 100_000).withExample("10"),
      OptionSpec.of("quotaBytes", OptionType.INT, "Space limit in bytes; -1 for none. Uploads beyond it fail with QUOTA_EXCEEDED.")
          .withDefault("-1").withRange(-1, Long.MAX_VALUE).withExample("1048576"),
      OptionSpec.of("allowDuplicateNames", OptionType.BOOLEAN,
              "Let mkdir, rename, move and copy create a second entry of an existing name, as some providers do.")
          .withDefault("false"),
      OptionSpec.of("emptyFiles", OptionType.BOOLEAN, "Accept 0-byte uploads; false mimics providers that refuse them.")
          .withDefault("true"));

  /** Public no-argument constructor for {@link java.util.ServiceLoader}; no side effects. */
  public MemoryDriverProvider() {}

  @Override
  public String id() {
    return MemoryDriver.ID;
  }

  @Override
  public String displayName() {
    return "In-memory drive";
  }

  @Override
  public ConfigSchema schema() {
    return SCHEMA;
  }

  @Override
  public Class<? extends Driver> driverType() {
    return MemoryDriver.class;
  }

  @Override
  public MemoryConfig parse(Map<String, String> options) {
    return config(SCHEMA.parse(options));
  }

  /** The record from parsed values (or {@code SCHEMA.defaults()}). */
  static MemoryConfig config(Options o) {
    return new MemoryConfig(o.intValue("pageSize"), o.integer("quotaBytes"), o.bool("allowDuplicateNames"), o.bool("emptyFiles"));
  }

  @Override
  public Driver open(MemoryConfig config, DriverContext context) {
    return new MemoryDriver(config, context.clock());
  }
}
