package io.github.pan4j.driver.open123;

import org.junit.jupiter.api.BeforeEach;

/**
 * The driver contract again, with the fake handing out ids past 32 bits, as 123's newer accounts
 * have them (13 digits): an id kept or parsed as an int anywhere in the driver fails here.
 */
class Open123WideIdContractTest extends Open123ContractTest {
  static final long FIRST_WIDE_ID = 1_758_176_090_915L;

  @BeforeEach
  void wideIds() {
    fake.store().startIdsAt(Math.max(FIRST_WIDE_ID, fake.store().peekNextId()));
  }
}
