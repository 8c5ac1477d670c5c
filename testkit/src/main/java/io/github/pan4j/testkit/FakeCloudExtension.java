package io.github.pan4j.testkit;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.auth.InMemoryTokenStore;
import io.github.pan4j.core.auth.TokenStore;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.fake.Account;
import io.github.pan4j.testkit.fake.DemoCloud;
import io.github.pan4j.testkit.fake.FakeClock;
import io.github.pan4j.testkit.fake.FakeCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.FrontDoor;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.Share;
import io.github.pan4j.testkit.fake.ShareFrontDoor;
import io.github.pan4j.testkit.fake.VipCdnFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs the fake 123 cloud ({@link FakeCloud}) on loopback for JUnit 5 tests: fresh front doors, a
 * fresh store holding the demo account, and a {@link FakeClock} shared by the fake and by the
 * drivers opened through {@link #context()}, so rate limits and back-off cost no real time.
 *
 * <p>Register it on a field; the field decides the lifetime:
 *
 * <pre>{@code
 * class MyDriverTest {
 *   @RegisterExtension
 *   final FakeCloudExtension fake = new FakeCloudExtension().driver("123pan"); // a new cloud per test
 *
 *   @Test
 *   void listsTheRoot() {
 *     Drive drive = fake.drive();                    // 123pan, signed in as the demo account
 *     fake.store().mkdir(fake.demo().uid(), FakeStore.ROOT, "docs");
 *     assertEquals(List.of("docs"), drive.ls("/").stream().map(Entry::name).toList());
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>on an instance field, or through {@link FakeCloudTest @FakeCloudTest}: a new cloud before
 *       each test, closed after it, so tests never see each other's files;
 *   <li>on a {@code static} field: one cloud for the whole class (started before all tests), for
 *       read-only suites whose set-up is expensive.
 * </ul>
 *
 * <p>Test methods (and, for {@code @FakeCloudTest}, constructors for the extension itself) can
 * take parameters of type {@code FakeCloudExtension}, {@link FakeCloud}, {@link FakeStore},
 * {@link FakeClock}, {@link Account} (the demo account) and {@link DriverContext}.
 *
 * <p>By default every front door runs ({@link OpenApiFrontDoor}, {@link WebFrontDoor},
 * {@link ShareFrontDoor}, {@link VipCdnFrontDoor}) with its default settings; {@link #doors}
 * chooses others, and the doors' settings can be changed during a test. The extension is a
 * JUnit-only convenience over the fake cloud library ({@code pan4j-fake-cloud}), which needs no
 * JUnit. Not for concurrent use by parallel tests of one class.
 */
public final class FakeCloudExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  /** The key of the demo share that {@code driver("123share")} creates, of the folder {@code /shared}. */
  public static final String SHARE_KEY = DemoCloud.SHARE_KEY;
  /** The extraction code of that share. */
  public static final String SHARE_PASSWORD = DemoCloud.SHARE_PASSWORD;

  private static final Set<Class<?>> INJECTABLE =
      Set.of(FakeCloudExtension.class, FakeCloud.class, FakeStore.class, FakeClock.class, Account.class, DriverContext.class);

  private List<Supplier<? extends FrontDoor>> doors =
      List.of(OpenApiFrontDoor::new, WebFrontDoor::new, ShareFrontDoor::new, VipCdnFrontDoor::new);
  private Instant clockStart = FakeClock.DEFAULT_START;
  private String driverId;

  // guarded by the JUnit thread that runs this class's tests
  private boolean perClass;
  private int classDepth;
  private Running running;

  /** Every front door with its default settings, the clock at {@link FakeClock#DEFAULT_START}. */
  public FakeCloudExtension() {}

  /**
   * The front doors to run, made anew for each cloud; e.g.
   * {@code doors(WebFrontDoor::new, () -> new ShareFrontDoor().loginThreshold(0))}.
   */
  @SafeVarargs
  public final FakeCloudExtension doors(Supplier<? extends FrontDoor>... doors) {
    this.doors = List.of(doors);
    return this;
  }

  /** Where each cloud's {@link FakeClock} starts. */
  public FakeCloudExtension clockStart(Instant start) {
    this.clockStart = Objects.requireNonNull(start, "start");
    return this;
  }

  /**
   * The driver that {@link #open()}, {@link #drive()} and {@link #options()} use: {@code 123open},
   * {@code 123pan} or {@code 123share}. For {@code 123share} each cloud starts with the demo
   * account's folder {@code /shared} shared as {@link #SHARE_KEY} / {@link #SHARE_PASSWORD}.
   */
  public FakeCloudExtension driver(String driverId) {
    if (!Set.of("123open", "123pan", "123share").contains(driverId)) {
      throw new IllegalArgumentException("no default options for driver '" + driverId
          + "'; use 123open, 123pan or 123share (a 123link tree names its files: build one with vip().treeOf)");
    }
    this.driverId = driverId;
    return this;
  }

  // ------------------------------------------------------------------ while a cloud runs

  /** The running cloud. */
  public FakeCloud cloud() { return running().cloud; }
  /** The running cloud's store. */
  public FakeStore store() { return running().cloud.store(); }
  /** The clock of the fake and of {@link #context()}; its sleeps advance it. */
  public FakeClock clock() { return running().clock; }
  /** The demo account: it signs in with the open platform's demo client and with the web login. */
  public Account demo() { return running().demo; }
  /** The token store of {@link #context()}, fresh for each cloud. */
  public TokenStore tokenStore() { return running().tokens; }
  /** The front door of that type. */
  public <T extends FrontDoor> T door(Class<T> type) { return running().cloud.door(type); }
  /** The open platform's front door. */
  public OpenApiFrontDoor openApi() { return door(OpenApiFrontDoor.class); }
  /** The web front door (login, file API). */
  public WebFrontDoor web() { return door(WebFrontDoor.class); }
  /** The public-share front door. */
  public ShareFrontDoor shares() { return door(ShareFrontDoor.class); }
  /** The direct-link CDN. */
  public VipCdnFrontDoor vip() { return door(VipCdnFrontDoor.class); }

  /**
   * The driver context on the fake clock (which also sleeps) and {@link #tokenStore()}: one per
   * cloud, shared by every drive the extension opens, and closed by the extension when the cloud
   * stops (its threads and connections go with it), so do not close it yourself.
   */
  public DriverContext context() {
    return running().context;
  }

  /** The folder shared as {@link #SHARE_KEY} (only with {@code driver("123share")}). */
  public Node shared() {
    Node shared = running().shared;
    if (shared == null) throw new IllegalStateException("no demo share: register the extension with driver(\"123share\")");
    return shared;
  }

  /** The folder at {@code path} under {@link #shared()}, created as needed. */
  public Node folder(String path) {
    Node cur = shared();
    FakeStore store = store();
    long uid = demo().uid();
    for (String part : path.split("/")) {
      if (part.isEmpty()) continue;
      long parent = cur.id();
      cur = store.child(uid, parent, part).orElseGet(() -> store.mkdir(uid, parent, part));
    }
    return cur;
  }

  /** A file with {@code content} in the folder at {@code folderPath} under {@link #shared()}. */
  public Node file(String folderPath, String name, byte[] content) {
    return store().createFile(demo().uid(), folder(folderPath).id(), name, store().putBlob(content));
  }

  /**
   * The options that point the {@link #driver} at this cloud as the demo account (a new mutable
   * map). They hold secrets: never print them.
   */
  public Map<String, String> options() {
    Running r = running();
    Map<String, String> o = new HashMap<>();
    switch (requireDriver()) {
      case "123open" -> {
        o.put("clientId", OpenApiFrontDoor.DEMO_CLIENT_ID);
        o.put("clientSecret", OpenApiFrontDoor.DEMO_CLIENT_SECRET);
        o.put("apiBaseUrl", r.cloud.baseUrl("open"));
      }
      case "123pan" -> {
        o.put("username", WebFrontDoor.DEMO_PHONE);
        o.put("password", WebFrontDoor.DEMO_PASSWORD);
        o.put("apiBaseUrl", r.cloud.baseUrl("web"));
        o.put("loginBaseUrl", r.cloud.baseUrl("login"));
      }
      default -> {
        o.put("shareUrl", "https://www.123pan.com/s/" + SHARE_KEY + "?pwd=" + SHARE_PASSWORD);
        o.put("apiBaseUrl", r.cloud.baseUrl("web"));
      }
    }
    return o;
  }

  /** The {@link #driver} opened with {@link #options()} and {@link #context()}. */
  public Driver open() {
    return open(options());
  }

  /** The {@link #driver} opened with these options and {@link #context()}. */
  public Driver open(Map<String, String> options) {
    return Drives.create().provider(requireDriver()).openWith(options, context());
  }

  /**
   * The {@link #driver} opened as a {@link Drive} with {@link #options()} and {@link #context()}.
   * Its path cache ages with {@link #clock()} too, as a drive from
   * {@code Drives.create().open(id, options, context)} does: advancing the clock past the cache's
   * minute makes the drive look paths up again.
   */
  public Drive drive() {
    return drive(options());
  }

  /**
   * {@link #drive()} with these options instead, e.g. {@link #options()} with a wrong secret, to
   * test how your code meets the error. ({@code Drive.of(open(options))} would give a drive whose
   * path cache runs on the system clock, which {@link #clock()} does not move.)
   */
  public Drive drive(Map<String, String> options) {
    return Drives.create().open(requireDriver(), options, context());
  }

  // ------------------------------------------------------------------ JUnit callbacks

  @Override
  public void beforeAll(ExtensionContext context) {
    // Only class-level registrations get here: a static field (one cloud for the class) or
    // @ExtendWith/@FakeCloudTest (a cloud per test, like an instance field). JUnit calls this again
    // for each @Nested class, which shares the outer class's cloud: count, start once.
    if (classDepth == 0) perClass = !isDeclaredOn(context.getRequiredTestClass());
    if (perClass && classDepth == 0) start();
    classDepth++;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) stop();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (--classDepth > 0) return;
    if (perClass) stop();
    perClass = false;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return INJECTABLE.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == FakeCloudExtension.class) return this;
    if (running == null) {
      String where = parameter.getDeclaringExecutable() instanceof Constructor ? "a constructor" : "this method";
      throw new ParameterResolutionException("the fake cloud is not running when " + where + " is called; take a "
          + type.getSimpleName() + " as a test-method parameter, or take FakeCloudExtension and ask it during the test");
    }
    if (type == FakeCloud.class) return cloud();
    if (type == FakeStore.class) return store();
    if (type == FakeClock.class) return clock();
    if (type == Account.class) return demo();
    return context();
  }

  // ------------------------------------------------------------------ internals

  private void start() {
    if (running != null) stop();
    FakeClock clock = new FakeClock(clockStart);
    FakeCloud.Builder b = FakeCloud.builder().clock(clock);
    for (Supplier<? extends FrontDoor> door : doors) b.door(door.get());
    FakeCloud cloud = b.build().start();
    try {
      // One account for every protocol: the open platform's demo client and the web login.
      Account demo = OpenApiFrontDoor.demoAccount(cloud.store()).password(WebFrontDoor.DEMO_PASSWORD);
      Node shared = null;
      if ("123share".equals(driverId)) {
        shared = cloud.store().mkdir(demo.uid(), FakeStore.ROOT, "shared");
        cloud.store().createShare(new Share(SHARE_KEY, SHARE_PASSWORD, demo.uid(), shared.id(), null));
      }
      InMemoryTokenStore tokens = new InMemoryTokenStore();
      DriverContext context = DriverContext.builder().clock(clock).sleeper(clock).tokenStore(tokens).build();
      running = new Running(clock, cloud, demo, tokens, shared, context);
    } catch (RuntimeException | Error e) {
      cloud.close();
      throw e;
    }
  }

  private void stop() {
    Running r = running;
    running = null;
    if (r == null) return;
    try {
      r.cloud.close();
    } finally {
      r.context.close();
    }
  }

  private Running running() {
    Running r = running;
    if (r == null) {
      throw new IllegalStateException("the fake cloud runs only during a test: register FakeCloudExtension with "
          + "@RegisterExtension (or use @FakeCloudTest) and call it from a test or a @BeforeEach method");
    }
    return r;
  }

  private String requireDriver() {
    if (driverId == null) {
      throw new IllegalStateException("no driver chosen for open(), drive() and options(): register the extension on a"
          + " field as new FakeCloudExtension().driver(\"123pan\") (or 123open, 123share); @FakeCloudTest chooses none");
    }
    return driverId;
  }

  private static boolean isDeclaredOn(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      for (ExtendWith e : AnnotationSupport.findRepeatableAnnotations(c, ExtendWith.class)) {
        if (List.of(e.value()).contains(FakeCloudExtension.class)) return true;
      }
    }
    return false;
  }

  private record Running(FakeClock clock, FakeCloud cloud, Account demo, TokenStore tokens, Node shared,
      DriverContext context) {}
}
