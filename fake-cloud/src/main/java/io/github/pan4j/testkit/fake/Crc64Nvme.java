package io.github.pan4j.testkit.fake;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME, the CRC of S3's {@code x-amz-checksum-crc64nvme}: the polynomial of the NVM Express
 * command set, bit-reflected {@code 0x9a6c9329ac4bc9b5}, register starting at all ones, input and
 * output reflected, result inverted. Check value ({@code "123456789"}): {@code 0xae8b14860a799888}.
 * One byte per table look-up: the fake checks small bodies, speed is not the point.
 */
final class Crc64Nvme implements Checksum {
  private static final long POLY_REFLECTED = 0x9a6c9329ac4bc9b5L;
  private static final long[] TABLE = new long[256];

  static {
    for (int i = 0; i < 256; i++) {
      long r = i;
      for (int bit = 0; bit < 8; bit++) r = (r & 1) != 0 ? (r >>> 1) ^ POLY_REFLECTED : r >>> 1;
      TABLE[i] = r;
    }
  }

  private long register = ~0L;

  @Override
  public void update(int b) {
    register = TABLE[(int) ((register ^ b) & 0xff)] ^ (register >>> 8);
  }

  @Override
  public void update(byte[] b, int off, int len) {
    long r = register;
    for (int i = off; i < off + len; i++) r = TABLE[(int) ((r ^ b[i]) & 0xff)] ^ (r >>> 8);
    register = r;
  }

  @Override
  public long getValue() {
    return ~register;
  }

  @Override
  public void reset() {
    register = ~0L;
  }
}
