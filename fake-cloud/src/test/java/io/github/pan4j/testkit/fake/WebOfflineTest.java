package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web API's offline task list (§5.10). */
class WebOfflineTest {
  private final WebFixture f = new WebFixture();

  @BeforeEach
  void setUp() {
    f.login();
    JsonNode resolved = f.post("/v2/offline_download/task/resolve", "{\"urls\":\"https://example.com/a.bin\"}");
    long resource = resolved.get("data").get("list").get(0).get("id").asLong();
    JsonNode submitted = f.post("/v2/offline_download/task/submit",
        "{\"resource_list\":[{\"resource_id\":" + resource + ",\"select_file_id\":[0]}],\"upload_dir\":0}");
    assertEquals(0, submitted.get("data").get("task_list").get(0).get("result").asInt(), submitted.toString());
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void list_pagePastTheEnd_isEmpty_evenWherePageTimesSizeOverflows() {
    assertEquals(1, list(1, 100).get("list").size());
    assertEquals(0, list(2, 100).get("list").size());
    // (3 - 1) × 9223372036854775783 wraps to -50 in a long
    JsonNode d = list(3, 9223372036854775783L); // a business reply in HTTP 200, whatever the numbers
    assertEquals(0, d.get("list").size());
    assertEquals(1, d.get("total").asInt());
  }

  @Test
  void list_statusPast32Bits_isRefused_notReadAsAnotherStatus() {
    int status = list(1, 100).get("list").get(0).get("status").asInt();
    JsonNode r = f.post("/offline_download/task/list",
        "{\"current_page\":1,\"page_size\":100,\"status_arr\":[" + (4294967296L + status) + "]}");
    assertEquals(400, r.get("code").asInt(), r.toString());
    JsonNode asText = f.post("/offline_download/task/list",
        "{\"current_page\":1,\"page_size\":100,\"status_arr\":[\"" + status + "\"]}");
    assertEquals(1, asText.get("data").get("list").size(), "a numeric string is a status: " + asText);
  }

  private JsonNode list(long page, long size) {
    JsonNode r = f.post("/offline_download/task/list",
        "{\"current_page\":" + page + ",\"page_size\":" + size + ",\"status_arr\":[0,1,2,3,4]}");
    assertEquals(0, r.get("code").asInt(), r.toString());
    return r.get("data");
  }
}
