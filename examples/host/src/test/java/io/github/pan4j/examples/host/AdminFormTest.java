package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminFormTest {
  @TempDir static Path dir;
  static HostFixture f;
  static HostFixture.Login l;

  @BeforeAll
  static void start() throws Exception {
    f = new HostFixture(dir, null, false);
    l = f.login();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private Map<String, String> mountForm(String path, String token) {
    Map<String, String> m = l.form("driver", "testdisk", "mountPath", path, "download", "proxy",
        "opt.root", f.data.toString(), "opt.baseUrl", f.cdn.baseUrl(), "opt.region", "west", "opt.notes", "line1\nline2",
        "opt.pageSize", "50", "opt.linkTtl", "5m");
    if (token != null) m.put("opt.token", token);
    return m;
  }

  @Test
  void form_rendersEveryOptionByType() throws Exception {
    String html = f.get("/admin?driver=testdisk", "Cookie", l.cookie()).body();
    assertTrue(html.contains("<input type=\"text\" name=\"opt.root\""), "STRING -> text");
    assertTrue(html.contains("<input type=\"password\" autocomplete=\"new-password\" name=\"opt.token\">"), "SECRET -> password");
    assertTrue(html.contains("<select name=\"opt.region\""), "ENUM -> select");
    assertTrue(html.contains("<option selected>east</option>"), "ENUM default selected");
    assertTrue(html.contains("<textarea rows=\"6\" name=\"opt.notes\""), "TEXT -> textarea");
    assertTrue(html.contains("<input type=\"checkbox\" name=\"opt.readOnly\""), "BOOLEAN -> checkbox");
    assertTrue(html.contains("<input type=\"number\" name=\"opt.pageSize\" min=\"1\" max=\"1000\""), "INT -> number with range");
    assertTrue(html.contains("<span class=\"key\">root</span> <span class=\"req\" title=\"required\">*</span>"), "required mark");
    assertTrue(html.contains("Folder whose files the drive shows."), "description");
    assertTrue(html.contains("<h4>Account</h4>"), "group heading");
  }

  @Test
  void save_writesMountsFile_andSecretIsNeverRenderedBack() throws Exception {
    HttpResponse<String> r = f.post("/admin/mount", l.cookie(), mountForm("/added", "s3cr3t-value"));
    assertEquals(303, r.statusCode(), r.body());
    JsonNode saved = f.mapper.readTree(Files.readString(dir.resolve("mounts.json")));
    JsonNode added = null;
    for (JsonNode n : saved.get("mounts")) if (n.get("path").asText().equals("/added")) added = n;
    assertEquals("s3cr3t-value", added.at("/options/token").asText());
    assertEquals("west", added.at("/options/region").asText());
    assertEquals("false", added.at("/options/readOnly").asText(), "an unchecked box saves false");
    assertEquals(200, f.get("/b/added").statusCode());

    String edit = f.get("/admin?edit=%2Fadded", "Cookie", l.cookie()).body();
    assertFalse(edit.contains("s3cr3t-value"), "secrets are write-only");
    assertTrue(edit.contains("name=\"opt.token\" placeholder=\"unchanged\">"), edit);
    assertTrue(edit.contains("<option selected>west</option>"));
    assertTrue(edit.contains(">line1\nline2</textarea>"));

    assertEquals(303, f.post("/admin/mount", l.cookie(), mountForm("/added", "")).statusCode());
    JsonNode again = f.mapper.readTree(Files.readString(dir.resolve("mounts.json")));
    for (JsonNode n : again.get("mounts")) {
      if (n.get("path").asText().equals("/added")) assertEquals("s3cr3t-value", n.at("/options/token").asText(), "empty secret = unchanged");
    }
  }

  @Test
  void save_invalidOptions_showsEveryProblem_withoutSavingOrEchoingSecrets() throws Exception {
    Map<String, String> form = mountForm("/bad", "hush-hush");
    form.put("opt.pageSize", "0");
    form.remove("opt.baseUrl");
    HttpResponse<String> r = f.post("/admin/mount", l.cookie(), form);
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("pageSize"), r.body());
    assertTrue(r.body().contains("baseUrl"), r.body());
    assertFalse(r.body().contains("hush-hush"));
    assertFalse(Files.readString(dir.resolve("mounts.json")).contains("/bad"));
  }

  @Test
  void save_withoutCsrf_is403() throws Exception {
    Map<String, String> form = mountForm("/nocsrf", null);
    form.remove("csrf");
    assertEquals(403, f.post("/admin/mount", l.cookie(), form).statusCode());
  }
}
