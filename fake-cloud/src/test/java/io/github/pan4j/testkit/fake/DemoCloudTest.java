package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoCloudTest {
  private final DemoCloud demo = DemoCloud.start(0, 0);
  private final OkHttpClient http = new OkHttpClient();

  @AfterEach
  void tearDown() {
    demo.close();
  }

  private int status(Node file) throws Exception {
    try (Response r = http.newCall(new Request.Builder().url(demo.vip().urlOf(file)).build()).execute()) {
      return r.code();
    }
  }

  @Test
  void linkTree_turnsOnTheSpaceOfItsTopFolder_andTheCdnServesOnlyInsideASpace() throws Exception {
    FakeStore store = demo.cloud().store();
    long uid = demo.account().uid();
    demo.account().urlAuth(null); // unsigned links, so that only the space decides
    Node top = store.mkdir(uid, FakeStore.ROOT, "Top");
    Node nested = store.mkdir(uid, top.id(), "nested");
    Node inside = store.createFile(uid, nested.id(), "in.txt", store.putBlob("in".getBytes(StandardCharsets.UTF_8)));
    Node other = store.mkdir(uid, FakeStore.ROOT, "Other");
    Node elsewhere = store.createFile(uid, other.id(), "out.txt", store.putBlob("out".getBytes(StandardCharsets.UTF_8)));
    Node atRoot = store.createFile(uid, FakeStore.ROOT, "root.txt", store.putBlob("root".getBytes(StandardCharsets.UTF_8)));

    assertEquals(404, status(inside), "no space is on yet");
    String tree = demo.linkTree(nested);
    assertTrue(tree.contains("in.txt"), tree);
    assertTrue(top.directLinkSpace(), "the space goes on the folder under the root");
    assertFalse(nested.directLinkSpace());
    assertEquals(200, status(inside));
    assertEquals(404, status(elsewhere));
    assertEquals(404, status(atRoot));
    assertThrows(IllegalArgumentException.class, () -> demo.linkTree(atRoot), "a file is no tree");
    assertFalse(atRoot.directLinkSpace());
  }
}
