package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The direct-link CDN's {@code auth_key} check against the documented worked examples A–D (signed
 * URLs computed independently of pan4j's signer) and the encoded-path negative of B (refused unless
 * {@code cdn.acceptEncodedPathSignatures} is on); plus the
 * refusals: a fifth part, a wrong uid, an expired timestamp.
 */
class VipCdnAuthKeyVectorsTest {
  private final FakeClock clock = new FakeClock(Instant.ofEpochSecond(1_700_000_000L));
  private final OkHttpClient http = new OkHttpClient();
  private final VipCdnFrontDoor vip = new VipCdnFrontDoor().requireDirectLinkSpace(false);
  private final FakeCloud cloud = FakeCloud.builder().clock(clock).door(vip).build().start();

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  private Account account(long uid, String key, String path) {
    Account a = cloud.store().createAccount(uid, "u" + uid).urlAuth(key);
    long parent = FakeStore.ROOT;
    String[] parts = path.substring(1).split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      String name = parts[i];
      long p = parent;
      parent = cloud.store().child(uid, p, name).orElseGet(() -> cloud.store().mkdir(uid, p, name)).id();
    }
    cloud.store().createFile(uid, parent, parts[parts.length - 1], cloud.store().putBlob(path.getBytes(StandardCharsets.UTF_8)));
    return a;
  }

  private int status(String pathAndQuery) throws Exception {
    try (Response r = http.newCall(new Request.Builder().url(cloud.baseUrl("vip") + pathAndQuery).build()).execute()) {
      return r.code();
    }
  }

  @Test
  void vectorA() throws Exception {
    account(1812345678L, "mykey", "/test/video.mp4");
    assertEquals(200, status("/1812345678/test/video.mp4?auth_key=1700001800-123456-1812345678-e9eba91864dd4818c3e2ed94e25fc993"));
  }

  @Test
  void vectorB_decodedPathAccepted_encodedPathNegativeRefused_unlessTurnedOn() throws Exception {
    account(10L, "mykey", "/layout1/layout2/我.txt");
    String path = "/10/layout1/layout2/%E6%88%91.txt";
    String good = "?auth_key=1700000900-0123456789abcdef0123456789abcdef-10-13d9ddb2ddd9726d0e07fc1ba854badd";
    String encodedSig = "?auth_key=1700000900-0123456789abcdef0123456789abcdef-10-ec8c3cda0bbe6b56474a3a0f675fb0ca";
    String wrong = "?auth_key=1700000900-0123456789abcdef0123456789abcdef-10-ec8c3cda0bbe6b56474a3a0f675fb0cb";
    assertEquals(200, status(path + good));
    assertEquals(403, status(path + encodedSig), "B's negative: the MD5 over the encoded path is refused by default");
    assertEquals(403, status(path + wrong));
    // the lenient mode, for a client that signs the path as sent, is a setting a test turns on
    JsonNode set = SettingsOverHttp.set(cloud, "vip", "{\"cdn.acceptEncodedPathSignatures\":true}");
    assertEquals(true, set.get("cdn.acceptEncodedPathSignatures").asBoolean(), set.toString());
    assertEquals(200, status(path + encodedSig));
    assertEquals(200, status(path + good));
    assertEquals(403, status(path + wrong));
    vip.acceptEncodedPathSignatures(false);
    assertEquals(403, status(path + encodedSig));
  }

  @Test
  void vectorC_withOtherQueryParameters() throws Exception {
    clock.advance(Duration.ofSeconds(1735691400L - 60 - 1_700_000_000L));
    account(1812345678L, "secretKey123", "/dir/a b.txt");
    assertEquals(200, status("/1812345678/dir/a%20b.txt?a=2&auth_key=1735691400-42-1812345678-05b93e7fc6775c1fa0e7e13d887b0cca&x=1"));
  }

  @Test
  void vectorD_andExpiry() throws Exception {
    clock.advance(Duration.ofSeconds(1735691400L - 1_700_000_000L));
    account(1812345678L, "mykey", "/movies/Big Buck Bunny.mp4");
    String url = "/1812345678/movies/Big%20Buck%20Bunny.mp4?auth_key=1735691400-5577006791947779410-1812345678-4a1e555b2a2d898b394472ac79370343";
    assertEquals(200, status(url), "valid up to and including its expiry second");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(403, status(url), "expired");
  }

  @Test
  void refusals() throws Exception {
    account(1812345678L, "mykey", "/test/video.mp4");
    Account other = cloud.store().createAccount(1812345679L, "other");
    String path = "/1812345678/test/video.mp4";
    String sig = md5(path + "-1700001800-123456-1812345678-mykey");
    assertEquals(200, status(path + "?auth_key=1700001800-123456-1812345678-" + sig));
    assertEquals(403, status(path + "?auth_key=1700001800-123456-1812345678-" + sig + "-x"), "fifth part");
    assertEquals(403, status(path + "?auth_key=1700001800-123456-1812345678-" + sig + "-"), "empty fifth part");
    assertEquals(403, status(path + "?auth_key=1700001800-1-23456-1812345678-" + md5(path + "-1700001800-1-23456-1812345678-mykey")),
        "a rand containing '-'");
    String otherUid = md5(path + "-1700001800-123456-" + other.uid() + "-mykey");
    assertEquals(403, status(path + "?auth_key=1700001800-123456-" + other.uid() + "-" + otherUid), "wrong uid");
    String past = md5(path + "-1699999999-123456-1812345678-mykey");
    assertEquals(403, status(path + "?auth_key=1699999999-123456-1812345678-" + past), "expired");
    assertEquals(403, status(path + "?auth_key=1700001800-123456-1812345678-" + sig.toUpperCase()), "upper-case digest");
    assertEquals(403, status(path), "no auth_key");
  }

  private static String md5(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
