package io.github.pan4j.core;

import io.github.pan4j.core.spi.Driver;
import java.util.EnumSet;
import java.util.Set;

/**
 * An operation a driver can perform. Never declared by hand: computed from the sub-interfaces of
 * {@link Driver} that the driver class implements, so a capability cannot drift from the code.
 */
public enum Capability {
  LIST(Driver.class),
  LINK(Driver.class),
  /**
   * Metadata of an entry by its id ({@link Drive#statById}). {@link Drive#stat} and
   * {@link Drive#exists} by path work without it, from a listing of the parent folder.
   */
  STAT(Driver.Stat.class),
  MKDIR(Driver.Mkdir.class),
  RENAME(Driver.Rename.class),
  MOVE(Driver.Move.class),
  REMOVE(Driver.Remove.class),
  UPLOAD(Driver.Upload.class),
  COPY(Driver.Copy.class),
  STORAGE_DETAILS(Driver.StorageInfo.class),
  SHARE(Driver.Share.class),
  TRASH(Driver.Trash.class),
  OFFLINE_DOWNLOAD(Driver.OfflineDownload.class),
  OFFLINE_TASKS(Driver.OfflineTasks.class),
  /** Uploads accept {@link UploadSource#ofHashes hash-only sources} (instant upload, "秒传"). */
  INSTANT_UPLOAD(Driver.InstantUpload.class);

  private final Class<?> type;

  Capability(Class<?> type) {
    this.type = type;
  }

  /** The SPI interface that grants this capability. */
  public Class<?> type() { return type; }

  /** The operation name used in errors and logs ({@code mkdir}, {@code storage_details}, …). */
  public String operation() { return name().toLowerCase(java.util.Locale.ROOT); }

  /** Capabilities of a driver class, known before any driver is opened. */
  public static Set<Capability> of(Class<? extends Driver> driverType) {
    EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
    for (Capability c : values()) {
      if (c.type.isAssignableFrom(driverType)) set.add(c);
    }
    return set;
  }

  /** Capabilities of an open driver. */
  public static Set<Capability> of(Driver driver) {
    return of(driver.getClass());
  }
}
