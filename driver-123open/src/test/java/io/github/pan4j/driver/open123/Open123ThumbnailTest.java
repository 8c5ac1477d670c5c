package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Entry;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The v2 list's {@code thumbnail} of pictures and videos, sized and served, over HTTP against the fake. */
class Open123ThumbnailTest extends Open123Fixture {

  private Map<String, Entry> listRoot() {
    store.createFile(demo.uid(), 0, "movie.mkv", store.putBlob("m".getBytes()));
    store.createFile(demo.uid(), 0, "cat.png", store.putBlob("c".getBytes()));
    store.createFile(demo.uid(), 0, "song.mp3", store.putBlob("s".getBytes()));
    return driver().list("0", null).entries().stream().collect(Collectors.toMap(Entry::name, Function.identity()));
  }

  @Test
  void v2List_thumbnailOfMedia_sizedAndServed() throws Exception {
    Map<String, Entry> byName = listRoot();
    HttpUrl movie = HttpUrl.parse(byName.get("movie.mkv").thumbnail());
    assertNotNull(movie);
    assertTrue(movie.encodedPath().endsWith("_70_70"));
    assertEquals("70", movie.queryParameter("w"));
    assertEquals("video", movie.queryParameter("type"));
    assertEquals("image", HttpUrl.parse(byName.get("cat.png").thumbnail()).queryParameter("type"));
    assertNull(byName.get("song.mp3").thumbnail(), "audio has none by default");
    try (Response r = new OkHttpClient().newCall(new Request.Builder().url(movie).build()).execute()) {
      assertEquals(200, r.code());
      byte[] png = r.body().bytes();
      assertEquals(70, ByteBuffer.wrap(png, 16, 4).getInt());
    }
  }

  @Test
  void v2ListWithoutThumbnailField_noThumbnail() {
    cloud.thumbnails().openV2(false);
    assertNull(listRoot().get("movie.mkv").thumbnail());
  }

  @Test
  void audioThumbnails_whenTheCloudHasThem() {
    cloud.thumbnails().audio(true);
    assertEquals("audio", HttpUrl.parse(listRoot().get("song.mp3").thumbnail()).queryParameter("type"));
  }
}
