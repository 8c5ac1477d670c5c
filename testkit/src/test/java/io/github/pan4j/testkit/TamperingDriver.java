package io.github.pan4j.testkit;

import io.github.pan4j.core.Entry;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.Page;
import io.github.pan4j.core.spi.Driver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;

/** Serves another driver's files through links whose bytes are altered on the way, to test download checks. */
final class TamperingDriver implements Driver, Driver.Stat {
  private final Driver backing;
  private final UnaryOperator<InputStream> tamper;

  TamperingDriver(Driver backing, UnaryOperator<InputStream> tamper) {
    this.backing = backing;
    this.tamper = tamper;
  }

  /** Drops the last byte. */
  static UnaryOperator<InputStream> truncate() {
    return in -> {
      byte[] b = readAll(in);
      return new ByteArrayInputStream(b, 0, Math.max(0, b.length - 1));
    };
  }

  /** Flips the first byte, keeping the length. */
  static UnaryOperator<InputStream> flipFirstByte() {
    return in -> {
      byte[] b = readAll(in);
      if (b.length > 0) b[0] ^= 0x01;
      return new ByteArrayInputStream(b);
    };
  }

  /** Delivers {@code good} bytes, then fails like a dropped connection. */
  static UnaryOperator<InputStream> breakAfter(int good) {
    return in -> new InputStream() {
      int served;

      @Override
      public int read() throws IOException {
        if (served >= good) throw new IOException("connection reset");
        served++;
        return in.read();
      }
    };
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String id() {
    return "tampering";
  }

  @Override
  public String rootId() {
    return backing.rootId();
  }

  @Override
  public Page list(String folderId, String cursor) {
    return backing.list(folderId, cursor);
  }

  @Override
  public Entry stat(String id) {
    return ((Driver.Stat) backing).stat(id);
  }

  @Override
  public Link link(String fileId) {
    Link real = backing.link(fileId);
    return Link.builder(real.url())
        .contentLength(real.contentLength().orElse(-1))
        .opener((l, offset, length) -> {
          Link.Content c = real.open(offset, length);
          return new Link.Content(tamper.apply(c.body()), c.status(), c.offset(), c.length(), c.totalLength(), c.contentType());
        })
        .build();
  }
}
