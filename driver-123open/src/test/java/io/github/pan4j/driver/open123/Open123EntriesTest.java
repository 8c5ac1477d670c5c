package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.internal.http.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Open123EntriesTest {
  @Test
  void entry_listItem_timesAreChinaTime() throws Exception {
    JsonNode n = Json.mapper().readTree("{\"fileId\":1758176090915,\"filename\":\"a.txt\",\"type\":0,\"size\":5,"
        + "\"etag\":\"ABCDEF0123456789ABCDEF0123456789\",\"parentFileId\":0,\"trashed\":0,"
        + "\"createAt\":\"2025-03-01 08:00:00\",\"updateAt\":\"2025-03-02 09:30:00\"}");
    Entry e = Open123Entries.entry(n);
    assertEquals("1758176090915", e.id());
    assertEquals("0", e.parentId());
    assertEquals(Instant.parse("2025-03-02T01:30:00Z"), e.modified());
    assertEquals(Instant.parse("2025-03-01T00:00:00Z"), e.created());
    assertEquals("abcdef0123456789abcdef0123456789", e.hashes().md5());
  }

  @Test
  void entry_detail_usesCapitalIdKeys() throws Exception {
    JsonNode n = Json.mapper().readTree("{\"fileID\":7,\"filename\":\"d\",\"type\":1,\"size\":99,\"etag\":\"\","
        + "\"parentFileID\":3,\"trashed\":0,\"createAt\":\"2025-03-01 08:00:00\"}");
    Entry e = Open123Entries.entry(n);
    assertEquals("7", e.id());
    assertEquals("3", e.parentId());
    assertTrue(e.folder());
    assertEquals(Instant.parse("2025-03-01T00:00:00Z"), e.modified());
  }

  @Test
  void checkName_refusesWhatTheServerRefuses() {
    for (String bad : new String[] {"a/b", "a:b", "   ", "x".repeat(255), "q?", "\"", "a\\b"}) {
      DriveException e = assertThrows(DriveException.class, () -> Open123Errors.checkName(bad, "mkdir", bad));
      assertEquals(ErrorKind.INVALID_NAME, e.kind());
    }
    Open123Errors.checkName("x".repeat(254), "mkdir", "ok");
    Open123Errors.checkName("文件 (1).txt", "mkdir", "ok");
  }

  @Test
  void kindOf_mapsDocumentedCodes() {
    assertEquals(ErrorKind.NOT_FOUND, Open123Errors.kindOf(5066, "文件不存在，检查传入fileId是否正确"));
    assertEquals(ErrorKind.QUOTA_EXCEEDED, Open123Errors.kindOf(5113, "您今日自用下载流量已超出1GB上限"));
    assertEquals(ErrorKind.ALREADY_EXISTS, Open123Errors.kindOf(1, "该目录下已经有同名文件夹,无法进行创建"));
    assertEquals(ErrorKind.INVALID_NAME, Open123Errors.kindOf(1, "文件名要小于256个字符且不能包含以下任何字符"));
    assertEquals(ErrorKind.NOT_FOUND, Open123Errors.kindOf(1, "parentFileID不存在"));
    assertEquals(ErrorKind.INTEGRITY, Open123Errors.kindOf(1, "文件上传失败"));
    assertEquals(ErrorKind.RATE_LIMITED, Open123Errors.kindOf(429, "请求太频繁"));
  }
}
