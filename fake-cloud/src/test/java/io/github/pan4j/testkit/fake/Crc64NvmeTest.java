package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** CRC-64/NVME against published vectors: the catalogue's check value and the NVMe command set's 64b CRC test cases. */
class Crc64NvmeTest {
  private static long crc(byte[] b) {
    Crc64Nvme c = new Crc64Nvme();
    c.update(b, 0, b.length);
    return c.getValue();
  }

  @Test
  void checkValue_of123456789() {
    assertEquals(0xae8b14860a799888L, crc("123456789".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void nvmeTestCases_4KiBOfZeros_andOfFFs() {
    assertEquals(0x6482d367eb22b64eL, crc(new byte[4096]));
    byte[] ffs = new byte[4096];
    Arrays.fill(ffs, (byte) 0xff);
    assertEquals(0xc0ddba7302eca3acL, crc(ffs));
  }

  @Test
  void fedInPieces_andByteByByte_sameAsAtOnce_resetStartsOver() {
    Crc64Nvme c = new Crc64Nvme();
    c.update("hello ".getBytes(StandardCharsets.US_ASCII), 0, 6);
    for (byte b : "world!".getBytes(StandardCharsets.US_ASCII)) c.update(b);
    assertEquals(0xd9160d1fa8e418e3L, c.getValue());
    c.reset();
    c.update("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9);
    assertEquals(0xae8b14860a799888L, c.getValue());
    assertEquals(0, new Crc64Nvme().getValue(), "nothing read: all ones, inverted");
  }
}
