package io.github.pan4j.testkit.fake;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ServerSocketFactory;

/**
 * Server sockets for the fake's MockWebServers that let a GET carry a body. MockWebServer
 * refuses such a request by throwing inside its connection thread, so the client's connection
 * hangs until it times out; the real 123 gateways (nginx in front of Go) simply serve it. Each
 * accepted connection's request heads are read as they arrive: a GET with a
 * {@code Content-Length} above 0 or a chunked body is passed on as a POST carrying the header
 * {@value #ORIGINAL_METHOD}, which {@link FakeRequest#method()} turns back into the real method.
 * Every other byte passes through unchanged; bodies are followed (by length or chunk framing) only
 * to find where the next request head starts, except large bodies with a {@code Content-Length},
 * which are read here into {@link ReceivedBodies} (when given) and replaced by an empty body and
 * a header naming them. Every request head also gets the header {@value #PEER}, the address of
 * the client on the other end of the connection (MockWebServer's record of a request has none),
 * which {@link FakeRequest#clientAddress()} reads; a client cannot send it itself.
 */
final class BodyOnGetSockets extends ServerSocketFactory {
  /** The header that carries the method a rewritten request really had. */
  static final String ORIGINAL_METHOD = "X-Pan4j-Fake-Original-Method";
  /** The header that carries the client's address (the connection's remote address). */
  static final String PEER = "X-Pan4j-Fake-Peer";
  private static final String PEER_LOWER = PEER.toLowerCase(Locale.ROOT);
  /**
   * The header that carries the status nginx answers to a request whose body framing it refuses
   * (see {@link Rewriting#refusal}); the head then reaches MockWebServer without that framing.
   */
  static final String REFUSED = "X-Pan4j-Fake-Refused";
  private static final String REFUSED_LOWER = REFUSED.toLowerCase(Locale.ROOT);
  private static final int MAX_HEAD = 64 * 1024;
  private static final String HELD = ReceivedBodies.HEADER.toLowerCase(Locale.ROOT);

  private final ReceivedBodies bodies;
  private final Stalls stalls;

  /** Where the reading of a held body stops for a while ({@link Fault#stopReadingBody}). */
  record Stall(long afterBytes, Runnable hold) {}

  /** Chooses the {@link Stall} of a request from its head, before its body is read. */
  @FunctionalInterface
  interface Stalls {
    /** @return the stall for the request with this head, or null */
    Stall take(String method, String target, String version, java.util.List<String> headerLines, long contentLength);
  }

  /** Sockets that pass every body on to MockWebServer. */
  BodyOnGetSockets() {
    this(null);
  }

  /** Sockets that read large bodies into {@code bodies} (null: none). */
  BodyOnGetSockets(ReceivedBodies bodies) {
    this(bodies, null);
  }

  /** Sockets that read large bodies into {@code bodies} (null: none), stopping where {@code stalls} says (null: never). */
  BodyOnGetSockets(ReceivedBodies bodies, Stalls stalls) {
    this.bodies = bodies;
    this.stalls = stalls;
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new Server(bodies, stalls);
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    Server s = new Server(bodies, stalls);
    s.bind(new java.net.InetSocketAddress(port));
    return s;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    Server s = new Server(bodies, stalls);
    s.bind(new java.net.InetSocketAddress(port), backlog);
    return s;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
    Server s = new Server(bodies, stalls);
    s.bind(new java.net.InetSocketAddress(address, port), backlog);
    return s;
  }

  private static final class Server extends ServerSocket {
    private final ReceivedBodies bodies;
    private final Stalls stalls;

    Server(ReceivedBodies bodies, Stalls stalls) throws IOException {
      super();
      this.bodies = bodies;
      this.stalls = stalls;
    }

    @Override
    public Socket accept() throws IOException {
      Conn s = new Conn(bodies, stalls);
      implAccept(s);
      // MockWebServer flushes a response's head before its body: with Nagle's algorithm on, the
      // body then waits for the client's delayed ACK of the head (40 ms on Linux) on every reply
      // of a kept-alive connection. Real gateways (nginx: tcp_nodelay on) send at once.
      s.setTcpNoDelay(true);
      return s;
    }
  }

  private static final class Conn extends Socket {
    private final ReceivedBodies bodies;
    private final Stalls stalls;
    private InputStream in;

    Conn(ReceivedBodies bodies, Stalls stalls) {
      this.bodies = bodies;
      this.stalls = stalls;
    }

