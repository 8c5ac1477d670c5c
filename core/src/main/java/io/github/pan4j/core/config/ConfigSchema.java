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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options a driver takes, stated once: keys, types, defaults, old names and the checks
 * between options. Hosts render a settings form from {@link #options()}; drivers turn a string
 * map into typed values with {@link #parse}, which reports every problem at once, and build their
 * config record from the result (defaults included, so a record never restates them; records that
 * need a default outside parsing read it from {@link #defaults()}).
 *
 * <pre>{@code
 * ConfigSchema schema = ConfigSchema.of("123link",
 *         OptionSpec.of("directLinkPrivateKey", OptionType.SECRET, "…"),
 *         OptionSpec.of("directLinkUid", OptionType.INT, "…"))
 *     .withCheck((o, problems) -> {
 *       if (o.has("directLinkPrivateKey") && !o.has("directLinkUid")) {
 *         problems.add(new Problem(List.of("directLinkUid", "directLinkPrivateKey"),
 *             "option 'directLinkUid' is required with 'directLinkPrivateKey'"));
 *       }
 *     });
 * }</pre>
 *
 * <h2>Rendering a settings form (hosts)</h2>
 * One field per {@link OptionSpec} of {@link #options()}, in that order, under its
 * {@link OptionSpec#group() group}: its {@link OptionSpec#type() type} picks the widget
 * ({@link OptionType#SECRET} a write-only password field whose value is never shown again,
 * {@link OptionType#ENUM} a choice of {@link OptionSpec#choices()}, {@link OptionType#TEXT} a
 * text area), {@link OptionSpec#defaultValue()} the placeholder, {@link OptionSpec#min()} and
 * {@link OptionSpec#max()} a number's bounds ({@code Long.MAX_VALUE}: none). Leave
 * {@link OptionSpec#deprecated() deprecated} options out of new forms. Fields left empty may be
 * passed as {@code ""}: a blank value counts as absent (but for {@code TEXT}), so its default
 * applies.
 *
 * <p>{@link OptionSpec#required()} marks only options a driver needs whatever else is set. Which
 * options go together (123open's {@code clientId} with {@code clientSecret}, or an
 * {@code accessToken} instead) are {@linkplain #withCheck checks}, which a form cannot show.
 *
 * <h2>Showing what is wrong with a filled-in form (hosts)</h2>
 * Call {@link #check} with what the user typed: it runs the same validation as {@link #parse}
 * (types, ranges, required options, unknown keys and the driver's checks between options) and
 * returns every {@link Problem}, each naming the options it concerns. Show each message next to
 * the fields of its {@link Problem#options() options} (a problem about several, such as
 * "clientSecret is required with clientId", belongs next to each of them), and any problem naming
 * no field of the form above it, with a line saying the settings were not saved. Messages never
 * contain a secret's value. Nothing is sent anywhere: whether the credentials work shows only at
 * the first call of an opened drive. A form that passes {@code check} also passes {@link #parse}.
 * pan4j's drivers state every rule a form can break in their schema, so their provider's
 * {@link io.github.pan4j.core.spi.DriverProvider#parse parse} then succeeds too; it can still refuse,
 * with one CONFIG_INVALID message, what no form field sets (such as an old option name given in a
 * file together with the new one).
 */
public final class ConfigSchema {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Logger LOG = LoggerFactory.getLogger(ConfigSchema.class);
  /** Secrets shorter than this are not looked for in a check's message: they would match ordinary words. */
  private static final int MIN_MASKED = 4;

  /**
   * A check between options, run by {@link #check} and {@link #parse} after each option parsed on
   * its own. It sees the options that parsed (with defaults) and adds one {@link Problem} per
   * problem, naming the options it concerns (the one to change first) so that a host can show it
   * next to their fields, with a message in the house style: "option 'uid' is required when
   * 'privateKey' is set". The message must not contain a secret's value.
   */
  @FunctionalInterface
  public interface Check {
    void check(Options options, List<Problem> problems);
  }

  /**
   * One thing wrong with a set of option values, from {@link #check}.
   *
   * @param options the keys of the options it concerns, the one to change first: one key for a
   *     value that does not parse or a required option that is missing, several for a rule between
   *     options, the keys as given for unknown keys (which have no field in a form), and none for
   *     a problem of the whole set
   * @param message what is wrong and what to do, in words that name the options; never a secret's value
   */
  public record Problem(List<String> options, String message) {
    public Problem {
      options = List.copyOf(options);
      Objects.requireNonNull(message, "message");
    }
  }

  private final String driverId;
  private final List<OptionSpec> options;
  private final List<Check> checks;

  private ConfigSchema(String driverId, List<OptionSpec> options, List<Check> checks) {
    this.driverId = Objects.requireNonNull(driverId, "driverId");
    this.options = List.copyOf(options);
    this.checks = List.copyOf(checks);
    var keys = new java.util.HashSet<String>();
    for (OptionSpec o : options) {
      if (!keys.add(o.key())) throw new IllegalArgumentException("duplicate option '" + o.key() + "'");
      if (o.type() == OptionType.ENUM && o.choices().isEmpty()) {
        throw new IllegalArgumentException("enum option '" + o.key() + "' needs choices");
      }
    }
    for (OptionSpec o : options) {
      if (o.replacedBy() == null) continue;
      OptionSpec target = option(o.replacedBy());
      if (target == null || target.replacedBy() != null || target.type() != o.type()) {
        throw new IllegalArgumentException("option '" + o.key() + "' is an old name of '" + o.replacedBy()
            + "', which must be a current option of the same type");
      }
    }
  }

  public static ConfigSchema of(String driverId, OptionSpec... options) {
    return new ConfigSchema(driverId, List.of(options), List.of());
  }

  /** This schema with one more check between options. */
  public ConfigSchema withCheck(Check check) {
    List<Check> all = new ArrayList<>(checks);
    all.add(Objects.requireNonNull(check, "check"));
    return new ConfigSchema(driverId, options, all);
  }

  /**
   * The typed defaults: every option that has a default, parsed as {@link #parse} would. The one
   * place a config record's factory methods take a default from.
   *
   * @throws IllegalStateException when a default does not parse (a bug in the schema)
   */
  public Options defaults() {
    Map<String, Object> parsed = new LinkedHashMap<>();
    for (OptionSpec o : options) {
      if (o.defaultValue() == null) continue;
      try {
        parsed.put(o.key(), convert(o, o.defaultValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(driverId + ": the default of option '" + o.key() + "' does not parse: " + e.getMessage());
      }
    }
    return new Options(driverId, parsed);
  }

  public String driverId() { return driverId; }

  public List<OptionSpec> options() { return options; }

  /**
   * The known key a mistyped {@code key} most likely meant: the same but for letter case, else the
   * one closest by edit distance when it is at most 2 (and less than half the key's length), or null.
   */
  static String nearest(String key, List<String> known) {
    for (String k : known) if (k.equalsIgnoreCase(key)) return k;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    for (String k : known) {
      int d = editDistance(lower, k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= 2 && bestDistance * 2 < key.length() ? best : null;
  }

  /** Levenshtein distance (insert, delete, replace one character). */
  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int replace = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(replace, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The spec for a key, or null. */
  public OptionSpec option(String key) {
    for (OptionSpec o : options) if (o.key().equals(key)) return o;
    return null;
  }

  /**
   * Parses and validates {@code values}: unknown keys, missing required options, malformed values
   * and failed {@linkplain #withCheck checks} are all collected into one CONFIG_INVALID error naming
   * each option (secret values are never echoed); {@link #check} returns the same problems one by
   * one. An option's old name (see {@link OptionSpec#renamed}) supplies the current option's value
   * and logs a deprecation warning.
   */
  public Options parse(Map<String, String> values) {
    List<Problem> problems = new ArrayList<>();
    Options result = validate(values, problems);
    if (!problems.isEmpty()) {
      throw DriveException.builder(ErrorKind.CONFIG_INVALID,
              "invalid configuration: " + String.join("; ", problems.stream().map(Problem::message).toList()))
          .driver(driverId).operation("open").build();
    }
    for (String n : result.deprecationNotes()) LOG.warn("{}: {}", driverId, n);
    return result;
  }

  /**
   * Every problem of {@code values} at once, each naming the options it concerns, for a host to
   * show next to the fields of a settings form: the validation of {@link #parse} (so empty exactly
   * when {@code parse} succeeds), without the exception. Logs nothing.
   *
   * @return an immutable list, in the order {@code parse} names them: unknown keys, old and new
   *     name both given, each option in schema order, then the checks between options
   */
  public List<Problem> check(Map<String, String> values) {
    List<Problem> problems = new ArrayList<>();
    validate(values, problems);
    return List.copyOf(problems);
  }

  /** The one validator behind {@link #parse} and {@link #check}: the options that parsed; problems into {@code problems}. */
  private Options validate(Map<String, String> values, List<Problem> problems) {
    Objects.requireNonNull(values, "values");
    List<String> notes = new ArrayList<>();
    Map<String, Object> parsed = new LinkedHashMap<>();
    List<String> known = options.stream().filter(o -> !o.deprecated()).map(OptionSpec::key).toList();
    List<String> unknownKeys = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String key : new TreeSet<>(values.keySet())) {
      if (option(key) == null) {
        String near = nearest(key, known);
        unknownKeys.add(key);
        unknown.add("'" + key + "'" + (near != null ? " (did you mean '" + near + "'?)" : ""));
      }
    }
    if (!unknown.isEmpty()) { // the known keys once, however many are unknown
      problems.add(new Problem(unknownKeys, "unknown option" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " (known: " + String.join(", ", known) + ")"));
    }
    Map<String, String> current = new LinkedHashMap<>(values);
    for (OptionSpec o : options) {
      String raw = blankToNull(o, values.get(o.key()));
      if (raw == null || !o.deprecated()) continue;
      notes.add("option '" + o.key() + "' is deprecated: " + o.deprecation());
      if (o.replacedBy() == null) continue;
      String now = blankToNull(o, values.get(o.replacedBy()));
      if (now != null && !now.equals(raw)) {
        problems.add(new Problem(List.of(o.replacedBy(), o.key()), "options '" + o.replacedBy() + "' and its old name '"
            + o.key() + "' are both given with different values; keep only '" + o.replacedBy() + "'"));
      }
      if (now == null) current.put(o.replacedBy(), raw);
      current.remove(o.key());
    }
    for (OptionSpec o : options) {
      if (o.replacedBy() != null) continue;
      String raw = blankToNull(o, current.get(o.key()));
      if (raw == null) raw = o.defaultValue();
      if (raw == null) {
        if (o.required()) problems.add(new Problem(List.of(o.key()), "option '" + o.key() + "' is required: " + o.description()));
        continue;
      }
      try {
        parsed.put(o.key(), convert(o, raw));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(List.of(o.key()), e.getMessage()));
      }
    }
    Options result = new Options(driverId, parsed, notes);
    int fromChecks = problems.size();
    for (Check c : checks) c.check(result, problems);
    for (int i = fromChecks; i < problems.size(); i++) problems.set(i, checked(problems.get(i), values));
    return result;
  }

  /**
   * A problem a {@linkplain #withCheck check} added, made safe to show: a secret's value in its
   * message is masked, as the schema's own messages never show one. (An option it names that is
   * not in the schema, a slip of the driver, has no field: hosts show the problem above the form.)
   */
  private Problem checked(Problem p, Map<String, String> values) {
    Objects.requireNonNull(p, "a check added null");
    String message = p.message();
    for (OptionSpec o : options) {
      String v = o.secret() ? values.get(o.key()) : null;
      if (v == null) continue;
      for (String shown : new String[] {v, v.trim()}) {
        if (shown.length() >= MIN_MASKED && message.contains(shown)) message = message.replace(shown, "****");
      }
    }
    return message.equals(p.message()) ? p : new Problem(p.options(), message);
  }

  private static String blankToNull(OptionSpec o, String raw) {
    return raw != null && raw.isBlank() && o.type() != OptionType.TEXT ? null : raw;
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
          throw new IllegalArgumentException("option '" + o.key() + "' must be " + range(o) + " but was " + n);
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

  /**
   * The bounds of an INT option in words: "between 1 and 32", or, when one side is open (absent,
   * or the most a long holds), "at least -1" or "at most 100".
   */
  private static String range(OptionSpec o) {
    boolean low = o.min() != null && o.min() != Long.MIN_VALUE;
    boolean high = o.max() != null && o.max() != Long.MAX_VALUE;
    if (low && high) return "between " + o.min() + " and " + o.max();
    return low ? "at least " + o.min() : "at most " + o.max();
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
