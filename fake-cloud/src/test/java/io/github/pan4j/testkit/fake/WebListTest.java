package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** file/list/new and file/info (§5.2, §5.3). */
class WebListTest {
  private final WebFixture f = new WebFixture();
  private Node folder;
  private final List<Node> files = new ArrayList<>();

  @BeforeEach
  void setUp() {
    f.login();
    folder = f.store.mkdir(f.demo.uid(), FakeStore.ROOT, "docs");
    for (int i = 0; i < 5; i++) {
      files.add(f.store.createFile(f.demo.uid(), folder.id(), "f" + i + ".txt", f.store.putBlob(("x" + i).getBytes())));
    }
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void searchData_findsNamesAcrossTheDrive_caseIgnored_trashedLeftOut() {
    Node other = f.store.mkdir(f.demo.uid(), FakeStore.ROOT, "F-archive");
    Node deep = f.store.createFile(f.demo.uid(), other.id(), "old-F1.TXT", f.store.putBlob("y".getBytes()));
    f.store.trash(files.get(2));
    Map<String, String> q = new java.util.LinkedHashMap<>(WebFixture.listQuery(FakeStore.ROOT, 1, 100));
    q.put("SearchData", "f1.t");
    JsonNode r = f.get("/file/list/new", q);
    assertEquals(0, r.get("code").asInt(), r.toString());
    List<Long> ids = new ArrayList<>();
    r.get("data").get("InfoList").forEach(i -> ids.add(i.get("FileId").asLong()));
    assertEquals(List.of(deep.id(), files.get(1).id()), ids, "file_id desc, from any folder");
    assertEquals(2, r.get("data").get("Total").asInt());
    assertEquals(other.id(), r.get("data").get("InfoList").get(0).get("ParentFileId").asLong());
    q.put("SearchData", "f2");
    assertEquals(0, f.get("/file/list/new", q).get("data").get("Total").asInt(), "a trashed file is not found");
    q.put("SearchData", "");
    assertEquals(2, f.get("/file/list/new", q).get("data").get("Total").asInt(), "empty: the root's listing (docs, F-archive)");
  }

  @Test
  void legacyPrefixes_aApiAndApi_answerLikeBApi_signedOverThePathSent_andCanBeTurnedOff() {
    String root = f.cloud.baseUrl("web");
    for (String prefix : List.of("/a/api", "/api")) {
      okhttp3.HttpUrl.Builder u = okhttp3.HttpUrl.get(root + prefix + "/file/list/new").newBuilder();
      WebFixture.listQuery(folder.id(), 1, 10).forEach(u::addQueryParameter);
      f.clock.advance(java.time.Duration.ofSeconds(1));
      JsonNode r = f.call(new okhttp3.Request.Builder().url(WebSignature.signUrl(u.build(), f.clock.instant(), f.random)), f.token);
      assertEquals(0, r.get("code").asInt(), prefix + ": " + r);
      assertEquals(5, r.get("data").get("Total").asInt());
    }
    okhttp3.HttpUrl.Builder wrong = okhttp3.HttpUrl.get(root + "/a/api/file/list/new").newBuilder();
    WebFixture.listQuery(folder.id(), 1, 10).forEach(wrong::addQueryParameter);
    okhttp3.HttpUrl signedForB = WebSignature.signUrl(okhttp3.HttpUrl.get(f.web.apiBase() + "/file/list/new"), f.clock.instant(), f.random);
    okhttp3.HttpUrl mismatched = wrong.addQueryParameter(signedForB.queryParameterName(0), signedForB.queryParameterValue(0)).build();
    f.clock.advance(java.time.Duration.ofSeconds(1));
    assertEquals(400, f.call(new okhttp3.Request.Builder().url(mismatched), f.token).get("code").asInt(),
        "a signature over /b/api does not cover /a/api");
    try (okhttp3.Response r = f.raw(new okhttp3.Request.Builder().url(root + "/a/api/no/such/call").build())) {
      assertEquals(404, r.code());
    }
    f.web.legacyPrefixes(false);
    try (okhttp3.Response r = f.raw(new okhttp3.Request.Builder().url(root + "/a/api/file/list/new?parentFileId=0").build())) {
      assertEquals(404, r.code());
    }
  }

  @Test
  void list_pagesInFileIdDescWithNextTotalLen() {
    JsonNode p1 = f.get("/file/list/new", WebFixture.listQuery(folder.id(), 1, 2)).get("data");
    assertEquals(List.of("Next", "Len", "IsFirst", "Total", "InfoList"), names(p1));
    assertEquals(2, p1.get("Len").asInt());
    assertTrue(p1.get("IsFirst").asBoolean());
    assertEquals(5, p1.get("Total").asInt());
    assertTrue(p1.get("Next").isTextual());
    assertFalse(p1.get("Next").asText().equals("-1"));
    assertEquals(files.get(4).id(), p1.get("InfoList").get(0).get("FileId").asLong());
    assertEquals(files.get(3).id(), p1.get("InfoList").get(1).get("FileId").asLong());
    JsonNode p3 = f.get("/file/list/new", WebFixture.listQuery(folder.id(), 3, 2)).get("data");
    assertEquals("-1", p3.get("Next").asText());
    assertEquals(1, p3.get("Len").asInt());
    assertFalse(p3.get("IsFirst").asBoolean());
    assertEquals(files.get(0).id(), p3.get("InfoList").get(0).get("FileId").asLong());
  }

  @Test
  void list_pageFarPastTheEnd_isAnEmptyLastPage() {
    for (String page : List.of("4", "92233720368547759", "99999999999999999", Long.toString(Long.MAX_VALUE))) {
      Map<String, String> q = new java.util.LinkedHashMap<>(WebFixture.listQuery(folder.id(), 1, 2));
      q.put("Page", page);
      JsonNode r = f.get("/file/list/new", q); // a business reply in HTTP 200, whatever the number
      assertEquals(0, r.get("code").asInt(), r.toString());
      assertEquals("-1", r.get("data").get("Next").asText(), page);
      assertEquals(0, r.get("data").get("Len").asInt(), page);
      assertEquals(5, r.get("data").get("Total").asInt(), page);
    }
  }

  @Test
  void list_itemHasTheDocumentedKeysAndRfc3339Times() {
    JsonNode item = f.get("/file/list/new", WebFixture.listQuery(folder.id(), 1, 100)).get("data").get("InfoList").get(0);
    for (String k : List.of("FileId", "FileName", "Type", "Size", "Etag", "S3KeyFlag", "CreateAt", "UpdateAt",
        "ParentFileId", "Status", "Category", "ContentType", "PunishFlag", "StorageNode", "Trashed", "DownloadUrl")) {
      assertTrue(item.has(k), k + " in " + item);
    }
    assertEquals(24, item.size());
    assertEquals(f.demo.uid() + "-0", item.get("S3KeyFlag").asText());
    assertEquals("2026-01-01T08:00:00+08:00", item.get("CreateAt").asText());
    assertEquals(files.get(4).md5(), item.get("Etag").asText());
    assertEquals(0, item.get("Type").asInt());
    assertEquals(folder.id(), item.get("ParentFileId").asLong());
    assertEquals(2, item.get("Status").asInt(), "the Status of the captured item, as share/get shows it too");
    f.store.setReviewStatus(files.get(4), 104);
    JsonNode blocked = f.get("/file/list/new", WebFixture.listQuery(folder.id(), 1, 100)).get("data").get("InfoList").get(0);
    assertEquals(104, blocked.get("Status").asInt(), "a review verdict shows as it is");
    JsonNode root = f.get("/file/list/new", WebFixture.listQuery(0, 1, 100)).get("data").get("InfoList").get(0);
    assertEquals(1, root.get("Type").asInt());
    assertEquals("", root.get("Etag").asText());
  }

  @Test
  void list_trashedExcludedUnlessAsked() {
    f.store.trash(files.get(0));
    assertEquals(4, f.get("/file/list/new", WebFixture.listQuery(folder.id(), 1, 100)).get("data").get("Total").asInt());
    Map<String, String> q = WebFixture.listQuery(0, 1, 100);
    q.put("trashed", "true");
    JsonNode bin = f.get("/file/list/new", q).get("data");
    assertEquals(1, bin.get("Total").asInt());
    assertTrue(bin.get("InfoList").get(0).get("Trashed").asBoolean());
  }

  @Test
  void list_queryNamesAreCaseInsensitive() {
    Map<String, String> q = Map.of("ParentFileId", Long.toString(folder.id()), "page", "1", "Limit", "100");
    assertEquals(5, f.get("/file/list/new", q).get("data").get("Len").asInt());
  }

  @Test
  void list_missingFolder5066_missingPage400() {
    assertEquals(5066, f.get("/file/list/new", WebFixture.listQuery(424242, 1, 100)).get("code").asInt());
    assertEquals(400, f.get("/file/list/new", Map.of("parentFileId", "0", "limit", "100")).get("code").asInt());
  }

  @Test
  void list_withoutPage_pageRequiredOff_readsPage1() {
    Map<String, String> noPage = new java.util.LinkedHashMap<>(WebFixture.listQuery(0, 1, 100));
    noPage.remove("Page");
    assertEquals(400, f.get("/file/list/new", noPage).get("code").asInt(), "strict by default");
    f.web.pageRequired(false);
    JsonNode d = f.get("/file/list/new", noPage).get("data");
    assertEquals(f.get("/file/list/new", WebFixture.listQuery(0, 1, 100)).get("data").get("InfoList"), d.get("InfoList"));
    assertTrue(d.get("IsFirst").asBoolean());
    noPage.put("Page", "x");
    assertEquals(400, f.get("/file/list/new", noPage).get("code").asInt(), "a Page that is not a number is still refused");
  }

  @Test
  void list_knobs_totalSkewAndForcedLimit() {
    f.web.totalSkew(1).forceListLimit(3);
    JsonNode d = f.get("/file/list/new", WebFixture.listQuery(folder.id(), 1, 100)).get("data");
    assertEquals(6, d.get("Total").asInt());
    assertEquals(3, d.get("Len").asInt());
  }

  @Test
  void list_limitAbove100IsCapped() {
    for (int i = 0; i < 100; i++) f.store.mkdir(f.demo.uid(), folder.id(), "d" + i);
    assertEquals(100, f.get("/file/list/new", WebFixture.listQuery(folder.id(), 1, 500)).get("data").get("Len").asInt());
  }

  @Test
  void fileInfo_lowerCaseInfoList_idsAsStringsOrNumbers() {
    JsonNode d = f.post("/file/info", "{\"fileIdList\":[{\"fileId\":" + files.get(0).id() + "},{\"FileId\":\"" + files.get(1).id() + "\"}]}").get("data");
    assertEquals(2, d.get("infoList").size());
    assertEquals("f0.txt", d.get("infoList").get(0).get("FileName").asText());
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
