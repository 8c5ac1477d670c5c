package io.github.pan4j.testkit.fake.open;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenQpsTest extends OpenFixture {
  private static final Map<String, String> ROOT = Map.of("parentFileId", "0", "limit", "100");

  @Test
  void list_sixthCallInOneSecond_is429_thenAdmittedAfterWindow() {
    for (int i = 0; i < 5; i++) assertEquals(0, get("/api/v2/file/list", ROOT).code());
    Reply r = get("/api/v2/file/list", ROOT);
    assertEquals(429, r.code());
    assertEquals(200, r.status());
    assertEquals("请求太频繁", r.message());
    clock.advance(Duration.ofMillis(1000));
    assertEquals(0, get("/api/v2/file/list", ROOT).code());
  }

  @Test
  void vipAccount_usesVipColumn() {
    demo.vip(true);
    for (int i = 0; i < 10; i++) assertEquals(0, get("/api/v2/file/list", ROOT).code());
    assertEquals(429, get("/api/v2/file/list", ROOT).code());
  }

  @Test
  void disabledOrOverridden() {
    door.qpsEnabled(false);
    for (int i = 0; i < 20; i++) assertEquals(0, get("/api/v2/file/list", ROOT).code());
    door.qpsEnabled(true).qps("/api/v2/file/list", 1, 1);
    clock.advance(Duration.ofMillis(1000));
    assertEquals(0, get("/api/v2/file/list", ROOT).code());
    assertEquals(429, get("/api/v2/file/list", ROOT).code());
  }

  @Test
  void failNext_forces429Burst() {
    door.failNext("/api/v1/user/info", 2);
    assertEquals(429, get("/api/v1/user/info", null).code());
    assertEquals(429, get("/api/v1/user/info", null).code());
    assertEquals(0, get("/api/v1/user/info", null).code());
  }

  @Test
  void injectedHtmlFault_viaEndpointMatcher() {
    cloud.inject("open", OpenApiFrontDoor.endpoint("/api/v1/user/info"), Fault.html(502), 1);
    Reply r = call("GET", "open", "/api/v1/user/info", null, null, true);
    assertEquals(502, r.status());
    assertEquals(0, get("/api/v1/user/info", null).code());
  }

  @Test
  void v1UploadEndpoints_areLimited() {
    String body = "{\"parentFileID\":0,\"filename\":\"x.bin\",\"etag\":\"0123456789abcdef0123456789abcdef\",\"size\":10}";
    assertEquals(0, post("/upload/v1/file/create", body).code());
    assertEquals(0, post("/upload/v1/file/create", body.replace("x.bin", "y.bin")).code());
    assertEquals(429, post("/upload/v1/file/create", body.replace("x.bin", "z.bin")).code(), "free: 2 per second (older table)");
    assertEquals(2.0, door.freeQpsTable().get("upload/v1/file/create"));
    assertEquals(5.0, door.vipQpsTable().get("upload/v1/file/create"));
    assertEquals(20.0, door.freeQpsTable().get("upload/v1/file/get_upload_url"));
    assertEquals(20.0, door.freeQpsTable().get("upload/v1/file/list_upload_parts"));
    assertEquals(20.0, door.freeQpsTable().get("upload/v1/file/upload_complete"));
    assertEquals(5.0, door.freeQpsTable().get("upload/v1/file/upload_async_result"));
  }
}
