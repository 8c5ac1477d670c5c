package io.github.pan4j.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.auth.Token;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.internal.http.HttpLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** Scans everything a user or a log can see for the secrets that went in. */
class SecretsNeverLeakTest {
  private static final String PASSWORD = "Pa55w0rd-XYZZY";
  private static final String CLIENT_SECRET = "cs-4f9a7d1e-XYZZY";
  private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.XYZZY.sig";

  private static void assertClean(String text) {
    for (String s : List.of(PASSWORD, CLIENT_SECRET, TOKEN, "XYZZY")) {
      assertFalse(text.contains(s), "secret leaked: " + text);
    }
  }

  @Test
  void httpLog_masksAuthorizationQueryAndNothingOfTheBodyIsLogged() throws Exception {
    List<String> lines = new ArrayList<>();
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(200).setHeader("x-traceID", "t-1").body("{}").build());
      server.start();
      OkHttpClient client = new OkHttpClient.Builder().addInterceptor(HttpLog.to("123open", lines::add)).build();
      Request req = new Request.Builder()
          .url(server.url("/api/v1/access_token?clientSecret=" + CLIENT_SECRET + "&password=" + PASSWORD
              + "&access_token=" + TOKEN + "&SharePwd=XYZZY&s=XYZZY-sig&refresh_ui=XYZZY-refresh&parentFileId=7"))
          .header("Authorization", "Bearer " + TOKEN)
          .post(RequestBody.create("{\"clientSecret\":\"" + CLIENT_SECRET + "\"}", MediaType.get("application/json")))
          .build();
      try (okhttp3.Response r = client.newCall(req).execute()) {
        assertEquals(200, r.code());
      }
    }
    assertEquals(1, lines.size());
    String line = lines.get(0);
    assertClean(line);
    assertTrue(line.contains("parentFileId=7"), line);
    assertTrue(line.contains("-> 200"), line);
    assertTrue(line.contains("trace=t-1"), line);
  }

  @Test
  void redactor_masksJsonFieldsByName() {
    String json = "{\"passport\":\"13800000000\",\"password\":\"" + PASSWORD + "\",\"clientSecret\":\"" + CLIENT_SECRET
        + "\",\"accessToken\":\"" + TOKEN + "\",\"fileName\":\"a.txt\"}";
    String out = Redactor.json(json);
    assertClean(out);
    assertTrue(out.contains("\"fileName\":\"a.txt\""), out);
  }

  @Test
  void redactor_masksAJsonValueCutOffBeforeItsClosingQuote() {
    String cut = "{\"fileName\":\"a.txt\",\"accessToken\":\"" + TOKEN.substring(0, TOKEN.length() - 2);
    String out = Redactor.json(cut);
    assertFalse(out.contains(TOKEN.substring(0, 8)), out);
    assertTrue(out.endsWith("\"accessToken\":\"****\""), out);
    assertTrue(out.contains("\"fileName\":\"a.txt\""), out);
  }

  @Test
  void codesInsidePlainTextOptions_printMasked() {
    ConfigSchema schema = ConfigSchema.of("123share",
        OptionSpec.of("shareUrl", OptionType.STRING, "share link").asRequired(),
        OptionSpec.of("rootFolderId", OptionType.STRING, "root").withDefault("0"));
    for (String pasted : List.of("https://www.123pan.com/s/abcd-EFGh1?pwd=XYZZY", "www.123pan.com/s/abcd-EFGh1.html?x=1&pwd=XYZZY",
        "abcd-EFGh1#XYZZY", "链接：https://www.123pan.com/s/abcd-EFGh1 提取码：XYZZY", "abcd-EFGh1 访问码 XYZZY",
        "abcd-EFGh1密码:XYZZY")) {
      String shown = schema.parse(Map.of("shareUrl", pasted)).toString();
      assertClean(shown);
      assertTrue(shown.contains("abcd-EFGh1"), "the share key stays visible: " + shown);
    }
    assertEquals("C# notes/a=b", Redactor.text("C# notes/a=b"), "text without a code is left alone");
  }

  @Test
  void quotedValuesInText_areMaskedWhole() {
    for (String said : List.of("password=\"hunter2secret\"", "token='abcSECRET'", "password=ab\"cdSECRET")) {
      String shown = Redactor.text(said);
      assertFalse(shown.contains("SECRET") || shown.contains("hunter2"), said + " shown as " + shown);
    }
  }

  @Test
  void linkWithoutOpener_errorShowsTheUrlMasked() {
    io.github.pan4j.core.Link link = io.github.pan4j.core.Link.builder(
        "https://vip.123pan.cn/1/a.mp4?auth_key=1700001800-1-2-XYZZY&x=1").build();
    DriveException e = org.junit.jupiter.api.Assertions.assertThrows(DriveException.class, () -> link.open(0, -1));
    assertClean(e.getMessage());
    assertTrue(e.getMessage().contains("vip.123pan.cn/1/a.mp4"), e.getMessage());
  }

  @Test
  void secretTokenOptionsAndErrors_printMasked() {
    ConfigSchema schema = ConfigSchema.of("123open",
        OptionSpec.of("clientId", OptionType.STRING, "client id").asRequired(),
        OptionSpec.of("clientSecret", OptionType.SECRET, "client secret").asRequired(),
        OptionSpec.of("uploadThreads", OptionType.INT, "threads").withRange(1, 32));
    Options options = schema.parse(Map.of("clientId", "abc", "clientSecret", CLIENT_SECRET));
    Secret secret = options.secret("clientSecret");
    Token token = new Token(Secret.of(TOKEN), Instant.EPOCH, Secret.of(PASSWORD), Map.of());
    record Config(String clientId, Secret clientSecret) {}
    assertClean(options.toString());
    assertClean(secret.toString());
    assertClean(token.toString());
    assertClean(new Config("abc", secret).toString());
    // A bad value next to a secret: the error names the option but never echoes the secret.
    DriveException e = org.junit.jupiter.api.Assertions.assertThrows(DriveException.class,
        () -> schema.parse(Map.of("clientId", "abc", "clientSecret", CLIENT_SECRET, "uploadThreads", "64")));
    assertClean(e.getMessage());
    assertTrue(e.getMessage().contains("uploadThreads"), e.getMessage());
  }
}
