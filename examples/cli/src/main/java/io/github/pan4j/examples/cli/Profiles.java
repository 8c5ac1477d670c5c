package io.github.pan4j.examples.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named storages in a properties file:
 *
 * <pre>
 * default = work
 * work.driver = 123open
 * work.clientId = 4f2c...
 * work.clientSecret = ${env:PAN4J_SECRET}
 * home.driver = 123pan
 * home.passport = 13800000000
 * home.password = ${file:~/.config/pan4j/home.password}
 * </pre>
 *
 * Values (here and in {@code --opt}) may be {@code ${env:NAME}} (an environment variable) or
 * {@code ${file:PATH}} (a file's content without its final line break), so secrets need not be
 * written into the file or typed into the shell history. Resolved values are never printed.
 */
final class Profiles {
  private static final Pattern REF = Pattern.compile("\\$\\{(env|file):([^}]*)}");

  private Profiles() {}

  /** The chosen storage: a driver id and its options (references resolved). */
  record Storage(String driverId, Map<String, String> options, String source) {
    @Override
    public String toString() {
      return "Storage{" + driverId + " from " + source + ", options=" + options.keySet() + "}"; // never values
    }
  }

  /**
   * Picks the storage from {@code --driver}/{@code --opt}/{@code --profile} and the config file:
   * {@code --profile NAME} (or {@code $PAN4J_PROFILE}, or the file's {@code default}) gives a driver
   * and options; {@code --driver} alone needs no file; {@code --opt} adds to or overrides options.
   */
  static Storage choose(Options.Storage args, Env env) {
    String driver = args.driver;
    String profile = args.profile;
    Map<String, String> options = new LinkedHashMap<>();
    String source;
    Path config = args.config != null ? env.expand(args.config) : env.defaultConfig();
    if (args.config != null && !Files.isRegularFile(config)) {
      throw new UsageException("config file " + config + (Files.isDirectory(config) ? " is a folder" : " not found")
          + " (--config " + args.config + "); see docs/cli.md for its format");
    }
    if (profile == null && driver == null) {
      String fromEnv = env.variable("PAN4J_PROFILE");
      if (fromEnv != null && !fromEnv.isBlank()) profile = fromEnv.trim();
    }
    if (profile == null && driver == null) {
      Properties p = loadIfPresent(config);
      if (p != null && p.getProperty("default") != null) profile = p.getProperty("default").trim();
    }
    if (profile != null) {
      Properties p = loadIfPresent(config);
      if (p == null) {
        throw new UsageException("profile '" + profile + "' asked for, but there is no config file " + config
            + " (create it, or pass --config PATH; see docs/cli.md)");
      }
      String prefix = profile + ".";
      Map<String, String> found = new TreeMap<>();
      for (String key : p.stringPropertyNames()) {
        if (key.startsWith(prefix)) found.put(key.substring(prefix.length()), p.getProperty(key).trim());
      }
      if (found.isEmpty()) {
        throw new UsageException("no profile '" + profile + "' in " + config + " (known: " + profileNames(p) + ")");
      }
      String profileDriver = found.remove("driver");
      if (profileDriver == null) throw new UsageException("profile '" + profile + "' in " + config + " has no " + prefix + "driver");
      if (driver != null && !driver.equals(profileDriver)) {
        throw new UsageException(args.flags + "driver " + driver + " contradicts profile '" + profile + "' (driver "
            + profileDriver + ")");
      }
      driver = profileDriver;
      for (Map.Entry<String, String> e : found.entrySet()) options.put(e.getKey(), resolve(e.getKey(), e.getValue(), env));
      source = "profile '" + profile + "' in " + config;
    } else if (driver != null) {
      source = args.flags + "driver " + driver;
    } else {
      throw new UsageException("no storage chosen: pass --driver ID [--opt key=value ...] or --profile NAME"
          + " (profiles live in " + config + "); 'pan4j drivers' lists the ids and options");
    }
    for (String kv : args.opts) {
      int eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageException(args.flags + "opt needs key=value but got '" + keyOnly(kv) + "'");
      String key = kv.substring(0, eq).trim();
      options.put(key, resolve(key, kv.substring(eq + 1), env));
    }
    return new Storage(driver, options, source);
  }

  /** Replaces {@code ${env:NAME}} and {@code ${file:PATH}} references; errors never show values. */
  static String resolve(String key, String value, Env env) {
    Matcher m = REF.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      String ref = m.group(2).trim();
      String replacement;
      if (kind.equals("env")) {
        replacement = env.variable(ref);
        if (replacement == null) {
          throw new UsageException("option '" + key + "' refers to environment variable " + ref + ", which is not set");
        }
      } else {
        Path file = env.expand(ref);
        try {
          replacement = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          throw new UsageException("option '" + key + "' refers to file " + file + ", which does not exist");
        } catch (IOException e) {
          throw new UsageException("option '" + key + "' refers to file " + file + ", which cannot be read: " + e.getClass().getSimpleName());
        }
        if (replacement.endsWith("\n")) replacement = replacement.substring(0, replacement.length() - 1);
        if (replacement.endsWith("\r")) replacement = replacement.substring(0, replacement.length() - 1);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String keyOnly(String kv) {
    return kv.length() > 40 ? kv.substring(0, 40) + "..." : kv;
  }

  private static String profileNames(Properties p) {
    TreeMap<String, Boolean> names = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      int dot = k.indexOf('.');
      if (dot > 0) names.put(k.substring(0, dot), true);
    }
    return names.isEmpty() ? "none" : String.join(", ", names.keySet());
  }

  private static Properties loadIfPresent(Path file) {
    if (!Files.isRegularFile(file)) return null;
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
    }
    return p;
  }
}
