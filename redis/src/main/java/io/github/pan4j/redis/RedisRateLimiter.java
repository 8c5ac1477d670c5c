package io.github.pan4j.redis;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.http.RateLimiter;
import io.github.pan4j.core.spi.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One account's request pacing shared through Redis (GCRA in its "virtual scheduling" form).
 *
 * <p>Each endpoint has one key holding the theoretical arrival time (TAT, microseconds on Redis's
 * clock). {@link #acquire} runs one script: start = max(now, TAT), TAT = start + interval, return
 * start − now; the caller then sleeps that long, once. Every process and machine reserves from
 * the same schedule in the order its script runs, so the account's rate is the table's whatever
 * the number of instances, nobody is starved, and nobody polls. Redis's clock is the only clock,
 * so machines need not agree on time. The QPS table is this instance's: {@link #setQps} changes
 * the interval this instance reserves with.
 */
final class RedisRateLimiter implements RateLimiter {
  private static final RedisClient.Script RESERVE = new RedisClient.Script("rate-limit reserve", """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
      local start = now
      if tat > now then start = tat end
      local interval = tonumber(ARGV[1])
      if interval > 0 then
        local nxt = start + interval
        redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.ceil((nxt - now) / 1000) + 1000)
      end
      return {start - now, start}
      """);
  private static final RedisClient.Script PENALIZE = new RedisClient.Script("rate-limit penalize", """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local untilT = now + tonumber(ARGV[1])
      local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
      if untilT > tat then
        redis.call('SET', KEYS[1], string.format('%.0f', untilT), 'PX', math.ceil((untilT - now) / 1000) + 1000)
      end
      return 0
      """);

  private final RedisClient client;
  private final String keyPrefix;
  private final double margin;
  private final Sleeper sleeper;
  private final Map<String, Double> qps = new ConcurrentHashMap<>();
  /** Told each start reserved (endpoint, microseconds on Redis's clock); tests record the schedule with it. */
  private final BiConsumer<String, Long> reserved;

  RedisRateLimiter(RedisClient client, String keyPrefix, Map<String, Double> table, double margin, Sleeper sleeper) {
    this(client, keyPrefix, table, margin, sleeper, (endpoint, start) -> { });
  }

  RedisRateLimiter(RedisClient client, String keyPrefix, Map<String, Double> table, double margin, Sleeper sleeper,
      BiConsumer<String, Long> reserved) {
    if (margin < 0) throw new IllegalArgumentException("margin must not be negative but was " + margin);
    this.client = client;
    this.keyPrefix = keyPrefix;
    this.margin = margin;
    this.sleeper = sleeper;
    this.reserved = reserved;
    this.qps.putAll(table);
  }

  @Override
  public void acquire(String endpoint) {
    acquire(endpoint, sleeper);
  }

  /**
   * Reserves and waits with {@code waiter}. A waiter that gives up (its driver was closed) leaves
   * its reserved start unused: the schedule keeps it, and the account's later callers start one
   * interval later at most.
   */
  @Override
  public Permit begin(String endpoint, Sleeper waiter) {
    acquire(endpoint, java.util.Objects.requireNonNull(waiter, "waiter"));
    return Permit.NONE;
  }

  private void acquire(String endpoint, Sleeper waiter) {
    long waitMicros = reserve(endpoint, intervalMicros(endpoint));
    if (waitMicros <= 0) return;
    try {
      waiter.sleep(Duration.ofNanos(waitMicros * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DriveException.builder(ErrorKind.CANCELLED, "interrupted while waiting for the rate limit")
          .target(endpoint).build();
    }
  }

  @Override
  public Duration currentDelay(String endpoint) {
    return Duration.ofNanos(Math.max(0, reserve(endpoint, 0)) * 1000);
  }

  @Override
  public void setQps(String endpoint, double value) {
    qps.put(endpoint, value);
  }

  @Override
  public double qps(String endpoint) {
    return qps.getOrDefault(endpoint, 0.0);
  }

  @Override
  public void penalize(String endpoint, Duration pause) {
    client.eval(PENALIZE, List.of(keyPrefix + endpoint), List.of(Long.toString(pause.toNanos() / 1000)));
  }

  private long intervalMicros(String endpoint) {
    double q = qps(endpoint);
    return q <= 0 ? 0 : (long) (1_000_000L / q * (1 + margin));
  }

  /** Reserves the next start ({@code intervalMicros} 0: only looks) and returns how long until it, in microseconds. */
  private long reserve(String endpoint, long intervalMicros) {
    Object r = client.eval(RESERVE, List.of(keyPrefix + endpoint), List.of(Long.toString(intervalMicros)));
    if (!(r instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Long wait) || !(l.get(1) instanceof Long start)) {
      return 0;
    }
    if (intervalMicros > 0) reserved.accept(endpoint, start);
    return wait;
  }

  @Override
  public String toString() {
    return "RedisRateLimiter" + qps;
  }
}
