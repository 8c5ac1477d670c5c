package io.github.pan4j.core.spi.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

/**
 * A failure to read the bytes a streamed request body sends (the upload's source: a local file, a
 * staged copy, a caller's stream), as opposed to a failure to write them to the connection. The
 * engine tells it as the source's failure: a read timeout of a caller's network stream must not pass
 * for the server stopping to take the body, nor a file that shrank for a network fault. An
 * interrupt of the sending thread is left as it is, for the engine to tell as a cancel.
 */
final class SourceReadFailure extends IOException {
  private static final long serialVersionUID = 1L;

  SourceReadFailure(String what, IOException cause) {
    super("reading the upload source failed: " + what, cause);
  }

  static InputStream open(RequestContent.Opener opener) throws IOException {
    try {
      return opener.open();
    } catch (IOException e) {
      throw sourceFailure(e);
    }
  }

  static int read(InputStream in, byte[] buf, int len) throws IOException {
    try {
      return in.read(buf, 0, len);
    } catch (IOException e) {
      throw sourceFailure(e);
    }
  }

  private static IOException sourceFailure(IOException e) {
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) return e;
    return new SourceReadFailure(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }
}
