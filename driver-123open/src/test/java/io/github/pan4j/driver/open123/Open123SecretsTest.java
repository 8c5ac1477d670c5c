package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.UploadOptions;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.internal.http.HttpLog;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class Open123SecretsTest extends Open123Fixture {

  @Test
  void secrets_neverAppearInLogsToStringOrErrors() {
    List<String> log = new CopyOnWriteArrayList<>();
    http = new OkHttpClient.Builder().addNetworkInterceptor(HttpLog.to("123open", log::add)).build();
    String refresh = door.issueRefreshToken(demo, "oauth-app", "oauth-secret");
    Open123Driver d = driver("directLink", "false");
    d.list("0", null);
    d.upload("0", "x.txt", UploadSource.ofBytes("payload".getBytes()), UploadOptions.DEFAULT);
    Open123Driver oauth = driver("clientId", "oauth-app", "clientSecret", "oauth-secret", "refreshToken", refresh);
    oauth.list("0", null);
    DriveException e = assertThrows(DriveException.class, () -> driver("clientId", "nobody", "clientSecret", "nope-secret").list("0", null));

    List<String> secrets = new java.util.ArrayList<>(List.of(OpenApiFrontDoor.DEMO_CLIENT_SECRET, "oauth-secret",
        "nope-secret", refresh));
    secrets.addAll(door.issuedTokens());
    List<String> texts = new java.util.ArrayList<>(log);
    texts.add(d.toString());
    texts.add(oauth.toString());
    texts.add(e.toString());
    texts.add(String.valueOf(tokenStore.load(storeKey("clientId", "oauth-app", "clientSecret", "oauth-secret")).orElseThrow()));
    texts.add(new Open123Provider().parse(options("accessToken", "pasted-secret-token")).toString());
    secrets.add("pasted-secret-token");
    assertTrue(log.size() > 5, "the log saw the calls");
    for (String t : texts) {
      for (String s : secrets) assertFalse(t.contains(s), "secret leaked into: " + t);
    }
  }
}
