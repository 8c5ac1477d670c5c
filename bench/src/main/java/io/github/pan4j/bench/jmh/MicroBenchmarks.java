package io.github.pan4j.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.Hashes;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadSource;
import io.github.pan4j.core.internal.http.Json;
import io.github.pan4j.driver.common123.AuthKeySigner;
import io.github.pan4j.testkit.fake.FakeStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Micro-benchmarks of the CPU paths under the end-to-end figures: the upload hashing pass (plain
 * MD5 as the ceiling, then {@link UploadSource#hashes} with and without SHA-1 and slice MD5s), the
 * {@code auth_key} signer of direct links, and decoding a 100-entry listing page (JSON to tree).
 * Run with {@code bench/run.sh --jmh} (arguments after it go to JMH, e.g. a name filter).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MicroBenchmarks {
  /** 16 MiB: one slice. */
  private byte[] slice;
  private byte[] page;
  /** The listed files' first id: the fake's default, 13 digits as 123's ids are today. */
  private static final long FIRST_ID = FakeStore.FIRST_ID;
  /** The same 16 MiB in a file (page cache), as uploads read it. */
  private java.nio.file.Path file;

  @Setup
  public void setUp() {
    slice = new byte[16 << 20];
    new Random(1).nextBytes(slice);
    try {
      file = java.nio.file.Files.createTempFile("pan4j-jmh-", ".bin");
      file.toFile().deleteOnExit();
      java.nio.file.Files.write(file, slice);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("code", 0);
    root.put("message", "ok");
    ObjectNode data = root.putObject("data");
    data.put("lastFileId", FIRST_ID + 99);
    ArrayNode list = data.putArray("fileList");
    for (int i = 0; i < 100; i++) {
      ObjectNode f = list.addObject();
      f.put("fileId", FIRST_ID + i); // 13 digits, as 123's ids are now: JSON longs, not ints
      f.put("filename", "file-" + i + ".bin");
      f.put("type", 0);
      f.put("size", 1234567L * i);
      f.put("etag", "0123456789abcdef0123456789abcdef");
      f.put("status", 0);
      f.put("parentFileId", 0);
      f.put("category", 0);
      f.put("trashed", 0);
      f.put("createAt", "2026-11-29 12:00:00");
      f.put("updateAt", "2026-11-29 12:00:00");
    }
    page = root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The ceiling: one MD5 pass over a 16 MiB slice in memory. */
  @Benchmark
  public byte[] md5Of16MiB() throws Exception {
    MessageDigest d = MessageDigest.getInstance("MD5");
    d.update(slice);
    return d.digest();
  }

  /** 123pan's pass over a 16 MiB file: the whole-file MD5 only (one read, slices not planned). */
  @Benchmark
  public Hashes hashesMd5Only() {
    try (UploadSource s = UploadSource.ofFile(file)) {
      return s.hashes(UploadListener.NONE, false, 0);
    }
  }

  /** 123open's pass over a 16 MiB file: whole MD5, SHA-1 and the 4 MiB slices' MD5s in one read. */
  /** What 123open's hashing pass computes: the whole-file MD5 and each slice's MD5 (no SHA-1). */
  @Benchmark
  public Hashes hashesMd5AndSlices() {
    try (UploadSource s = UploadSource.ofFile(file)) {
      return s.hashes(UploadListener.NONE, false, 4L << 20);
    }
  }

  @Benchmark
  public Hashes hashesMd5Sha1AndSlices() {
    try (UploadSource s = UploadSource.ofFile(file)) {
      return s.hashes(UploadListener.NONE, true, 4L << 20);
    }
  }

  /** Signing one direct link (path digest, query assembly). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public String signAuthKey() {
    return AuthKeySigner.sign("https://vip.123pan.cn/10/Demo/%E6%96%87%E4%BB%B6.bin?x=1", "private-key", 10,
        Instant.ofEpochSecond(1_900_000_000L), "nonce123");
  }

  /** Decoding one 100-entry list page from bytes to a JSON tree (what every list call parses). */
  @Benchmark
  public JsonNode decodeListPage() throws Exception {
    return Json.mapper().readTree(page);
  }
}
