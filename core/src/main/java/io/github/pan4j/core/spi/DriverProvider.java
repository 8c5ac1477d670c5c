package io.github.pan4j.core.spi;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.config.ConfigSchema;
import java.util.Map;
import java.util.Set;

/**
 * Describes a driver and opens instances of it. Found with {@link java.util.ServiceLoader}:
 * register it with {@code provides io.github.pan4j.core.spi.DriverProvider with …} in
 * {@code module-info.java} and in {@code META-INF/services/io.github.pan4j.core.spi.DriverProvider}.
 *
 * <p>Implementations have a public no-argument constructor and no side effects: no network, no
 * files, no threads until {@link #open} (or {@link #prepareUpload}) is called.
 *
 * @param <C> the driver's typed configuration record
 */
public interface DriverProvider<C> {

  /** Stable lower-case id, such as {@code 123open}. */
  String id();

  /** A name for people, such as {@code 123云盘 Open Platform}. */
  String displayName();

  /** The options this driver takes, for hosts to render and for {@link #parse}. */
  ConfigSchema schema();

  /** The class of the drivers {@link #open} returns; capabilities are derived from it. */
  Class<? extends Driver> driverType();

  /** What the driver can do, known before anything is opened. */
  default Set<Capability> capabilities() {
    return Capability.of(driverType());
  }

  /**
   * Turns string options into the typed configuration.
   *
   * @throws io.github.pan4j.core.DriveException CONFIG_INVALID listing every problem at once
   */
  C parse(Map<String, String> options);

  /** Opens a driver. Network work may start lazily, on first use. */
  Driver open(C config, DriverContext context);

  /** Parses the options, then opens. */
  default Driver openWith(Map<String, String> options, DriverContext context) {
    return open(parse(options), context);
  }

  /**
   * Starts, before any driver of this provider exists, what its {@link Driver.Upload#prepare} would
   * start for {@code source} on a driver opened with {@code config}: usually the hashing pass
   * ({@link UploadSource#prefetchHashes}) with the same plan (the config decides it, for example
   * which digests a protocol sends), so that reading the file also overlaps building the drive (its
   * HTTP client, its token store) and the caller's own lookups. A program that knows its file
   * before it opens the drive calls this first and then uploads that same source; the driver's
   * {@code prepare} finds the pass under way. Must be cheap, send nothing and never fail; the
   * default does nothing.
   */
  default void prepareUpload(C config, UploadSource source) {}
}
