package io.github.pan4j.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.spi.DriverContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountKeyTest {
  @TempDir Path dir;

  @Test
  void key_changesWithSecretAndServer_andNeverHoldsTheSecret() {
    AccountKey a = AccountKey.of("123open", "https://open-api.123pan.com/", "client:abc", Secret.of("s3cret-1"));
    AccountKey same = AccountKey.of("123open", "https://open-api.123pan.com", "client:abc", Secret.of("s3cret-1"));
    AccountKey otherSecret = AccountKey.of("123open", "https://open-api.123pan.com", "client:abc", Secret.of("s3cret-2"));
    AccountKey otherServer = AccountKey.of("123open", "http://127.0.0.1:8080", "client:abc", Secret.of("s3cret-1"));
    assertEquals(a, same);
    assertEquals(a.storeKey(), same.storeKey());
    assertNotEquals(a.storeKey(), otherSecret.storeKey());
    assertNotEquals(a.storeKey(), otherServer.storeKey());
    for (String text : new String[] {a.storeKey(), a.toString()}) assertFalse(text.contains("s3cret"), text);
    assertFalse(a.toString().contains(a.secretDigest()));
    assertTrue(a.storeKey().startsWith("123open|https://open-api.123pan.com|client:abc|"), a.storeKey());
  }

  @Test
  void issuedSecretKey_tellsSecretsApart_neverEqualsThePasswordKey_andHoldsNoSecret() {
    String secret = "0123456789abcdef0123456789abcdef";
    AccountKey a = AccountKey.ofIssued("123open", "https://open-api.123pan.com/", "client:abc", Secret.of(secret));
    AccountKey same = AccountKey.ofIssued("123open", "https://open-api.123pan.com", "client:abc", Secret.of(secret));
    AccountKey other = AccountKey.ofIssued("123open", "https://open-api.123pan.com", "client:abc", Secret.of(secret + "0"));
    AccountKey otherClient = AccountKey.ofIssued("123open", "https://open-api.123pan.com", "client:abd", Secret.of(secret));
    AccountKey password = AccountKey.of("123open", "https://open-api.123pan.com", "client:abc", Secret.of(secret));
    assertEquals(a, same);
    assertNotEquals(a.storeKey(), other.storeKey());
    assertNotEquals(a.secretDigest(), otherClient.secretDigest(), "salted with the rest of the key");
    assertNotEquals(a.secretDigest(), password.secretDigest());
    assertEquals(17, a.secretDigest().length(), "i + 64 bits in hex");
    for (String text : new String[] {a.storeKey(), a.toString()}) assertFalse(text.contains(secret), text);
    assertFalse(a.toString().contains(a.secretDigest()));
    assertEquals("", AccountKey.ofIssued("123share", "http://x", "anonymous", null).secretDigest());
  }

  @Test
  void oneManagerAndOneLimiterPerAccount_perStore() {
    Accounts accounts = new Accounts();
    DriverContext ctx = DriverContext.builder().accounts(accounts).tokenStore(new FileTokenStore(dir.resolve("t.json"))).build();
    DriverContext sameFile = ctx.toBuilder().tokenStore(new FileTokenStore(dir.resolve("t.json"))).build();
    DriverContext otherStore = ctx.toBuilder().tokenStore(TokenStores.inMemory()).build();
    AccountKey k = AccountKey.of("x", "http://h", "u", Secret.of("p"));
    AccountKey k2 = AccountKey.of("x", "http://h", "u", Secret.of("other"));
    TokenManager m = ctx.tokenManager(k, () -> manager(ctx, k));
    assertSame(m, sameFile.tokenManager(k, () -> manager(sameFile, k)));
    assertNotSame(m, otherStore.tokenManager(k, () -> manager(otherStore, k)));
    assertNotSame(m, ctx.tokenManager(k2, () -> manager(ctx, k2)));
    RateLimiter l = ctx.rateLimiter(k, Map.of("list", 2.0), 0.1);
    assertSame(l, sameFile.rateLimiter(k, Map.of("list", 5.0), 0.1));
    assertEquals(2.0, l.qps("list"), "the first table wins");
    assertNotSame(l, ctx.rateLimiter(k2, Map.of("list", 2.0), 0.1));
  }

  @Test
  void stateDir_honoursXdgThenHome() {
    Path fallback = Path.of("/fallback");
    assertEquals(Path.of("/x/state/pan4j"), TokenStores.stateDir(Map.of("XDG_STATE_HOME", "/x/state", "HOME", "/h"), fallback));
    assertEquals(Path.of("/h/.local/state/pan4j"), TokenStores.stateDir(Map.of("HOME", "/h"), fallback));
    assertEquals(Path.of("/fallback/.local/state/pan4j"), TokenStores.stateDir(Map.of(), fallback));
    assertEquals(Path.of("/h/.local/state/pan4j"), TokenStores.stateDir(Map.of("XDG_STATE_HOME", "relative", "HOME", "/h"), fallback),
        "a relative XDG_STATE_HOME is invalid per the spec and ignored");
  }

  @Test
  void defaultContext_persistsTokensInAFile() {
    DriverContext ctx = DriverContext.builder().build();
    assertTrue(ctx.tokenStore() instanceof FileTokenStore, ctx.tokenStore().toString());
    assertEquals(TokenStores.defaultFile(), ((FileTokenStore) ctx.tokenStore()).file());
  }

  private static TokenManager manager(DriverContext ctx, AccountKey k) {
    return TokenManager.builder(k.storeKey(), ctx.tokenStore(), prev -> Token.of("t", Instant.MAX)).build();
  }
}
