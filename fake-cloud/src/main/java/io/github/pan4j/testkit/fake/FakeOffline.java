package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The offline downloads of the fake cloud, shared by the open platform ({@link OpenOffline}) and
 * the web API ({@link WebOffline}) of one {@link FakeCloud}: the fake fetches the URL itself, but
 * only from loopback (any other host fails the task, as an unreachable source does at 123), into
 * the {@link FakeStore}, so the file appears in the target folder.
 *
 * <p>Tasks progress only when polled (open: {@code offline/download/process}; web:
 * {@code offline_download/task/list}), so tests drive them without waiting: the first poll fetches
 * the URL (a failed fetch answers "failed" at once), the next {@link #progressPolls} polls answer
 * "in progress" with growing percent, then the file is stored and the task answers "succeeded"
 * with 100. How fast the real service moves is UNKNOWN; the number of in-progress answers is this
 * setting (default 2). A fetched file that does not fit into the account's space fails the task
 * with {@link #spaceFullReason}. With {@link #stepEvery} the tasks also move on their own, in real time.
 *
 * <pre>{@code
 * FakeOffline.of(cloud).progressPolls(0).failNext(1, "资源不存在", 2); // next task: 2× retrying, then failed
 * }</pre>
 */
public final class FakeOffline {
  /** Status codes both protocols use (open: {@code status}; web: {@code status}). */
  static final int IN_PROGRESS = 0;
  static final int FAILED = 1;
  static final int SUCCEEDED = 2;
  static final int RETRYING = 3;
  /** The fail reason of a URL whose host is not loopback (the fake reaches nothing else). */
  public static final String UNREACHABLE = "下载失败：无法连接到资源服务器";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Map<FakeCloud, FakeOffline> BY_CLOUD = Collections.synchronizedMap(new WeakHashMap<>());

  /** Weak: the registry below is a WeakHashMap keyed by the cloud, which this value must not keep alive. */
  private final java.lang.ref.WeakReference<FakeCloud> cloudRef;
  private final AtomicLong ids = new AtomicLong(1_000_000 + 17);
  private final Map<Long, Task> tasks = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Deque<FailPlan> failures = new ArrayDeque<>();
  private volatile int progressPolls = 2;
  private volatile String spaceFullReason = "存储空间不足";
  private volatile OkHttpClient http;
  private Duration stepEvery = Duration.ZERO; // guarded by this
  private java.util.concurrent.ScheduledExecutorService stepper; // guarded by this

  private FakeOffline(FakeCloud cloud) {
    this.cloudRef = new java.lang.ref.WeakReference<>(cloud);
    cloud.onClose(() -> stepEvery(Duration.ZERO));
  }

  private FakeCloud cloud() {
    FakeCloud c = cloudRef.get();
    if (c == null) throw new IllegalStateException("the fake cloud of these offline tasks is gone");
    return c;
  }

  /** The offline engine of a cloud (one per cloud, made on first use). */
  public static FakeOffline of(FakeCloud cloud) {
    synchronized (BY_CLOUD) {
      return BY_CLOUD.computeIfAbsent(cloud, FakeOffline::new);
    }
  }

  // ------------------------------------------------------------------ settings and hooks

  /** How many polls after the fetch answer "in progress" before the task succeeds (default 2; UNKNOWN). */
  public FakeOffline progressPolls(int n) {
    if (n < 0) throw new IllegalArgumentException("progressPolls must be >= 0");
    progressPolls = n;
    return this;
  }

  int progressPolls() {
    return progressPolls;
  }

  /**
   * The fail reason of a task whose fetched file does not fit into what is left of the account's
   * space (default {@code 存储空间不足}, the text the fake's upload refusal uses; what 123 says is
   * UNKNOWN). Such a task fails at the poll that fetched the file, or when it would store the file
   * if the space ran out meanwhile; nothing is stored. {@link FakeStore#checkSpace(boolean)} false
   * turns the check off. Setting {@code offline.spaceFullReason}.
   */
  public FakeOffline spaceFullReason(String reason) {
    if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a reason text is needed");
    spaceFullReason = reason;
    return this;
  }

  String spaceFullReason() {
    return spaceFullReason;
  }

  /**
   * Also moves every unfinished task one step on each {@code interval} of real time, as the real
   * service works on a task whether or not anyone asks (so a client that waits only for the open
   * platform's callback sees it come). {@link Duration#ZERO}, the default, moves tasks only when
   * polled, which keeps tests exact. A step is what a poll does; {@link TaskView#polls} counts both.
   * The real service's pace is UNKNOWN.
   */
  public synchronized FakeOffline stepEvery(Duration interval) {
    if (interval == null || interval.isNegative()) throw new IllegalArgumentException("stepEvery must be 0 or more");
    stepEvery = interval;
    if (stepper != null) {
      stepper.shutdownNow();
      stepper = null;
    }
    if (!interval.isZero()) {
      stepper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pan4j-fake-offline-steps");
        t.setDaemon(true);
        return t;
      });
      long nanos = Math.max(1_000_000, interval.toNanos());
      stepper.scheduleWithFixedDelay(this::stepAll, nanos, nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    return this;
  }

  synchronized Duration stepEvery() {
    return stepEvery;
  }

  private void stepAll() {
    List<Task> open;
    synchronized (tasks) {
      open = tasks.values().stream().filter(t -> !t.removed).toList();
    }
    for (Task t : open) {
      try {
        advance(t);
      } catch (RuntimeException e) {
        // a task that cannot step now is left to its next step or poll
      }
    }
  }

  /**
   * The next {@code times} tasks created (either protocol) fail: {@code retryingPolls} polls
   * answer "retrying" (status 3), then "failed" (status 1) with {@code reason}. Nothing is fetched.
   */
  public FakeOffline failNext(int times, String reason, int retryingPolls) {
    if (times < 1) throw new IllegalArgumentException("times must be at least 1");
    if (retryingPolls < 0) throw new IllegalArgumentException("retrying must be >= 0");
    synchronized (failures) {
      for (int i = 0; i < times; i++) failures.add(new FailPlan(reason == null ? "下载失败" : reason, retryingPolls));
    }
    return this;
  }

  /** Failures set by {@link #failNext} not yet given to a task. */
  public int pendingFailures() {
    synchronized (failures) {
      return failures.size();
    }
  }

  /** Every task so far, oldest first, for assertions. */
  public List<TaskView> tasks() {
    synchronized (tasks) {
      return tasks.values().stream().map(Task::view).toList();
    }
  }

  /**
   * One task as the fake sees it.
   *
   * @param id task id
   * @param protocol {@code open} or {@code web}
   * @param uid owner
   * @param url the URL
   * @param dirId target folder
   * @param status 0 in progress, 1 failed, 2 succeeded, 3 retrying
   * @param percent progress
   * @param polls how often it was polled
   * @param fileId the stored file, 0 before success
   * @param failReason why it failed, or null
   */
  public record TaskView(long id, String protocol, long uid, String url, long dirId, int status, double percent, int polls,
      long fileId, String failReason) {}

  // ------------------------------------------------------------------ engine

  private record FailPlan(String reason, int retrying) {}

  static final class Task {
    final long id;
    final String protocol;
    final long uid;
    final String url;
    final long dirId;
    final String name;
    final String callbackUrl;
    final Instant created;
    FailPlan fail;
    int retryLeft;
    int status = IN_PROGRESS;
    double percent;
    int polls;
    long size;
    Blob blob;
    long fileId;
    String failReason;
    boolean removed;

    Task(long id, String protocol, long uid, String url, long dirId, String name, String callbackUrl, Instant created) {
      this.id = id;
      this.protocol = protocol;
      this.uid = uid;
      this.url = url;
      this.dirId = dirId;
      this.name = name;
      this.callbackUrl = callbackUrl;
      this.created = created;
    }

    synchronized TaskView view() {
      return new TaskView(id, protocol, uid, url, dirId, status, percent, polls, fileId, failReason);
    }

    synchronized boolean finished() {
      return status == FAILED || status == SUCCEEDED;
    }
  }

  /** True for an absolute http or https URL with a host. */
  static boolean httpUrl(String url) {
    try {
      URI u = new URI(url.strip());
      String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      return (s.equals("http") || s.equals("https")) && u.getHost() != null && !u.getHost().isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  Task create(String protocol, long uid, String url, long dirId, String fileName, String callbackUrl) {
    String name = fileName != null && !fileName.isBlank() ? fileName : nameOf(url);
    Task t = new Task(ids.getAndIncrement(), protocol, uid, url.strip(), dirId, name, callbackUrl, cloud().now());
    synchronized (failures) {
      FailPlan p = failures.poll();
      if (p != null) {
        t.fail = p;
        t.retryLeft = p.retrying();
      }
    }
    tasks.put(t.id, t);
    return t;
  }

  Optional<Task> task(long uid, long id) {
    Task t = tasks.get(id);
    return t == null || t.uid != uid || t.removed ? Optional.empty() : Optional.of(t);
  }

  List<Task> tasksOf(long uid, String protocol) {
    synchronized (tasks) {
      return tasks.values().stream().filter(t -> t.uid == uid && !t.removed && t.protocol.equals(protocol)).toList();
    }
  }

  void remove(Task t) {
    synchronized (t) {
      t.removed = true;
      if (!t.finished()) {
        t.status = FAILED;
        t.failReason = "任务已取消";
      }
    }
  }

  /** One poll: moves the task one step on (see the class comment). */
  void advance(Task t) {
    boolean justFinished = false;
    synchronized (t) {
      if (t.finished() || t.removed) return;
      t.polls++;
      if (t.fail != null) {
        if (t.retryLeft > 0) {
          t.retryLeft--;
          t.status = RETRYING;
          t.percent = 0;
        } else {
          failTask(t, t.fail.reason());
          justFinished = true;
        }
      } else {
        if (t.blob == null) {
          String problem = fetch(t);
          // The size is known once fetched: a file that does not fit fails the task at once.
          if (problem == null && cloud().store().spaceFor(t.uid, t.size) != null) problem = spaceFullReason;
          if (problem != null) {
            failTask(t, problem);
            justFinished = true;
          }
        }
        if (!justFinished) {
          if (t.polls <= progressPolls) {
            t.status = IN_PROGRESS;
            t.percent = Math.round(1000.0 * t.polls / (progressPolls + 1)) / 10.0;
          } else {
            store(t);
            justFinished = true;
          }
        }
      }
    }
    if (justFinished) callback(t);
  }

  private void failTask(Task t, String reason) {
    t.status = FAILED;
    t.percent = 0; // the open platform resets progress to 0 on failure
    t.failReason = reason;
    t.blob = null;
  }

  /** Stores the fetched bytes as a file in the task's folder; a name taken gets " (1)" etc. */
  private void store(Task t) {
    FakeStore st = cloud().store();
    synchronized (st) {
      if (t.dirId != FakeStore.ROOT && !st.isLiveFolder(t.uid, t.dirId)) {
        failTask(t, "目标文件夹不存在");
        return;
      }
      if (st.spaceFor(t.uid, t.blob.size()) != null) { // the space ran out while the task was in progress
        failTask(t, spaceFullReason);
        return;
      }
      String name = st.freeName(t.uid, t.dirId, t.name);
      Node n = st.createFile(t.uid, t.dirId, name, t.blob);
      t.fileId = n.id();
      t.status = SUCCEEDED;
      t.percent = 100;
    }
  }

  /** Fetches the URL into a blob; returns the fail reason, or null. */
  private String fetch(Task t) {
    URI u = URI.create(t.url);
    if (!loopback(u.getHost())) return UNREACHABLE;
    try (Response r = client().newCall(new Request.Builder().url(t.url).get().build()).execute()) {
      if (!r.isSuccessful()) return "下载失败：资源服务器返回 HTTP " + r.code();
      try (InputStream in = r.body().byteStream()) {
        t.blob = cloud().store().putBlob(in);
        t.size = t.blob.size();
      }
      return null;
    } catch (IOException e) {
      return UNREACHABLE;
    }
  }

  /** Loopback by its literal form only: the fake never resolves a name through DNS. */
  static boolean loopback(String host) {
    if (host == null) return false;
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) return true;
    if (!IPV4.matcher(h).matches() && !h.contains(":")) return false;
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The open platform's completion callback, to loopback only; failures to deliver are ignored. */
  private void callback(Task t) {
    if (t.callbackUrl == null || t.callbackUrl.isBlank() || !httpUrl(t.callbackUrl)) return;
    if (!loopback(URI.create(t.callbackUrl.strip()).getHost())) return;
    ObjectNode body = Json.mapper().createObjectNode();
    synchronized (t) {
      body.put("url", t.url);
      body.put("status", t.status == SUCCEEDED ? 0 : 1);
      body.put("failReason", t.failReason == null ? "" : t.failReason);
      body.put("fileID", t.fileId);
    }
    try (Response ignored = client().newCall(new Request.Builder().url(t.callbackUrl.strip())
        .post(RequestBody.create(body.toString(), MediaType.get("application/json"))).build()).execute()) {
      // delivered
    } catch (IOException | RuntimeException e) {
      // the real service does not retry a failed callback either (UNKNOWN); nothing to do
    }
  }

  private OkHttpClient client() {
    OkHttpClient c = http;
    if (c == null) {
      synchronized (this) {
        if (http == null) {
          http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5)).callTimeout(Duration.ofMinutes(5))
              .followRedirects(true).build();
        }
        c = http;
      }
    }
    return c;
  }

  /** The last non-empty segment of the URL path, decoded; {@code index.html} when there is none (UNKNOWN). */
  static String nameOf(String url) {
    try {
      String path = new URI(url.strip()).getRawPath();
      if (path != null) {
        String[] segs = path.split("/");
        for (int i = segs.length - 1; i >= 0; i--) {
          if (segs[i].isEmpty()) continue;
          String n = URLDecoder.decode(segs[i].replace("+", "%2B"), StandardCharsets.UTF_8);
          if (!n.isBlank() && !n.contains("/")) return n;
        }
      }
    } catch (Exception e) {
      // fall through
    }
    return "index.html";
  }
}
