package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.internal.http.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** batch_download_info: several entries as one zip through the download chain. */
class WebBatchDownloadTest {
  private final WebFixture f = new WebFixture();
  private Node docs;
  private Node top;

  @BeforeEach
  void setUp() {
    f.login();
    FakeStore st = f.store;
    long uid = f.demo.uid();
    docs = st.mkdir(uid, FakeStore.ROOT, "docs");
    st.createFile(uid, docs.id(), "a.txt", st.putBlob("alpha".getBytes(StandardCharsets.UTF_8)));
    Node sub = st.mkdir(uid, docs.id(), "sub");
    st.createFile(uid, sub.id(), "b.txt", st.putBlob("beta".getBytes(StandardCharsets.UTF_8)));
    st.mkdir(uid, docs.id(), "empty");
    Node gone = st.createFile(uid, docs.id(), "gone.txt", st.putBlob("x".getBytes(StandardCharsets.UTF_8)));
    st.trash(gone);
    top = st.createFile(uid, FakeStore.ROOT, "top.txt", st.putBlob("top!".getBytes(StandardCharsets.UTF_8)));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private JsonNode batch(String ids) {
    return f.post("/file/batch_download_info", "{\"fileIdList\":[" + ids + "]}");
  }

  /** Follows relay → inner (web Referer) → edge (relay Referer), as download_info's links are. */
  private byte[] fetch(String outer) throws Exception {
    HttpUrl ou = HttpUrl.get(outer);
    String inner = new String(Base64.getDecoder().decode(ou.queryParameter("params")), StandardCharsets.UTF_8);
    String edge;
    try (Response r = f.raw(new Request.Builder().url(inner).header("Referer", f.web.webOrigin()).build())) {
      assertEquals(302, r.code());
      edge = r.header("Location");
    }
    assertEquals(HttpUrl.get(inner).queryParameter("filename"), HttpUrl.get(edge).queryParameter("filename"));
    try (Response r = f.raw(new Request.Builder().url(edge).header("Referer", f.web.relayOrigin()).build())) {
      assertEquals(200, r.code());
      return r.body().bytes();
    }
  }

  private static Map<String, String> entries(byte[] zip) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void folderAndFile_oneZip_recursive_withoutTrashed_emptyFolderKept() throws Exception {
    JsonNode r = batch("{\"fileId\":" + docs.id() + "},{\"FileId\":" + top.id() + "}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    String outer = r.get("data").get("DownloadUrl").asText();
    String inner = new String(Base64.getDecoder().decode(HttpUrl.get(outer).queryParameter("params")), StandardCharsets.UTF_8);
    assertEquals("docs等2个文件.zip", HttpUrl.get(inner).queryParameter("filename"));
    Map<String, String> e = entries(fetch(outer));
    assertEquals(Map.of("docs/", "", "docs/a.txt", "alpha", "docs/sub/", "", "docs/sub/b.txt", "beta", "docs/empty/", "",
        "top.txt", "top!"), e);
  }

  @Test
  void sameEntriesTwice_sameArchive_andOneEntryIsNamedAfterIt() throws Exception {
    String one = batch("{\"fileId\":" + docs.id() + "}").get("data").get("DownloadUrl").asText();
    String inner = new String(Base64.getDecoder().decode(HttpUrl.get(one).queryParameter("params")), StandardCharsets.UTF_8);
    assertEquals("docs.zip", HttpUrl.get(inner).queryParameter("filename"));
    byte[] a = fetch(one);
    byte[] b = fetch(batch("{\"fileId\":" + docs.id() + "}").get("data").get("DownloadUrl").asText());
    assertArrayEquals(a, b);
    Map<String, String> twice = entries(fetch(batch("{\"fileId\":" + top.id() + "},{\"fileId\":" + top.id() + "}")
        .get("data").get("DownloadUrl").asText()));
    assertEquals(Map.of("top.txt", "top!", "top.txt(1)", "top!"), twice);
  }

  @Test
  void refusals_badListUnknownIdAndQuota() {
    assertEquals(400, batch("").get("code").asInt());
    assertEquals(400, f.post("/file/batch_download_info", "{}").get("code").asInt());
    assertEquals(5066, batch("{\"fileId\":987654321}").get("code").asInt());
    f.demo.downloadQuota(3);
    JsonNode r = batch("{\"fileId\":" + top.id() + "}");
    assertEquals(5113, r.get("code").asInt(), "4 bytes against a quota of 3");
    assertEquals(WebFrontDoor.MSG_TRAFFIC, r.get("message").asText());
  }
}
