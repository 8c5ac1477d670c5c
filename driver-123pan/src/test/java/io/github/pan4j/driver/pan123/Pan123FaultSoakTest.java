package io.github.pan4j.driver.pan123;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.spi.DriverContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.FaultSoak;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault soak ({@link FaultSoak}) over 123pan: random operations through {@link Drive} with
 * one fault armed before most steps, the tree checked against a model after each. The web door
 * announces 1 KiB parts, so a few kilobytes exercise multipart uploads. More seeds:
 * {@code -Dpan4j.soak.seeds=200} (see docs/testing.md).
 */
class Pan123FaultSoakTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension()
      .doors(() -> new WebFrontDoor().sliceSize(1024))
      .driver("123pan");

  static Stream<Long> seeds() {
    return FaultSoak.seeds(1, 2, 3, 108); // 108: a put interrupted mid-slice, a get mid-body (it waited for the read timeout once), the deadline drive
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomOperationsUnderFaults_leaveTheTreeAsBeforeOrAsAfter(long seed) {
    Map<String, String> options = fake.options();
    options.put("uploadThreads", "1"); // one part at a time: the Nth request is the same on every run
    // The soak's slow replies come 200 ms late; while one is armed the client reads with 50 ms.
    AtomicBoolean tight = new AtomicBoolean();
    SliceCutter cutter = new SliceCutter();
    OkHttpClient http = new OkHttpClient.Builder()
        .addInterceptor(chain -> tight.get() ? chain.withReadTimeout(50, TimeUnit.MILLISECONDS).proceed(chain.request())
            : chain.proceed(chain.request()))
        .addInterceptor(cutter)
        .eventListenerFactory(cutter.events())
        .build();
    DriverContext context = DriverContext.builder().clock(fake.clock()).sleeper(fake.clock()).tokenStore(fake.tokenStore())
        .httpClient(http).build();
    // A second drive over the account whose every call must end within 300 ms: the soak's slow
    // replies on it come 700 ms late, so the deadline strikes after 123 acted.
    DriverContext shortDeadline = DriverContext.builder().clock(fake.clock()).sleeper(fake.clock()).tokenStore(fake.tokenStore())
        .httpClient(http).callDeadline(Duration.ofMillis(300)).build();
    try (Drive drive = Drives.create().open("123pan", options, context, b -> b.ticker(fake.clock().ticker()));
        Drive deadlined = Drives.create().open("123pan", options, shortDeadline, b -> b.ticker(fake.clock().ticker()))) {
      FaultSoak.over(drive, fake.cloud(), fake.demo().uid())
          .clock(fake.clock())
          .steps(FaultSoak.steps(60))
          .sizes(200, 600, 4500)
          .fault("code429", () -> WebFrontDoor.businessError(429, "操作频繁，请稍后再试"))
          .slowReplies(Duration.ofMillis(200), tight::set, 3)
          .interrupts(3)
          .bodyInterrupts()
          .sliceInterrupts(cutter.hook::set)
          .deadlineDrive(deadlined, Duration.ofMillis(700), 1)
          .run(seed);
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /**
   * Cuts the next request carrying file bytes (not a JSON or form body) in the middle: after half
   * its body is written, the soak's hook runs (it interrupts the caller), the write waits until
   * the engine cancels the call (at most 5 s, then it goes on, and the step will have succeeded
   * although interrupted, which the soak reports) and then fails.
   */
  static final class SliceCutter implements okhttp3.Interceptor {
    final java.util.concurrent.atomic.AtomicReference<Runnable> hook = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.Map<okhttp3.Call, java.util.concurrent.CountDownLatch> cancels = new java.util.concurrent.ConcurrentHashMap<>();

    okhttp3.EventListener.Factory events() {
      return call -> new okhttp3.EventListener() {
        @Override public void canceled(okhttp3.Call c) { cancels.computeIfAbsent(c, k -> new java.util.concurrent.CountDownLatch(1)).countDown(); }

        @Override public void callEnd(okhttp3.Call c) { cancels.remove(c); }

        @Override public void callFailed(okhttp3.Call c, java.io.IOException e) { cancels.remove(c); }
      };
    }

    @Override public okhttp3.Response intercept(Chain chain) throws java.io.IOException {
      okhttp3.Request req = chain.request();
      okhttp3.RequestBody body = req.body();
      Runnable h = hook.get();
      okhttp3.MediaType type = body == null ? null : body.contentType();
      boolean bytes = body != null && body.contentLength() > 1
          && (type == null || !(type.subtype().contains("json") || type.subtype().contains("x-www-form-urlencoded")));
      if (h == null || !bytes || !hook.compareAndSet(h, null)) return chain.proceed(req);
      java.util.concurrent.CountDownLatch cancelled = cancels.computeIfAbsent(chain.call(), k -> new java.util.concurrent.CountDownLatch(1));
      okhttp3.RequestBody cut = new okhttp3.RequestBody() {
        @Override public okhttp3.MediaType contentType() { return body.contentType(); }

        @Override public long contentLength() throws java.io.IOException { return body.contentLength(); }

        @Override public boolean isOneShot() { return true; }

        @Override public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
          okio.Buffer all = new okio.Buffer();
          body.writeTo(all);
          sink.write(all, all.size() / 2);
          sink.flush();
          h.run();
          try {
            if (cancelled.await(5, java.util.concurrent.TimeUnit.SECONDS)) throw new java.io.IOException("cancelled with half the body sent");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted with half the body sent");
          }
          sink.writeAll(all);
        }
      };
      return chain.proceed(req.newBuilder().method(req.method(), cut).build());
    }
  }
}
