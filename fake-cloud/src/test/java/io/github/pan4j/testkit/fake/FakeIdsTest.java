package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The fake's ids are 13 digits from the first entry on, as 123's are today, and the web API's
 * listings, share listings and download chain write them as JSON integers, as they do short ones.
 * A test that needs short ids has them from {@link FakeCloud.Builder#firstId}.
 */
class FakeIdsTest {
  private static void assertId(long want, JsonNode n, String what) {
    assertTrue(n.isIntegralNumber(), what + " is a JSON integer, not " + n.getNodeType() + ": " + n);
    assertEquals(want, n.longValue(), what);
  }

  @Test
  void webAndShareReplies_carryThirteenDigitIdsAsJsonIntegers() throws Exception {
    try (WebFixture f = new WebFixture()) {
      f.login();
      long uid = f.demo.uid();
      Node folder = f.store.mkdir(uid, FakeStore.ROOT, "wide");
      Node file = f.store.createFile(uid, folder.id(), "a.txt", f.store.putBlob("wide ids".getBytes(StandardCharsets.UTF_8)));
      assertEquals(FakeStore.FIRST_ID, folder.id(), "the first entry");
      assertEquals(13, Long.toString(file.id()).length());
      assertTrue(file.id() > 0xFFFF_FFFFL, "past 32 bits");

      JsonNode item = f.get("/file/list/new", WebFixture.listQuery(folder.id(), 1, 100)).get("data").get("InfoList").get(0);
      assertId(file.id(), item.get("FileId"), "list FileId");
      assertId(folder.id(), item.get("ParentFileId"), "list ParentFileId");
      JsonNode info = f.post("/file/info", "{\"fileIdList\":[{\"fileId\":" + file.id() + "}]}").get("data").get("infoList").get(0);
      assertId(file.id(), info.get("FileId"), "file/info FileId");

      JsonNode outer = f.post("/file/download_info", "{\"fileId\":" + file.id() + "}");
      assertEquals(0, outer.get("code").asInt(), outer.toString());
      assertTrue(outer.get("data").get("DownloadUrl").asText().startsWith("http"), outer.toString());

      f.store.createShare(new Share("wideIds-Key1", null, uid, folder.id(), null));
      JsonNode shared = f.get("/share/get", WebFixture.shareQuery("wideIds-Key1", null, 0, 1)).get("data").get("InfoList").get(0);
      assertId(file.id(), shared.get("FileId"), "share/get FileId");
      assertId(folder.id(), shared.get("ParentFileId"), "share/get ParentFileId");
      JsonNode shareDownload = f.post("/share/download/info", "{\"shareKey\":\"wideIds-Key1\",\"fileId\":" + file.id() + "}");
      assertEquals(0, shareDownload.get("code").asInt(), shareDownload.toString());
    }
  }

  @Test
  void smallIdMode_startsAt10000001_andZeroIsRefused() {
    try (FakeCloud cloud = FakeCloud.builder().firstId(FakeStore.SMALL_FIRST_ID).build()) {
      Account a = cloud.store().createAccount("small");
      assertEquals(10_000_001L, cloud.store().mkdir(a.uid(), FakeStore.ROOT, "first").id());
      assertEquals(10_000_002L, cloud.store().peekNextId());
    }
    assertThrows(IllegalArgumentException.class, () -> FakeCloud.builder().firstId(0));
  }
}