    /**
     * Bodies pass through the rewriting untouched (it only counts them to find the next head),
     * but through a 64 KiB buffer: MockWebServer's okio source asks for at most one 8 KiB segment
     * per read, and reading the socket 8 KiB at a time costs more than the buffer's extra copy
     * (1 GiB over loopback, reading thread's CPU: 0.63-0.72 s straight from the socket, 0.25-0.38 s
     * through the buffer, measured side by side on the development machine).
     */
    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        InetAddress peer = getInetAddress();
        in = new Rewriting(new BufferedInputStream(super.getInputStream(), 1 << 16), bodies, super.getOutputStream(),
            peer == null ? null : peer.getHostAddress(), stalls);
      }
      return in;
    }
  }

  /**
   * Passes the request stream through, rewriting the heads of GET requests with a body, dropping
   * chunk extensions and trailer fields MockWebServer cannot parse, and answering
   * {@code Expect: 100-continue} itself. (A HEAD with a body is left to MockWebServer.)
   */
  static final class Rewriting extends FilterInputStream {
    private byte[] pending = new byte[0];
    private int pendingPos;
    private long bodyLeft; // bytes of a Content-Length body or of the current chunk (+CRLF) still to pass
    private boolean chunked;
    private boolean chunkTrailers;
    private final ReceivedBodies bodies;
    private final java.io.OutputStream replies; // the socket's output, for "100 Continue"
    private final String peer; // the client's address, or null when unknown
    private boolean refused; // a head was refused: the connection ends after it, nothing more is read

    private final Stalls stalls; // null: no body is held back

    Rewriting(InputStream in, ReceivedBodies bodies, java.io.OutputStream replies, String peer) {
      this(in, bodies, replies, peer, null);
    }

    Rewriting(InputStream in, ReceivedBodies bodies, java.io.OutputStream replies, String peer, Stalls stalls) {
      super(in);
      this.bodies = bodies;
      this.replies = replies;
      this.peer = peer;
      this.stalls = stalls;
    }

    @Override
    public int read() throws IOException {
      byte[] b = new byte[1];
      int n = read(b, 0, 1);
      return n <= 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      while (true) {
        if (pendingPos < pending.length) {
          int n = Math.min(len, pending.length - pendingPos);
          System.arraycopy(pending, pendingPos, b, off, n);
          pendingPos += n;
          return n;
        }
        if (bodyLeft > 0) {
          int n = in.read(b, off, (int) Math.min(len, bodyLeft));
          if (n > 0) bodyLeft -= n;
          return n;
        }
        if (!fill()) return -1;
      }
    }

    @Override
    public int available() throws IOException {
      return pending.length - pendingPos;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** Reads the next piece of framing (a head, a chunk-size line, trailers) into pending. */
    private boolean fill() throws IOException {
      if (refused) return false;
      if (chunked) {
        if (chunkTrailers) {
          // Trailer fields (RFC 9112 §7.1.2) are read and dropped: MockWebServer takes none and
          // would never answer. Only the empty line that ends the body is passed on.
          String line;
          do {
            line = readLine();
            if (line == null) return false;
          } while (!line.isEmpty());
          pending = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
          pendingPos = 0;
          chunked = false;
          chunkTrailers = false;
          return true;
        }
        String line = readLine();
        if (line == null) return false;
        String hex = (line.contains(";") ? line.substring(0, line.indexOf(';')) : line).trim();
        long size;
        try {
          size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          pending = (line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
          pendingPos = 0;
          chunked = false; // not framing we understand: pass the rest through as is
          bodyLeft = Long.MAX_VALUE;
          return true;
        }
        // Chunk extensions (";name=value", RFC 9112 §7.1.1) mean nothing here and are dropped:
        // MockWebServer reads the size line as a bare number and would never answer.
        pending = (hex + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        pendingPos = 0;
        if (size == 0) chunkTrailers = true;
        else bodyLeft = size + 2; // data + CRLF
        return true;
      }
      return readHead();
    }

    private boolean readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      String first = readLine();
      if (first == null) return false;
      // Tolerate blank lines before a request line.
      while (first.isEmpty()) {
        head.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        first = readLine();
        if (first == null) {
          pending = head.toByteArray();
          pendingPos = 0;
          return pending.length > 0;
        }
      }
      java.util.List<String> lines = new java.util.ArrayList<>();
      long contentLength = 0;
      int contentLengthLine = -1;
      boolean isChunked = false;
      boolean expects = false;
      String contentType = null;
      java.util.List<String> lengths = new java.util.ArrayList<>();
      java.util.List<String> encodings = new java.util.ArrayList<>();
      int total = first.length();
      while (true) {
        String line = readLine();
        if (line == null) {
          line = "";
        }
        total += line.length() + 2;
        if (line.isEmpty() || total > MAX_HEAD) break;
        int colon = line.indexOf(':');
        String name = colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
        if (name.equals(HELD) || name.equals(PEER_LOWER) || name.equals(REFUSED_LOWER)) continue; // only this class sets these
        lines.add(line);
        if (colon > 0) {
          String value = line.substring(colon + 1).trim();
          if (name.equals("content-length")) lengths.add(value);
          if (name.equals("transfer-encoding")) encodings.add(value);
          if (name.equals("content-length")) {
            try {
              contentLength = Long.parseLong(value);
              contentLengthLine = lines.size() - 1;
            } catch (NumberFormatException ignored) {
              // MockWebServer will complain about it itself
            }
          } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
            isChunked = true;
          } else if (name.equals("content-type")) {
            contentType = value;
          } else if (name.equals("expect")) {
            expects = value.equalsIgnoreCase("100-continue");
          }
        }
      }
      int sp = first.indexOf(' ');
      String method = sp > 0 ? first.substring(0, sp) : first;
      int refusal = refusal(first, lengths, encodings);
      if (refusal != 0) {
        // Neither the body nor anything after it is read: nginx answers and closes the
        // connection, so MockWebServer gets the head without its framing, and then the end.
        lines.removeIf(l -> {
          String n = l.indexOf(':') > 0 ? l.substring(0, l.indexOf(':')).trim().toLowerCase(Locale.ROOT) : "";
          return n.equals("content-length") || n.equals("transfer-encoding") || n.equals("expect");
        });
        if (peer != null) lines.add(PEER + ": " + peer);
        lines.add(REFUSED + ": " + refusal);
        queueHead(head, first, lines);
        chunked = false;
        bodyLeft = 0;
        refused = true;
        return true;
      }
      boolean hasBody = isChunked || contentLength > 0;
      if (expects && hasBody && replies != null && first.endsWith(" HTTP/1.1")) {
        // The client waits for this before it sends the body (RFC 9110 §10.1.1); MockWebServer never
        // sends it, so a client would stall for its own timeout (curl: 1 s) on every such request.
        // The fake accepts every body it is offered, so it always says continue.
        replies.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        replies.flush();
      }
      if (peer != null) lines.add(PEER + ": " + peer);
      String requestLine = first;
      if (hasBody && method.equals("GET")) {
        requestLine = "POST" + first.substring(sp);
        lines.add(ORIGINAL_METHOD + ": " + method);
      }
      boolean hold = bodies != null && !isChunked && contentLengthLine >= 0 && sp > 0
          && ReceivedBodies.holds(contentLength);
      if (hold) {
        // Read the body here; MockWebServer gets an empty one and the name of the held bytes.
        Stall stall = null;
        if (stalls != null) {
          String[] parts = first.split(" ", 3);
          if (parts.length == 3) stall = stalls.take(method, parts[1], parts[2], lines, contentLength);
        }
        String id = bodies.read(in, (int) contentLength, method, contentType, stall);
        lines.set(contentLengthLine, "Content-Length: 0");
        lines.add(ReceivedBodies.HEADER + ": " + id);
      }
      queueHead(head, requestLine, lines);
      chunked = isChunked;
      chunkTrailers = false;
      bodyLeft = isChunked || hold ? 0 : contentLength;
      return true;
    }

    /** Makes {@code requestLine} and {@code lines}, after what {@code head} holds, the next bytes MockWebServer reads. */
    private void queueHead(ByteArrayOutputStream head, String requestLine, java.util.List<String> lines) throws IOException {
      StringBuilder text = new StringBuilder(requestLine).append("\r\n");
      for (String line : lines) text.append(line).append("\r\n");
      head.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      pending = head.toByteArray();
      pendingPos = 0;
    }

    /**
     * The status nginx answers, before any route, to a request head whose body framing it
     * refuses, or 0 for a head it accepts (nginx's checks since 1.21.1, the order it makes them
     * in): {@code Content-Length} or {@code Transfer-Encoding} given twice, or a length that is not
     * a plain decimal number: 400; any {@code Transfer-Encoding} on an HTTP/1.0 request: 400;
     * {@code Transfer-Encoding: chunked} (any letter case) together with {@code Content-Length}:
     * 400 (RFC 9112 §6.3 calls such a request a likely smuggling attempt); any other transfer
     * coding, {@code gzip, chunked} included: 501. MockWebServer itself would take the
     * {@code Content-Length} and read the chunk framing as the body.
     */
    static int refusal(String requestLine, java.util.List<String> lengths, java.util.List<String> encodings) {
      if (lengths.size() > 1 || encodings.size() > 1) return 400;
      if (lengths.size() == 1 && !decimal(lengths.get(0))) return 400;
      if (encodings.isEmpty()) return 0;
      if (!requestLine.endsWith(" HTTP/1.1")) return 400; // HTTP/1.0 knows no transfer codings
      if (!encodings.get(0).equalsIgnoreCase("chunked")) return 501;
      return lengths.isEmpty() ? 0 : 400;
    }

    private static boolean decimal(String v) {
      if (!v.matches("[0-9]+")) return false;
      try {
        Long.parseLong(v);
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }

    /** One CRLF- (or LF-) terminated line without its terminator, or null at end of stream. */
    private String readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1) {
        if (c == '\n') break;
        line.write(c);
        if (line.size() > MAX_HEAD) break;
      }
      if (c == -1 && line.size() == 0) return null;
      byte[] b = line.toByteArray();
      int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
      return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }
  }
}
