package io.github.pan4j.examples.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Library messages speak Java (enum constants, method names); on the command line the same advice
 * names the command-line options instead.
 */
final class Messages {
  private static final Map<String, String> WORDS = new LinkedHashMap<>();

  static {
    WORDS.put("choose KEEP_BOTH or OVERWRITE to upload anyway", "pass --overwrite or --keep-both to upload anyway");
    WORDS.put("choose KEEP_BOTH or OVERWRITE", "pass --overwrite to replace it or --keep-both to keep both");
    WORDS.put("check drive.capabilities() first, or use a driver that supports", "'pan4j drivers' shows what each driver can do; use one that supports");
    WORDS.put("then reopen the driver", "then run the command again");
  }

  private Messages() {}

  static String forCli(String message) {
    String m = message;
    for (Map.Entry<String, String> e : WORDS.entrySet()) m = m.replace(e.getKey(), e.getValue());
    return m;
  }
}
