package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Link#open()} checks the byte count and MD5 in the read itself; {@code open(0, -1)} does not. */
class LinkOpenCheckTest {
  private static final byte[] FILE = "the whole file, forty-two bytes long!!!!!!".getBytes();

  private static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  /** A link whose opener serves {@code served}, claiming the file is {@link #FILE}. */
  private static Link link(byte[] served, String md5) {
    return Link.builder("https://cdn.example/f?auth_key=secret").contentLength(FILE.length).md5(md5)
        .opener((l, off, len) -> new Link.Content(new ByteArrayInputStream(served), 200, 0, served.length, served.length, null))
        .build();
  }

  private static DriveException integrity(IOException e) {
    DriveException d = assertInstanceOf(DriveException.class, e.getCause());
    assertEquals(ErrorKind.INTEGRITY, d.kind());
    assertTrue(!e.getMessage().contains("secret"), "the signature is masked: " + e.getMessage());
    return d;
  }

  @Test
  void open_theWholeFile_readsToTheEndWithoutComplaint() throws Exception {
    Link link = link(FILE, md5(FILE));
    assertEquals(Optional.of(md5(FILE)), link.md5());
    try (Link.Content c = link.open(); InputStream in = c.body()) {
      assertArrayEquals(FILE, in.readAllBytes());
      assertEquals(-1, in.read(), "the end can be read again");
    }
  }

  @Test
  void open_wrongBytesOfTheRightLength_failAtTheEndByMd5() throws Exception {
    byte[] flipped = FILE.clone();
    flipped[FILE.length - 1] ^= 1;
    try (Link.Content c = link(flipped, md5(FILE)).open()) {
      IOException e = assertThrows(IOException.class, () -> c.body().readAllBytes());
      assertTrue(integrity(e).getMessage().contains("MD5"), e.getMessage());
    }
  }

  @Test
  void open_aShortBody_failsAtItsEnd() throws Exception {
    byte[] shorter = java.util.Arrays.copyOf(FILE, FILE.length - 3);
    try (Link.Content c = link(shorter, null).open()) {
      IOException e = assertThrows(IOException.class, () -> c.body().readAllBytes());
      assertTrue(integrity(e).getMessage().contains("ended after " + shorter.length + " bytes"), e.getMessage());
    }
  }

  @Test
  void open_aLongerBody_failsAsSoonAsItPassesTheSize() throws Exception {
    byte[] longer = new byte[FILE.length * 100];
    try (Link.Content c = link(longer, null).open()) {
      InputStream in = c.body();
      byte[] buf = new byte[FILE.length];
      assertEquals(FILE.length, in.readNBytes(buf, 0, FILE.length));
      IOException e = assertThrows(IOException.class, () -> in.read());
      integrity(e);
    }
  }

  @Test
  void open_skippedBytesAreStillHashed() throws Exception {
    byte[] flipped = FILE.clone();
    flipped[3] ^= 1;
    try (Link.Content c = link(flipped, md5(FILE)).open()) {
      InputStream in = c.body();
      assertEquals(10, in.skip(10));
      assertThrows(IOException.class, in::readAllBytes);
    }
  }

  @Test
  void openRange_andOpenFromZeroToEnd_areUnchecked() throws Exception {
    byte[] flipped = FILE.clone();
    flipped[0] ^= 1;
    Link link = link(flipped, md5(FILE));
    try (Link.Content c = link.open(0, -1)) {
      assertArrayEquals(flipped, c.body().readAllBytes(), "callers that check themselves get the raw bytes");
    }
  }

  @Test
  void md5_thatIsNotOneIsIgnored_andUppercaseIsNormalised() throws Exception {
    assertEquals(Optional.empty(), link(FILE, "abc-3").md5());
    assertEquals(Optional.of(md5(FILE)), link(FILE, md5(FILE).toUpperCase()).md5());
  }
}
