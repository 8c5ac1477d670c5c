package io.github.pan4j.testkit;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.spi.DriverContext;
import java.util.Map;

/** The memory driver meets the driver contract, opened the way users open it: through discovery. */
class MemoryDriverContractTest extends DriverContract {
  @Override
  protected Drive openDrive() {
    // An odd page size so that bulk listings end on a partial page.
    return Drives.create().open("memory", Map.of("pageSize", "97"), DriverContext.defaults());
  }
}
