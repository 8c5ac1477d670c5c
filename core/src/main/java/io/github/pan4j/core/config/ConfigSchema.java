package io.github.pan4j.core.config;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options a driver takes. Hosts render a settings form from {@link #options()}; drivers
 * turn a string map into typed values with {@link #parse}, which reports every problem at once.
 */
public final class ConfigSchema {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final String driverId;
  private final List<OptionSpec> options;

  private ConfigSchema(String driverId, List<OptionSpec> options) {
    this.driverId = Objects.requireNonNull(driverId, "driverId");
    this.options = List.copyOf(options);
    var keys = new java.util.HashSet<String>();
    for (OptionSpec o : options) {
      if (!keys.add(o.key())) throw new IllegalArgumentException("duplicate option '" + o.key() + "'");
      if (o.type() == OptionType.ENUM && o.choices().isEmpty()) {
        throw new IllegalArgumentException("enum option '" + o.key() + "' needs choices");
      }
    }
  }

  public static ConfigSchema of(String driverId, OptionSpec... options) {
    return new ConfigSchema(driverId, List.of(options));
  }

  public String driverId() { return driverId; }

  public List<OptionSpec> options() { return options; }

  /** The spec for a key, or null. */
  public OptionSpec option(String key) {
    for (OptionSpec o : options) if (o.key().equals(key)) return o;
    return null;
  }

  /**
   * Parses and validates {@code values}: unknown keys, missing required options and malformed
   * values are all collected into one CONFIG_INVALID error naming each option (secret values are
   * never echoed).
   */
  public Options parse(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    List<String> problems = new ArrayList<>();
    Map<String, Object> parsed = new LinkedHashMap<>();
    for (String key : new TreeSet<>(values.keySet())) {
      if (option(key) == null) {
        List<String> known = options.stream().map(OptionSpec::key).toList();
        problems.add("unknown option '" + key + "' (known: " + String.join(", ", known) + ")");
      }
    }
    for (OptionSpec o : options) {
      String raw = values.get(o.key());
      if (raw != null && raw.isBlank() && o.type() != OptionType.TEXT) raw = null;
      if (raw == null) raw = o.defaultValue();
      if (raw == null) {
        if (o.required()) problems.add("option '" + o.key() + "' is required: " + o.description());
        continue;
      }
      try {
        parsed.put(o.key(), convert(o, raw));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw DriveException.builder(ErrorKind.CONFIG_INVALID,
              "invalid configuration: " + String.join("; ", problems))
          .driver(driverId).operation("open").build();
    }
    return new Options(driverId, parsed);
  }

  private static Object convert(OptionSpec o, String raw) {
    String v = o.type() == OptionType.TEXT || o.type() == OptionType.SECRET ? raw : raw.trim();
    String shown = o.secret() ? "****" : "'" + v + "'";
    switch (o.type()) {
      case STRING:
      case TEXT:
        return v;
      case SECRET:
        return Secret.of(v);
      case BOOLEAN:
        if (v.equalsIgnoreCase("true")) return Boolean.TRUE;
        if (v.equalsIgnoreCase("false")) return Boolean.FALSE;
        throw new IllegalArgumentException("option '" + o.key() + "' must be true or false but was " + shown);
      case INT:
        long n;
        try {
          n = Long.parseLong(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("option '" + o.key() + "' must be a whole number but was " + shown);
        }
        if ((o.min() != null && n < o.min()) || (o.max() != null && n > o.max())) {
          throw new IllegalArgumentException("option '" + o.key() + "' must be between " + o.min() + " and " + o.max()
              + " but was " + n);
        }
        return n;
      case DURATION:
        return parseDuration(o.key(), v);
      case ENUM:
        for (String c : o.choices()) if (c.equalsIgnoreCase(v)) return c;
        throw new IllegalArgumentException("option '" + o.key() + "' must be one of " + o.choices() + " but was " + shown);
      default:
        throw new IllegalStateException("unhandled type " + o.type());
    }
  }

  /** Parses {@code PT30S} or {@code 500ms}/{@code 30s}/{@code 5m}/{@code 2h}/{@code 1d}. */
  public static Duration parseDuration(String key, String v) {
    Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("option '" + key + "' must be a duration such as 30s, 5m or PT1H but was '" + v + "'");
    }
  }

  @Override
  public String toString() {
    return "ConfigSchema{" + driverId + ", " + options.stream().map(OptionSpec::key).toList() + "}";
  }
}
