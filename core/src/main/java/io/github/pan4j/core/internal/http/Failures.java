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
   * A reply body's text for an error message: on one line (every run of white space becomes one
   * space, so a gateway's HTML page does not break a log line) and cut at {@code max} characters.
   * Only the head that can be kept is collapsed, not a body of megabytes.
   */
  public static String snippet(String text, int max) {
    String t = text.substring(0, Math.min(text.length(), 4 * max + 64)).strip().replaceAll("\\s+", " ");
    return t.length() > max ? t.substring(0, max) + "…" : t;
  }
}
