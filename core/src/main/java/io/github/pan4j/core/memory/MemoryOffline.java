package io.github.pan4j.core.memory;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.NotFoundException;
import io.github.pan4j.core.OfflineState;
import io.github.pan4j.core.OfflineTask;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Offline downloads of the memory driver. A task is fetched when it is first asked about (by
 * {@code offlineTask} or {@code offlineTasks}), in the caller's thread, so tests drive it without
 * waiting: added = {@code WAITING}, asked once = {@code SUCCEEDED} or {@code FAILED}. The file
 * lands in the folder under the last segment of the URL path (kept both on a clash, as
 * {@code name (1).ext}).
 */
final class MemoryOffline {
  /** The largest body fetched; the memory driver holds files as byte arrays. */
  static final long MAX_BYTES = Integer.MAX_VALUE - 16;
  private static volatile OkHttpClient http;

  private final MemoryDriver driver;
  private final Map<String, Task> tasks = new LinkedHashMap<>();
  private long nextId = 1;

  MemoryOffline(MemoryDriver driver) {
    this.driver = driver;
  }

  private static final class Task {
    final String id;
    final String url;
    final String folderId;
    OfflineState state = OfflineState.WAITING;
    String name;
    String fileId;
    String failReason;

    Task(String id, String url, String folderId) {
      this.id = id;
      this.url = url;
      this.folderId = folderId;
    }

    OfflineTask snapshot() {
      return new OfflineTask(id, url, state, state == OfflineState.SUCCEEDED ? 100 : 0, name, fileId, failReason);
    }
  }

  synchronized OfflineTask add(String url, String folderId) {
    Task t = new Task(String.valueOf(nextId++), url, folderId);
    t.name = nameOf(url);
    tasks.put(t.id, t);
    return t.snapshot();
  }

  OfflineTask poll(String id) {
    Task t;
    synchronized (this) {
      t = tasks.get(id);
    }
    if (t == null) {
      throw (NotFoundException) DriveException.builder(io.github.pan4j.core.ErrorKind.NOT_FOUND,
          "no offline task '" + id + "'; offlineTasks() lists the known ones").driver(MemoryDriver.ID).operation("offline").target(id).build();
    }
    return run(t);
  }

  List<OfflineTask> all() {
    List<Task> copy;
    synchronized (this) {
      copy = new ArrayList<>(tasks.values());
    }
    List<OfflineTask> out = new ArrayList<>();
    for (int i = copy.size() - 1; i >= 0; i--) out.add(run(copy.get(i)));
    return out;
  }

  synchronized void remove(String id) {
    tasks.remove(id);
  }

  /** Fetches a waiting task (once; concurrent askers wait for the one fetch). */
  private OfflineTask run(Task t) {
    synchronized (t) {
      if (t.state == OfflineState.WAITING) {
        t.state = OfflineState.IN_PROGRESS;
        try {
          byte[] bytes = fetch(t.url);
          Entry e = driver.storeFetched(t.folderId, t.name, bytes);
          t.name = e.name();
          t.fileId = e.id();
          t.state = OfflineState.SUCCEEDED;
        } catch (DriveException e) {
          t.state = OfflineState.FAILED;
          t.failReason = e.getMessage();
        } catch (IOException e) {
          t.state = OfflineState.FAILED;
          t.failReason = "fetch failed: " + e;
        }
      }
      return t.snapshot();
    }
  }

  private static byte[] fetch(String url) throws IOException {
    try (Response r = client().newCall(new Request.Builder().url(url).get().build()).execute()) {
      if (!r.isSuccessful()) throw new IOException("HTTP " + r.code() + " from the server");
      ResponseBody body = r.body();
      if (body.contentLength() > MAX_BYTES) throw new IOException("the file is over 2 GiB, too large for the memory driver");
      try (InputStream in = body.byteStream()) {
        return in.readNBytes((int) MAX_BYTES);
      }
    }
  }

  private static OkHttpClient client() {
    OkHttpClient c = http;
    if (c == null) {
      synchronized (MemoryOffline.class) {
        if (http == null) http = new OkHttpClient.Builder().callTimeout(Duration.ofMinutes(10)).build();
        c = http;
      }
    }
    return c;
  }

  /** The last non-empty segment of the URL path, decoded; {@code download} when there is none. */
  static String nameOf(String url) {
    String path = URI.create(url).getRawPath();
    if (path != null) {
      String[] segs = path.split("/");
      for (int i = segs.length - 1; i >= 0; i--) {
        if (!segs[i].isEmpty()) {
          String n = URLDecoder.decode(segs[i].replace("+", "%2B"), StandardCharsets.UTF_8);
          if (!n.isBlank() && !n.contains("/")) return n;
        }
      }
    }
    return "download";
  }
}
