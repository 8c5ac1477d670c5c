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
}
