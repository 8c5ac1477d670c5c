package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Entry;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Thumbnails of pictures and videos in listings, served by the fake CDN, over HTTP. */
class Pan123ThumbnailTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  private Map<String, Entry> listRoot() {
    FakeStore st = fake.store();
    long uid = fake.demo().uid();
    st.createFile(uid, FakeStore.ROOT, "clip.mp4", st.putBlob("video bytes".getBytes(StandardCharsets.UTF_8)));
    st.createFile(uid, FakeStore.ROOT, "photo.JPG", st.putBlob("photo bytes".getBytes(StandardCharsets.UTF_8)));
    st.createFile(uid, FakeStore.ROOT, "notes.txt", st.putBlob("text".getBytes(StandardCharsets.UTF_8)));
    try (Driver d = fake.open()) {
      return d.list("0", null).entries().stream().collect(Collectors.toMap(Entry::name, Function.identity()));
    }
  }

  @Test
  void mediaCarrySized70pxThumbnails_othersNone() throws Exception {
    Map<String, Entry> byName = listRoot();
    HttpUrl video = HttpUrl.parse(byName.get("clip.mp4").thumbnail());
    assertNotNull(video);
    assertTrue(video.encodedPath().endsWith("_70_70"), video.encodedPath());
    assertEquals("70", video.queryParameter("w"));
    assertEquals("70", video.queryParameter("h"));
    assertEquals("video", video.queryParameter("type"));
    assertEquals("123pan-thumbnail", video.queryParameter("trade_key"));
    assertEquals("image", HttpUrl.parse(byName.get("photo.JPG").thumbnail()).queryParameter("type"));
    assertNull(byName.get("notes.txt").thumbnail());
    assertTrue(byName.get("notes.txt").thumbnailIfAny().isEmpty());

    // The URL is served as a 70×70 PNG by the CDN (what a host's grid shows).
    OkHttpClient http = new OkHttpClient();
    try (Response r = http.newCall(new Request.Builder().url(video).build()).execute()) {
      assertEquals(200, r.code());
      assertEquals("image/png", r.header("Content-Type"));
      byte[] png = r.body().bytes();
      assertEquals(70, ByteBuffer.wrap(png, 16, 4).getInt(), "width");
      assertEquals(70, ByteBuffer.wrap(png, 20, 4).getInt(), "height");
    }
    // A tampered URL (another file's path with this signature) is refused.
    HttpUrl forged = video.newBuilder().setPathSegment(1, "00000000").build();
    try (Response r = http.newCall(new Request.Builder().url(forged).build()).execute()) {
      assertEquals(403, r.code());
    }
  }

  @Test
  void thumbnailsOff_noThumbnail() {
    fake.cloud().thumbnails().enabled(false);
    assertNull(listRoot().get("clip.mp4").thumbnail());
  }

  @Test
  void expiredThumbnailUrl_isRefused() throws Exception {
    String url = listRoot().get("clip.mp4").thumbnail();
    fake.clock().advance(java.time.Duration.ofHours(25));
    try (Response r = new OkHttpClient().newCall(new Request.Builder().url(url).build()).execute()) {
      assertEquals(403, r.code());
    }
  }
}
