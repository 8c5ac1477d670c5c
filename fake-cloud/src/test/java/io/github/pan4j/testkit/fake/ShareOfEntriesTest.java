package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A share of several entries (as the open platform's share/create makes) through the web share API. */
class ShareOfEntriesTest {
  private final WebFixture f = new WebFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static Map<String, String> q(String key, long parent) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("limit", "100");
    m.put("parentFileId", Long.toString(parent));
    m.put("Page", "1");
    m.put("shareKey", key);
    m.put("SharePwd", "");
    return m;
  }

  private static List<String> names(JsonNode r) {
    List<String> out = new ArrayList<>();
    r.get("data").get("InfoList").forEach(i -> out.add(i.get("FileName").asText()));
    return out;
  }

  @Test
  void rootListsTheEntries_foldersBrowse_outsideIsRefused_allTrashedIsGone() {
    FakeStore st = f.store;
    long uid = f.demo.uid();
    Node dir = st.mkdir(uid, 0, "dir");
    st.createFile(uid, dir.id(), "in.txt", st.putBlob("in".getBytes(StandardCharsets.UTF_8)));
    Node file = st.createFile(uid, 0, "top.txt", st.putBlob("top".getBytes(StandardCharsets.UTF_8)));
    Node other = st.mkdir(uid, 0, "other");
    st.createShare(Share.ofEntries("multi-Share1", null, uid, List.of(file.id(), dir.id()), null));

    assertEquals(List.of("top.txt", "dir"), names(f.get("/share/get", q("multi-Share1", 0))), "entries in share order");
    assertEquals(List.of("in.txt"), names(f.get("/share/get", q("multi-Share1", dir.id()))));
    assertEquals(5066, f.get("/share/get", q("multi-Share1", other.id())).get("code").asInt(), "a folder outside the share");

    st.trash(file);
    assertEquals(List.of("dir"), names(f.get("/share/get", q("multi-Share1", 0))));
    st.trash(dir);
    assertEquals(5103, f.get("/share/get", q("multi-Share1", 0)).get("code").asInt(), "every entry gone: the share is gone");
  }
}
