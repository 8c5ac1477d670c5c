package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    var form = org.jsoup.Jsoup.parse(f.get("/admin?driver=testdisk", "Cookie", l.cookie()).body()).selectFirst("#settings");
    assertEquals("text", form.selectFirst("[name=opt.root]").attr("type"), "STRING -> text");
    var token = form.selectFirst("[name=opt.token]");
    assertEquals("password", token.attr("type"), "SECRET -> password");
    assertEquals("new-password", token.attr("autocomplete"));
    assertFalse(token.hasAttr("value") || token.hasAttr("placeholder"), token.outerHtml());
    assertEquals("select", form.selectFirst("[name=opt.region]").tagName(), "ENUM -> select");
    assertEquals("east", form.selectFirst("[name=opt.region] option[selected]").text(), "ENUM default selected");
    assertEquals("textarea", form.selectFirst("[name=opt.notes]").tagName(), "TEXT -> textarea");
    assertEquals("checkbox", form.selectFirst("[name=opt.readOnly]").attr("type"), "BOOLEAN -> checkbox");
    var pageSize = form.selectFirst("[name=opt.pageSize]");
    assertEquals(List.of("number", "1", "1000"), List.of(pageSize.attr("type"), pageSize.attr("min"), pageSize.attr("max")), "INT -> number with range");
    var root = form.selectFirst("label:has([name=opt.root])");
    assertEquals("*", root.selectFirst("span.req[title=required]").text(), "required mark");
    assertTrue(root.selectFirst("[name=opt.root]").hasAttr("required"));
    assertTrue(root.selectFirst(".desc").text().contains("Folder whose files the drive shows."), "description");
    assertEquals(List.of("Account"), form.select("h4").eachText(), "group heading");
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
    var doc = org.jsoup.Jsoup.parse(edit);
    assertEquals("unchanged", doc.selectFirst("#settings [name=opt.token]").attr("placeholder"));
    assertFalse(doc.selectFirst("#settings [name=opt.token]").hasAttr("required"), "a stored secret may stay empty");
    assertEquals("west", doc.selectFirst("#settings [name=opt.region] option[selected]").text());
    assertEquals("line1\nline2", doc.selectFirst("#settings textarea[name=opt.notes]").wholeText());

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

  /** Each problem next to the field it concerns, the whole message still on top, no secret anywhere. */
  @Test
  void save_invalidOptions_showsEachProblemNextToItsField() throws Exception {
    Map<String, String> form = mountForm("/bad", "hush-hush");
    form.put("opt.pageSize", "0");
    form.put("opt.linkTtl", "soon");
    form.remove("opt.baseUrl");
    HttpResponse<String> r = f.post("/admin/mount", l.cookie(), form);
    assertEquals(400, r.statusCode());
    var doc = org.jsoup.Jsoup.parse(r.body());
    String top = doc.selectFirst("#form-error").text();
    assertTrue(top.startsWith("testdisk: open: invalid configuration: ") && top.contains("'pageSize'")
        && top.contains("'baseUrl'") && top.contains("'linkTtl'"), top);
    var settings = doc.selectFirst("#settings");
    assertEquals(List.of("option 'pageSize' must be between 1 and 1000 but was 0"),
        settings.select("label:has([name=opt.pageSize]) .field-problem").eachText());
    assertEquals(List.of("option 'baseUrl' is required: URL where the test CDN serves the folder."),
        settings.select("label:has([name=opt.baseUrl]) .field-problem").eachText());
    assertEquals(1, settings.select("label:has([name=opt.linkTtl]) .field-problem").size());
    assertEquals(3, settings.select(".field-problem").size(), "only the fields that are wrong: " + settings.select(".field-problem").eachText());
    assertTrue(settings.selectFirst("label:has([name=opt.pageSize])").hasClass("invalid"));
    assertFalse(settings.selectFirst("label:has([name=opt.root])").hasClass("invalid"));
    assertEquals("0", settings.selectFirst("[name=opt.pageSize]").val(), "what was typed stays, to correct it");
    assertFalse(r.body().contains("hush-hush"));
  }

  @Test
  void save_withoutCsrf_is403() throws Exception {
    Map<String, String> form = mountForm("/nocsrf", null);
    form.remove("csrf");
    assertEquals(403, f.post("/admin/mount", l.cookie(), form).statusCode());
  }
}
