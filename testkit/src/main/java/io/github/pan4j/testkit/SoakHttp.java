package io.github.pan4j.testkit;

import io.github.pan4j.core.spi.DriverContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;

/**
 * The HTTP client a {@link FaultSoak} drives its drives through, for the faults that act on the
 * client's side of the wire: reads with a short timeout while a slow reply is armed
 * ({@link FaultSoak.Builder#slowReplies}, fed by {@link #tightReads}), and the next request
 * carrying file bytes cut in the middle ({@link FaultSoak.Builder#sliceInterrupts}, fed by
 * {@link #cutNextBody}). Contexts built from {@link #context()} share it, and so do the drives of
 * {@link #drive}; {@link #close()} closes those and lets its threads and connections go.
 */
public final class SoakHttp implements AutoCloseable {
  private final AtomicBoolean tight = new AtomicBoolean();
  private final SliceCutter cutter = new SliceCutter();
  private final OkHttpClient http;
  private final java.util.List<io.github.pan4j.core.Drive> drives = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A client whose reads time out after {@code tightReadTimeout} while {@link #tightReads} is on. */
  public SoakHttp(Duration tightReadTimeout) {
    long millis = tightReadTimeout.toMillis();
    http = new OkHttpClient.Builder()
        .addInterceptor(chain -> tight.get() ? chain.withReadTimeout((int) millis, TimeUnit.MILLISECONDS).proceed(chain.request())
            : chain.proceed(chain.request()))
        .addInterceptor(cutter)
        .eventListenerFactory(cutter.events())
        .build();
  }

  /** A context builder with this client; add the clock, token store and the rest. */
  public DriverContext.Builder context() {
    return DriverContext.builder().httpClient(http);
  }

  /**
   * A drive of {@code driverId} over this client, on the fake's {@code clock} (its sleeper too) and
   * {@code tokens}; {@link #close()} closes it.
   */
  public io.github.pan4j.core.Drive drive(String driverId, Map<String, String> options,
      io.github.pan4j.testkit.fake.FakeClock clock, io.github.pan4j.core.auth.TokenStore tokens) {
    io.github.pan4j.core.Drive d = io.github.pan4j.core.Drives.create().open(driverId, options,
        context().clock(clock).sleeper(clock).tokenStore(tokens).build());
    drives.add(d);
    return d;
  }

  /** Turns the short read timeout on or off ({@link FaultSoak.Builder#slowReplies}). */
  public void tightReads(boolean on) {
    tight.set(on);
  }

  /** Cuts the next request carrying file bytes, running {@code hook} halfway ({@link FaultSoak.Builder#sliceInterrupts}). */
  public void cutNextBody(Runnable hook) {
    cutter.hook.set(hook);
  }

  /**
   * Runs {@code write} with its next request of file bytes cut halfway and the calling thread
   * interrupted there, and returns the {@link io.github.pan4j.core.DriveException} it failed with,
   * the interrupt flag cleared. Fails when {@code write} did not fail so.
   */
  public io.github.pan4j.core.DriveException interruptedMidBody(Runnable write) {
    cutNextBody(Thread.currentThread()::interrupt);
    try {
      write.run();
    } catch (io.github.pan4j.core.DriveException e) {
      return e;
    } finally {
      cutter.hook.set(null);
      Thread.interrupted();
    }
    throw new AssertionError("the write interrupted while its bytes were half sent did not fail");
  }

  @Override
  public void close() {
    drives.forEach(io.github.pan4j.core.Drive::close);
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /**
   * Cuts the next request carrying file bytes (not a JSON or form body) in the middle: after half
   * its body is written, the hook runs (it interrupts the caller), the write waits until the
   * engine cancels the call (at most 5 s, then it goes on, and the step will have succeeded
   * although interrupted, which the soak reports) and then fails.
   */
  private static final class SliceCutter implements Interceptor {
    final AtomicReference<Runnable> hook = new AtomicReference<>();
    private final Map<Call, CountDownLatch> cancels = new ConcurrentHashMap<>();

    EventListener.Factory events() {
      return call -> new EventListener() {
        @Override public void canceled(Call c) { cancels.computeIfAbsent(c, k -> new CountDownLatch(1)).countDown(); }

        @Override public void callEnd(Call c) { cancels.remove(c); }

        @Override public void callFailed(Call c, IOException e) { cancels.remove(c); }
      };
    }

    @Override public Response intercept(Chain chain) throws IOException {
      Request req = chain.request();
      RequestBody body = req.body();
      Runnable h = hook.get();
      MediaType type = body == null ? null : body.contentType();
      boolean bytes = body != null && body.contentLength() > 1
          && (type == null || !(type.subtype().contains("json") || type.subtype().contains("x-www-form-urlencoded")));
      if (h == null || !bytes || !hook.compareAndSet(h, null)) return chain.proceed(req);
      CountDownLatch cancelled = cancels.computeIfAbsent(chain.call(), k -> new CountDownLatch(1));
      RequestBody cut = new RequestBody() {
        @Override public MediaType contentType() { return body.contentType(); }

        @Override public long contentLength() throws IOException { return body.contentLength(); }

        @Override public boolean isOneShot() { return true; }

        @Override public void writeTo(BufferedSink sink) throws IOException {
          Buffer all = new Buffer();
          body.writeTo(all);
          sink.write(all, all.size() / 2);
          sink.flush();
          h.run();
          try {
            if (cancelled.await(5, TimeUnit.SECONDS)) throw new IOException("cancelled with half the body sent");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted with half the body sent");
          }
          sink.writeAll(all);
        }
      };
      return chain.proceed(req.newBuilder().method(req.method(), cut).build());
    }
  }
}
