package io.github.pan4j.testkit.discovery;

import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import io.github.pan4j.core.memory.MemoryConfig;
import io.github.pan4j.core.memory.MemoryDriver;
import java.time.Clock;
import java.util.Map;

/**
 * Providers that only a test's child class loader registers (never the test class path's own
 * service file), so discovery tests can stage clashes and failures without disturbing other tests.
 */
public final class TestProviders {
  private TestProviders() {}

  /** A provider with a given id over the memory driver, and a secret option. */
  public abstract static class Named implements DriverProvider<MemoryConfig> {
    private final String id;

    Named(String id) {
      this.id = id;
    }

    @Override public String id() { return id; }
    @Override public String displayName() { return "Test provider " + id; }

    @Override
    public ConfigSchema schema() {
      return ConfigSchema.of(id,
          OptionSpec.of("apiKey", OptionType.SECRET, "Key for the test service.").withDefault("hunter2"),
          OptionSpec.ofEnum("region", "Where the data lives.", "eu", "us").asRequired());
    }

    @Override public Class<? extends Driver> driverType() { return MemoryDriver.class; }
    @Override public MemoryConfig parse(Map<String, String> options) { schema().parse(options); return MemoryConfig.DEFAULTS; }
    @Override public Driver open(MemoryConfig config, DriverContext context) { return new MemoryDriver(config, Clock.systemUTC()); }
  }

  /** Id {@code aaa-test}: sorts before {@code memory}. */
  public static final class First extends Named {
    public First() { super("aaa-test"); }
  }

  /** Id {@code zzz-test}: sorts after {@code memory}. */
  public static final class Last extends Named {
    public Last() { super("zzz-test"); }
  }

  /** Claims {@code memory}, clashing with the real memory provider. */
  public static final class ClashingMemory extends Named {
    public ClashingMemory() { super("memory"); }
  }

  /** Fails in its constructor, like a plugin missing a dependency. */
  public static final class Exploding extends Named {
    public Exploding() {
      super("exploding");
      throw new IllegalStateException("cannot start: dependency missing");
    }
  }

  /** An id that breaks the lower-case rule. */
  public static final class BadId extends Named {
    public BadId() { super("Bad Id"); }
  }
}
