package io.github.pan4j.core.internal.http;

/** What a failed request tells about whether it left this machine. Not API. */
public final class Failures {
  private Failures() {}

  /**
   * Whether a failure happened before the request could leave: no connection was made (refused,
   * or the host name did not resolve), so nothing reached the server and a repeat cannot double
   * it. Looks through the whole cause chain.
   */
  public static boolean neverSent(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException) return true;
    }
    return false;
  }

  /**
   * The engine's words for {@link io.github.pan4j.core.DriveException#mayHaveTakenEffect()} on a
   * failed write whose request reached the server whole while the answer does not tell (a dropped
   * connection, a gateway page, the deadline), given with
   * {@link io.github.pan4j.core.DriveException.Builder#mayHaveTakenEffect(String)}. A layer that
   * says it more precisely (what may have happened, where to look) gives its own words the same
   * way, which take their place.
   */
  public static final String MAY_HAVE_ACTED = "it may have reached the server and taken effect: look before repeating it";

  /**
   * Whether a call that failed with {@code e} may still have reached the server and been carried
   * out: its reply was lost, cut or garbled, the connection dropped after the request left, or a
   * gateway answered in the server's place (a retryable failure of any other kind). Not a refusal,
   * not throttling, not a cancel (its own rule: whether the request was sent whole), and not a call
   * that never left ({@link #neverSent}). Says nothing about whether the call changes anything: the
   * engine asks it for writes only, a driver also to decide whether a read is worth asking again.
   */
  public static boolean outcomeUnknown(io.github.pan4j.core.DriveException e) {
    if (neverSent(e)) return false;
    return switch (e.kind()) {
      case NETWORK, PROTOCOL -> true;
      case RATE_LIMITED, CANCELLED -> false;
      default -> e.retryable();
    };
  }

  /**
   * A builder for {@code e} told with another {@code reason}: its kind, driver, operation, target,
   * provider code, message and trace id, retryability, Retry-After and whether it may have taken
   * effect (with its words on that) are kept; the cause is the caller's to set.
   */
  public static io.github.pan4j.core.DriveException.Builder retold(io.github.pan4j.core.DriveException e, String reason) {
    return e.toBuilder().reason(reason);
  }

  /**
   * A reply body's text for an error message: on one line (every run of white space becomes one
   * space, so a gateway's HTML page does not break a log line) and cut at {@code max} characters.
   * Only the head that can be kept is collapsed, not a body of megabytes.
   */
  public static String snippet(String text, int max) {
    String t = text.substring(0, Math.min(text.length(), 4 * max + 64)).strip().replaceAll("\\s+", " ");
    return t.length() > max ? t.substring(0, max) + "…" : t;
  }
}
