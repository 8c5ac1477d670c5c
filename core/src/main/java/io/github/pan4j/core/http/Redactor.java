package io.github.pan4j.core.http;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Removes secrets from text headed for logs: query parameters, JSON fields and headers whose
 * names suggest a credential (password, secret, token, key, signature, share code).
 */
public final class Redactor {
  private static final String MASK = "****";
  private static final Pattern SENSITIVE_NAME = Pattern.compile(
      "(?i).*(pass(word)?|pwd|secret|token|auth|key|sign|cookie|credential|session).*");
  // A string field; its value may end without its closing quote (text cut off mid-value, as a
  // snippet of a reply or a reply cut on its way).
  private static final Pattern JSON_STRING_FIELD = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)(?:\"|\\\\?$)");
  private static final Pattern PAIR_IN_TEXT = Pattern.compile("(^|[?&#;,\\s])([^=&#?;,\\s]+)=([^&#;,\\s]*)");
  private static final Pattern CODE_IN_TEXT = Pattern.compile("((?:提取码|提取密码|访问码|密码)\\s*[:：]?\\s*|(?<=[A-Za-z0-9_-]{4})#)[^\\s&,，;；]+");
  private static final Set<String> SAFE_NAMES = Set.of("sharekey", "filename", "etag", "key_id", "s3keyflag");
  /**
   * Names the pattern cannot catch: {@code s} is the signature of 123's CDN download URLs,
   * {@code refresh_ui} the refresh token sent to a token renewal service.
   */
  private static final Set<String> SENSITIVE_NAMES = Set.of("s", "refresh_ui");

  private Redactor() {}

  /** True when a header, parameter or field of that name may carry a secret. */
  public static boolean isSensitive(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (SAFE_NAMES.contains(n)) return false;
    // 123's web signature parameter has an all-digit name; its value is derived from the clock only,
    // but treat it as sensitive to keep logs boring.
    return SENSITIVE_NAMES.contains(n) || SENSITIVE_NAME.matcher(n).matches() || n.chars().allMatch(Character::isDigit);
  }

  /** The URL with sensitive query values masked; text that is not a URL loses its query. */
  public static String url(String url) {
    HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
    if (parsed != null) return url(parsed);
    return url == null ? null : url.replaceAll("\\?.*$", "?" + MASK);
  }

  /** The URL with sensitive query values masked (for the engine's request log). */
  static String url(HttpUrl url) {
    if (url.querySize() == 0) return url.toString();
    HttpUrl.Builder b = url.newBuilder().query(null);
    for (int i = 0; i < url.querySize(); i++) {
      String name = url.queryParameterName(i);
      String value = url.queryParameterValue(i);
      b.addQueryParameter(name, value == null ? null : isSensitive(name) ? MASK : value);
    }
    return b.build().toString();
  }

  /**
   * Free text (an option value, a pasted link) with the values of sensitive {@code name=value}
   * pairs masked, and the code after a share's code word ({@code 提取码}, {@code 访问码},
   * {@code 密码}) or after a link's {@code #}.
   */
  public static String text(String text) {
    if (text == null) return null;
    Matcher m = PAIR_IN_TEXT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = isSensitive(m.group(2)) ? m.group(1) + m.group(2) + "=" + MASK : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return CODE_IN_TEXT.matcher(out).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
  }

  /** A header value masked when the header is sensitive. */
  public static String header(String name, String value) {
    return isSensitive(name) ? MASK : value;
  }

  /**
   * JSON text with the string values of sensitive fields masked, also in text cut off inside such
   * a value (the start of a reply, a reply cut on its way).
   */
  public static String json(String json) {
    if (json == null) return null;
    Matcher m = JSON_STRING_FIELD.matcher(json);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = isSensitive(m.group(1)) ? "\"" + m.group(1) + "\":\"" + MASK + "\"" : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
