package io.github.pan4j.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

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

  @Test
  void manyInstancesOnOnePath_inOneJvm_shareOneLock() throws Exception {
    Path f = dir.resolve("tokens.json");
    new FileTokenStore(f).compareAndSet("k", null, token("t1"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        FileTokenStore own = new FileTokenStore(f); // each thread its own instance, as six drivers had
        all.add(pool.submit(() -> {
          for (int n = 0; n < 500; n++) assertEquals(token("t1"), own.load("k").orElseThrow());
        }));
      }
      for (Future<?> x : all) x.get(); // 4,000 loads; any OverlappingFileLockException fails here
    } finally {
      pool.shutdownNow();
    }
    assertEquals(new FileTokenStore(f), new FileTokenStore(dir.resolve(".").resolve("tokens.json")));
  }

  @Test
  void sixManagersOnOneFile_mintOneToken() throws Exception {
    Path f = dir.resolve("tokens.json");
    AtomicInteger minted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Token>> all = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        TokenManager m = TokenManager.builder("k", new FileTokenStore(f),
            prev -> Token.of("t" + minted.incrementAndGet(), Instant.now().plusSeconds(3600))).build();
        all.add(pool.submit(m::current));
      }
      for (Future<Token> x : all) assertEquals("t1", x.get().accessToken().reveal());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, minted.get());
  }

  @Test
  void corruptedFile_isMovedAside_andTheStoreStartsAgain() throws Exception {
    Path f = dir.resolve("tokens.json");
    Files.writeString(f, "{ this is not json");
    FileTokenStore s = new FileTokenStore(f);
    assertTrue(s.load("k").isEmpty());
    assertTrue(s.compareAndSet("k", null, token("t1")));
    assertEquals(token("t1"), s.load("k").orElseThrow());
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.stream().anyMatch(n -> n.startsWith("tokens.json.corrupt-")), names.toString());
    }
  }

  @Test
  void unreadableEntry_isDropped_othersKept() throws Exception {
    Path f = dir.resolve("tokens.json");
    Files.writeString(f, "{\"bad\": {\"accessToken\": \"x\", \"expiresAt\": \"yesterday\"},"
        + " \"good\": {\"accessToken\": \"g\"}}");
    FileTokenStore s = new FileTokenStore(f);
    assertTrue(s.load("bad").isEmpty());
    assertEquals("g", s.load("good").orElseThrow().accessToken().reveal());
  }

  @Test
  void unusableLocation_isATypedError_andNothingIsMinted() throws Exception {
    Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
    FileTokenStore s = new FileTokenStore(notADir.resolve("tokens.json"));
    AtomicInteger minted = new AtomicInteger();
    TokenManager m = TokenManager.builder("k", s, prev -> token("t" + minted.incrementAndGet())).build();
    DriveException e = assertThrows(DriveException.class, m::current);
    assertTrue(e.kind() == ErrorKind.PROVIDER_ERROR || e.kind() == ErrorKind.PERMISSION_DENIED, e.kind().name());
    assertTrue(e.getMessage().contains(notADir.toString()), e.getMessage());
    assertEquals(0, minted.get(), "no token is minted that could not be kept");
  }

  @Test
  void encodeDecode_roundTrip_isDeterministic() {
    Token t = token("t1").withAttribute("b", "2").withAttribute("a", "1");
    assertEquals(TokenStores.encode(t), TokenStores.encode(TokenStores.decode(TokenStores.encode(t))));
    assertEquals(t, TokenStores.decode(TokenStores.encode(t)));
    DriveException e = assertThrows(DriveException.class, () -> TokenStores.decode("{\"accessToken\": \"s3cret\", \"expiresAt\": 1}x"));
    assertFalse(e.getMessage().contains("s3cret"));
  }
}
