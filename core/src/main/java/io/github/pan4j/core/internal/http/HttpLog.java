package io.github.pan4j.core.internal.http;

import io.github.pan4j.core.http.Redactor;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request logging for drivers: one line per call (method, redacted URL, status, time) at DEBUG on
 * logger {@code io.github.pan4j.http.<driverId>}. Authorization headers, tokens, passwords and
 * secrets are masked by {@link Redactor}; bodies are never logged.
 */
public final class HttpLog implements Interceptor {
  private final String driverId;
  private final Consumer<String> sink;

  private HttpLog(String driverId, Consumer<String> sink) {
    this.driverId = Objects.requireNonNull(driverId, "driverId");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Logs through SLF4J. */
  public static HttpLog forDriver(String driverId) {
    Logger log = LoggerFactory.getLogger("io.github.pan4j.http." + driverId);
    return new HttpLog(driverId, line -> {
      if (log.isDebugEnabled()) log.debug(line);
    });
  }

  /** Logs to a custom sink (tests, hosts with their own log). */
  public static HttpLog to(String driverId, Consumer<String> sink) {
    return new HttpLog(driverId, sink);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    long start = System.nanoTime();
    StringBuilder line = new StringBuilder(driverId).append(' ').append(request.method()).append(' ')
        .append(Redactor.url(request.url().toString()));
    if (request.header("Authorization") != null) line.append(" [Authorization: ****]");
    try {
      Response response = chain.proceed(request);
      long ms = (System.nanoTime() - start) / 1_000_000;
      String trace = response.header("x-traceID");
      line.append(" -> ").append(response.code()).append(" in ").append(ms).append("ms");
      if (trace != null) line.append(" trace=").append(trace);
      sink.accept(line.toString());
      return response;
    } catch (IOException e) {
      line.append(" -> ").append(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
      sink.accept(line.toString());
      throw e;
    }
  }
}
