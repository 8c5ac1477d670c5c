package io.github.pan4j.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreTest {
  @TempDir Path dir;

  private static Token token(String v) {
    return new Token(Secret.of(v), Instant.parse("2026-02-01T00:00:00Z"), Secret.of("r-" + v), Map.of("uid", "7"));
  }

  @Test
  void roundTrip_acrossInstances_likeARestart() {
    Path f = dir.resolve("tokens.json");
    assertTrue(new FileTokenStore(f).compareAndSet("123open:abc", null, token("t1")));
    Token loaded = new FileTokenStore(f).load("123open:abc").orElseThrow();
    assertEquals(token("t1"), loaded);
    assertEquals("7", loaded.attributes().get("uid"));
  }

  @Test
  void compareAndSet_refusesStaleExpectation() {
    FileTokenStore a = new FileTokenStore(dir.resolve("t.json"));
    FileTokenStore b = new FileTokenStore(dir.resolve("t.json"));
    assertTrue(a.compareAndSet("k", null, token("t1")));
    assertTrue(b.compareAndSet("k", token("t1"), token("t2")));
    // a still believes t1 is current: its write must lose, so one refresh token is never spent twice.
    assertFalse(a.compareAndSet("k", token("t1"), token("t3")));
    assertEquals(token("t2"), a.load("k").orElseThrow());
  }

  @Test
  void file_isOwnerOnly_andNoTempFileRemains() throws Exception {
    Path f = dir.resolve("t.json");
    FileTokenStore s = new FileTokenStore(f);
    s.compareAndSet("k", null, token("t1"));
    s.remove("k");
    assertTrue(s.load("k").isEmpty());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertFalse(Files.exists(dir.resolve("t.json.tmp")));
    assertFalse(s.toString().contains("t1"));
  }
}
