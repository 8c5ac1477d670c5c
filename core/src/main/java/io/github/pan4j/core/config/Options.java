package io.github.pan4j.core.config;

import io.github.pan4j.core.http.Redactor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Option values after {@link ConfigSchema#parse}; typed getters for the driver's config record. */
public final class Options {
  private final String driverId;
  private final Map<String, Object> values;
  private final List<String> deprecationNotes;

  Options(String driverId, Map<String, Object> values) {
    this(driverId, values, List.of());
  }

  Options(String driverId, Map<String, Object> values, List<String> deprecationNotes) {
    this.driverId = driverId;
    this.values = Map.copyOf(values);
    this.deprecationNotes = List.copyOf(deprecationNotes);
  }

  /** One note per deprecated option name that was used, e.g. "option 'privateKey' is deprecated: renamed to …". */
  public List<String> deprecationNotes() { return deprecationNotes; }

  public boolean has(String key) { return values.containsKey(key); }

  public String string(String key) { return (String) values.get(key); }

  public Optional<String> optionalString(String key) { return Optional.ofNullable(string(key)); }

  public Secret secret(String key) { return (Secret) values.get(key); }

  public Optional<Secret> optionalSecret(String key) { return Optional.ofNullable(secret(key)); }

  public long integer(String key) { return (Long) values.get(key); }

  public int intValue(String key) { return Math.toIntExact(integer(key)); }

  public boolean bool(String key) { return Boolean.TRUE.equals(values.get(key)); }

  public Duration duration(String key) { return (Duration) values.get(key); }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Options{").append(driverId);
    values.forEach((k, v) -> s.append(", ").append(k).append('=').append(v instanceof Secret ? "****"
        : v instanceof String t ? Redactor.text(t) : v));
    return s.append('}').toString();
  }
}
