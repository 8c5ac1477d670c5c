package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a test of user code meets when it sets the fake up wrongly: each mistake is refused at
 * once, saying what to pass instead, rather than leaving the test to fail later for no visible
 * reason (an entry no listing shows, a fault that never fires).
 */
class TestSetupMistakesTest {
  private final FakeCloud cloud = FakeCloud.builder().door(new OpenApiFrontDoor()).build().start();
  private final FakeStore store = cloud.store();
  private final Account demo = OpenApiFrontDoor.demoAccount(store);

  @AfterEach
  void close() {
    cloud.close();
  }

  @Test
  void seedingUnderAFolderIdThatIsNoFolderOfTheAccount_isRefusedAndAddsNothing() {
    Node docs = store.mkdir(demo.uid(), FakeStore.ROOT, "docs");
    Node file = store.createFile(demo.uid(), docs.id(), "a.txt", store.putBlob(new byte[] {1}));
    Account other = store.createAccount("other");
    Node theirs = store.mkdir(other.uid(), FakeStore.ROOT, "theirs");
    List<Node> before = store.allNodes(demo.uid());

    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> store.mkdir(demo.uid(), 424242, "x"));
    assertTrue(missing.getMessage().contains("folder id 424242") && missing.getMessage().contains("no entry")
        && missing.getMessage().contains("FakeStore.ROOT"), missing.getMessage());
    IllegalArgumentException intoFile = assertThrows(IllegalArgumentException.class,
        () -> store.createFile(demo.uid(), file.id(), "b.txt", store.putBlob(new byte[] {2})));
    assertTrue(intoFile.getMessage().contains("a file (/docs/a.txt)"), intoFile.getMessage());
    IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
        () -> store.createFile(demo.uid(), theirs.id(), "c.txt", store.putBlob(new byte[] {3})));
    assertTrue(foreign.getMessage().contains("an entry of account " + other.uid()), foreign.getMessage());
    IllegalArgumentException noAccount = assertThrows(IllegalArgumentException.class,
        () -> store.mkdir(77, FakeStore.ROOT, "y"));
    assertTrue(noAccount.getMessage().contains("no account with uid 77"), noAccount.getMessage());

    assertEquals(before, store.allNodes(demo.uid()));
    assertEquals(List.of(), store.allNodes(77));
  }

  @Test
  void failNextOnAPathTheOpenPlatformDoesNotServe_isRefusedNamingTheNearOnes() {
    OpenApiFrontDoor open = cloud.door(OpenApiFrontDoor.class);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> open.failNext("/api/v2/file/lst", 1));
    assertTrue(e.getMessage().contains("'/api/v2/file/lst'") && e.getMessage().contains("/api/v2/file/list"),
        e.getMessage());
    assertSame(open, open.failNext("/api/v2/file/list", 1));
    assertSame(open, open.failNext("api/v1/access_token", 1));
    assertSame(open, open.failNext("/upload/v2/file/single/create", 1));
  }

  @Test
  void failNextOnAPathTheWebApiDoesNotServe_isRefusedNamingTheNearOnes_andOneItServesFiresAsAPendingFault() throws Exception {
    try (FakeCloud web = FakeCloud.builder().door(new WebFrontDoor()).build().start()) {
      WebFrontDoor door = web.door(WebFrontDoor.class);
      IllegalArgumentException misspelt = assertThrows(IllegalArgumentException.class,
          () -> door.failNext("/b/api/file/lst", 1));
      assertTrue(misspelt.getMessage().contains("the fake web API serves no endpoint '/b/api/file/lst'")
          && misspelt.getMessage().contains("endpoints under /b/api/file: [") && misspelt.getMessage().contains("/b/api/file/list/new"),
          misspelt.getMessage());
      IllegalArgumentException noPrefix = assertThrows(IllegalArgumentException.class,
          () -> door.failNext("/file/list/new", 1, 1, "内部错误"));
      assertTrue(noPrefix.getMessage().contains("did you mean /b/api/file/list/new"), noPrefix.getMessage());
      assertEquals(0, web.pendingFaults(), "nothing armed by a refused call");

      assertSame(door, door.failNext("/a/api/file/list/new", 1)); // a legacy prefix the web server also answers
      web.clearFaults();
      assertSame(door, door.failNext("/b/api/file/list/new", 1));
      assertEquals(1, web.pendingFaults());
      okhttp3.Request list = new okhttp3.Request.Builder().url(web.baseUrl("web") + "/b/api/file/list/new?parentFileId=0").build();
      try (okhttp3.Response r = new okhttp3.OkHttpClient().newCall(list).execute()) {
        String body = r.body().string();
        assertTrue(body.contains("\"code\":429") && body.contains("操作频繁，请稍后再试"), body);
      }
      assertEquals(0, web.pendingFaults());
      assertEquals(1, web.counters().served429Count());
    }
  }

  @Test
  void failNextAnswersStillToCome_arePendingFaults_andClearedWithThem() throws Exception {
    OpenApiFrontDoor open = cloud.door(OpenApiFrontDoor.class);
    open.failNext("/api/v2/file/list", 2);
    cloud.inject("cdn", r -> true, Fault.disconnect(), 1);
    assertEquals(3, cloud.pendingFaults());
    cloud.clearFaults();
    assertEquals(0, cloud.pendingFaults());

    open.failNext("/api/v1/access_token", 1);
    assertEquals(1, cloud.pendingFaults());
    okhttp3.Request token = new okhttp3.Request.Builder().url(cloud.baseUrl("open") + "/api/v1/access_token")
        .header("Platform", "open_platform")
        .post(okhttp3.RequestBody.create("{\"clientID\":\"demo-client\",\"clientSecret\":\"demo-secret\"}",
            okhttp3.MediaType.get("application/json")))
        .build();
    try (okhttp3.Response r = new okhttp3.OkHttpClient().newCall(token).execute()) {
      assertTrue(r.body().string().contains("\"code\":429"), "the armed answer was served");
    }
    assertEquals(0, cloud.pendingFaults());
  }

  @Test
  void faultOnAServerTheCloudDoesNotHave_namesTheServers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cloud.inject("api", r -> true, Fault.status(429, ""), 1));
    assertTrue(e.getMessage().contains(FakeCloud.SERVERS.toString()), e.getMessage());
    assertEquals(0, cloud.pendingFaults());
  }
}
