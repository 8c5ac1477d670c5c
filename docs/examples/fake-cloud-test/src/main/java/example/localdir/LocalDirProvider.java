package example.localdir;

import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import java.nio.file.Path;
import java.util.Map;

/**
 * A driver of your own: a local folder as a read-only drive ({@code Drives.open("localdir",
 * Map.of("root", "/some/folder"))}). Found through META-INF/services; its contract test is
 * {@code LocalDirContractTest}.
 */
public final class LocalDirProvider implements DriverProvider<Path> {
  static final String ID = "localdir";
  static final ConfigSchema SCHEMA = ConfigSchema.of(ID,
      OptionSpec.of("root", OptionType.STRING, "The local folder shown as /."));

  /** For ServiceLoader: public, no arguments, no side effects. */
  public LocalDirProvider() {}

  @Override public String id() { return ID; }
  @Override public String displayName() { return "Local folder (read-only)"; }
  @Override public ConfigSchema schema() { return SCHEMA; }
  @Override public Class<? extends Driver> driverType() { return LocalDirDriver.class; }

  @Override
  public Path parse(Map<String, String> options) {
    return Path.of(SCHEMA.parse(options).string("root")).toAbsolutePath().normalize();
  }

  @Override
  public Driver open(Path root, DriverContext context) {
    return new LocalDirDriver(root);
  }
}
