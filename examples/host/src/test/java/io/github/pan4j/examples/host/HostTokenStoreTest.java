package io.github.pan4j.examples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The host's {@code tokenStore}: {@code redis} (hosts on one Redis share the 123open account's token
 * and limiter) and {@code memory} (nothing outlives the host).
 */
class HostTokenStoreTest {
  private final ObjectMapper mapper = Json.mapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void twoHosts_andARestart_onOneRedis_mintOneToken() throws Exception {
    assertTrue(Files.isDirectory(FakeCloudFixture.PLUGINS.resolve("123open")), "run the tests with mvn (it builds target/plugins)");
    try (RedisServer redis = RedisServer.start(); DemoCloud demo = new DemoCloud(0)) {
      OpenApiFrontDoor open = demo.cloud.door(OpenApiFrontDoor.class);
      Path mounts = mountsFile(demo);
      HostConfig a = config("a", mounts).withRedis(redis.url());
      HostConfig b = config("b", mounts).withRedis(redis.url());
      Host hostA = new Host(a, Clock.systemUTC()).start();
      try (Host hostB = new Host(b, Clock.systemUTC()).start()) {
        assertEquals(200, status(hostA, "/b/123open/Demo"));
        assertEquals(200, status(hostB, "/b/123open/Demo"));
        assertEquals(200, status(hostB, "/b/123open-proxy/Demo"));
        hostA.close();
        hostA = new Host(a, Clock.systemUTC()).start(); // a restart: its state folder holds no token
        assertEquals(200, status(hostA, "/b/123open-proxy/Demo"));
        assertEquals(1, open.accessTokenCalls(), "two hosts and a restart on one Redis minted more than one token");
      } finally {
        hostA.close();
      }
      try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
        Set<String> tokens = j.keys("pan4j:tok:*");
        assertEquals(1, tokens.size(), "token keys: " + tokens);
        assertFalse(j.keys("pan4j:rate:*").isEmpty(), "the hosts paced their calls with Redis's limiter");
      }
      // The control: a host with its own token file does not see Redis's token and mints its own.
      try (Host own = new Host(config("c", mounts), Clock.systemUTC()).start()) {
        assertEquals(200, status(own, "/b/123open/Demo"));
        assertEquals(2, open.accessTokenCalls());
      }
    }
  }

  @Test
  void memory_keepsTokensInTheHostOnly_soARestartSignsInAgain() throws Exception {
    try (DemoCloud demo = new DemoCloud(0)) {
      OpenApiFrontDoor open = demo.cloud.door(OpenApiFrontDoor.class);
      Path mounts = mountsFile(demo);
      Path stateDir = dir.resolve("m");
      HostConfig c = load("{\"tokenStore\": \"memory\", \"state\": \"m\"}")
          .withPort(0).withDirs(FakeCloudFixture.PLUGINS, mounts);
      for (int i = 1; i <= 2; i++) {
        try (Host host = new Host(c, Clock.systemUTC()).start()) {
          assertEquals(200, status(host, "/b/123open/Demo"));
          assertEquals(200, status(host, "/b/123open-proxy/Demo"));
          assertEquals(i, open.accessTokenCalls(), "start " + i);
        }
      }
      assertFalse(Files.exists(stateDir.resolve("tokens.json")));
    }
  }

  @Test
  void unreachableRedis_failsStartup_withANetworkError_namingTheAddress() throws Exception {
    int port = RedisServer.freePort(); // nothing listens there
    Path mounts = dir.resolve("mounts.json");
    Files.writeString(mounts, "{\"mounts\":[]}");
    HostConfig c = config("x", mounts).withRedis("redis://127.0.0.1:" + port);
    DriveException e = assertThrows(DriveException.class, () -> new Host(c, Clock.systemUTC()));
    assertEquals(ErrorKind.NETWORK, e.kind());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertTrue(e.getMessage().contains("tokenStore is redis"), e.getMessage());
  }

  @Test
  void config_redisNeedsAnAddress_andTheAddressIsChecked() throws Exception {
    HostConfig ok = load("{\"tokenStore\": \"redis\", \"redis\": \"redis://10.0.0.5:6380\"}");
    assertEquals("redis", ok.tokenStore());
    assertEquals("redis://10.0.0.5:6380", ok.redis());
    assertTrue(ok.toString().contains("redis://10.0.0.5:6380"), ok.toString());

    ConfigError noAddress = assertThrows(ConfigError.class, () -> load("{\"tokenStore\": \"redis\"}"));
    assertTrue(noAddress.getMessage().contains("\"redis\""), noAddress.getMessage());
    ConfigError unused = assertThrows(ConfigError.class,
        () -> load("{\"redis\": \"redis://10.0.0.5:6379\"}"));
    assertTrue(unused.getMessage().contains("tokenStore is 'file'"), unused.getMessage());
    ConfigError password = assertThrows(ConfigError.class,
        () -> load("{\"tokenStore\": \"redis\", \"redis\": \"redis://u:hunter2@10.0.0.5:6379\"}"));
    assertFalse(password.getMessage().contains("hunter2"), password.getMessage());
    ConfigError notRedisFile = assertThrows(ConfigError.class,
        () -> load("{\"tokenStore\": \"redis\", \"redis\": \"http://10.0.0.5:6379\"}"));
    DriveException notRedis = (DriveException) notRedisFile.getCause();
    assertEquals(ErrorKind.CONFIG_INVALID, notRedis.kind());
    assertTrue(notRedisFile.getMessage().contains("http://10.0.0.5:6379"), notRedisFile.getMessage());
    assertTrue(notRedis.getMessage().contains("http://10.0.0.5:6379"), notRedis.getMessage());
    ConfigError unknown = assertThrows(ConfigError.class, () -> load("{\"tokenStore\": \"etcd\"}"));
    assertTrue(unknown.getMessage().contains("file, memory or redis"), unknown.getMessage());
  }

  private HostConfig load(String json) throws IOException {
    Path f = Files.createTempFile(dir, "host", ".json");
    Files.writeString(f, json);
    return HostConfig.load(f, mapper);
  }

  /** A config with its own state folder under {@code dir/name} and the plugins Maven built. */
  private HostConfig config(String name, Path mounts) throws IOException {
    Path base = Files.createDirectories(dir.resolve(name));
    return HostConfig.defaults(base).withPort(0).withDirs(FakeCloudFixture.PLUGINS, mounts)
        .withSignKey(Secret.of("redis-test-sign-key"));
  }

  private Path mountsFile(DemoCloud demo) throws IOException {
    ObjectNode root = mapper.createObjectNode();
    ArrayNode mounts = root.putArray("mounts");
    demo.mount(mounts, "/123open", "123open", DownloadMode.REDIRECT);
    demo.mount(mounts, "/123open-proxy", "123open", DownloadMode.PROXY);
    Path f = dir.resolve("mounts.json");
    mapper.writeValue(f.toFile(), root);
    return f;
  }

  private int status(Host host, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
