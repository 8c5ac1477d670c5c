package io.github.pan4j.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Runs one HTTP call for a driver and turns transport trouble into {@link DriveException}s:
 * I/O failure → NETWORK (retryable); thread interrupt → the call is cancelled and CANCELLED is
 * thrown with the interrupt flag kept. The body is read fully, so use this for API calls (small
 * JSON), not downloads.
 */
public final class HttpCalls {
  /** Bodies larger than this are refused as a protocol error (an API reply is never this big). */
  public static final int MAX_API_BODY = 32 * 1024 * 1024;

  private HttpCalls() {}

  /** The outcome of a call: status, headers and the whole body. */
  public record Result(int status, Headers headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name);
    }

    /** True when the body looks like HTML (a gateway error page), not JSON. */
    public boolean looksLikeHtml() {
      String t = text().stripLeading();
      return t.startsWith("<") || (header("Content-Type") != null && header("Content-Type").contains("html"));
    }
  }

  /** Executes {@code request}; interruptible. */
  public static Result execute(OkHttpClient client, Request request) {
    Call call = client.newCall(request);
    CompletableFuture<Result> future = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        future.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call c, Response response) {
        try (response) {
          ResponseBody body = response.body();
          long declared = body.contentLength();
          if (declared > MAX_API_BODY) throw new IOException("reply of " + declared + " bytes is too large for an API call");
          future.complete(new Result(response.code(), response.headers(), body.bytes()));
        } catch (IOException | RuntimeException e) {
          future.completeExceptionally(e);
        }
      }
    });
    try {
      return future.get();
    } catch (InterruptedException e) {
      call.cancel();
      Thread.currentThread().interrupt();
      throw DriveException.builder(ErrorKind.CANCELLED, "cancelled by interrupt").target(Redactor.url(request.url())).build();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw DriveException.builder(ErrorKind.NETWORK,
              "request failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                  + "; check the network and retry")
          .target(request.method() + " " + Redactor.url(request.url())).retryable(true).cause(cause).build();
    }
  }

  /**
   * Parses a reply as JSON. HTML or garbage is a PROTOCOL error, retryable when the HTTP status was
   * 5xx (a gateway page) and not otherwise.
   */
  public static JsonNode json(ObjectMapper mapper, Result result, String what) {
    if (!result.looksLikeHtml()) {
      try {
        JsonNode node = mapper.readTree(result.body());
        if (node != null && !node.isMissingNode()) return node;
      } catch (IOException e) {
        // fall through to the protocol error below
      }
    }
    String snippet = result.text().strip();
    if (snippet.length() > 120) snippet = snippet.substring(0, 120) + "…";
    throw DriveException.builder(ErrorKind.PROTOCOL,
            what + " answered HTTP " + result.status() + " with a body that is not JSON: " + snippet)
        .retryable(result.status() >= 500 || result.status() == 429)
        .traceId(result.header("x-traceID"))
        .build();
  }
}
