package io.github.pan4j.testkit.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.internal.http.Json;

/**
 * {@code POST /_fake/seed}: fills a new folder with many small files straight in the store (no
 * API calls, so no QPS), for listing benchmarks against a fake in another process. Body:
 * {@code {"clientId": "...", "folder": "name", "files": 20000}} ({@code clientId} picks the open
 * platform account; without it, the first account). Answer: {@code {"ok": true, "folderId": N}}.
 */
final class FakeSeed {
  static final int MAX_FILES = 1_000_000;

  private FakeSeed() {}

  static ObjectNode seed(FakeCloud cloud, JsonNode body) {
    String clientId = body.path("clientId").asText(null);
    String folder = body.path("folder").asText("");
    int files = body.path("files").asInt(-1);
    if (folder.isBlank() || folder.contains("/")) throw new IllegalArgumentException("\"folder\" must be a plain folder name");
    if (files < 0 || files > MAX_FILES) throw new IllegalArgumentException("\"files\" must be 0.." + MAX_FILES);
    FakeStore store = cloud.store();
    Account a = (clientId == null ? store.accounts().stream().findFirst() : store.accountByClientId(clientId))
        .orElseThrow(() -> new IllegalArgumentException("no such account" + (clientId == null ? "" : " for clientId " + clientId)));
    Blob one = store.putBlob(new byte[] {1});
    Node dir;
    synchronized (store) {
      if (store.child(a.uid(), 0, folder).isPresent()) throw new IllegalArgumentException("folder " + folder + " exists");
      dir = store.mkdir(a.uid(), 0, folder);
      for (int i = 0; i < files; i++) store.createFile(a.uid(), dir.id(), "f" + i, one);
    }
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("ok", true);
    o.put("folderId", dir.id());
    return o;
  }
}
