package io.github.pan4j.driver.share123;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.http.Redactor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Reads a 123云盘 share key and extraction code out of whatever a user pastes (docs/protocol/123web.md §7.4):
 *
 * <ul>
 *   <li>{@code https://www.123pan.com/s/KEY} and {@code …/s/KEY.html}, on every 123 share host
 *       ({@code 123pan.com}, {@code 123pan.cn}, {@code 123684.com}, {@code 123865.com},
 *       {@code 123912.com}, {@code 123592.com}, with or without {@code www.}, with or without
 *       the scheme);
 *   <li>{@code https://<digits>.share.123pan.cn/123pan/KEY} and {@code mshare.123pan.cn/123pan/KEY};
 *   <li>the code as {@code ?pwd=CODE} (or {@code password}/{@code code}), as {@code #CODE}, as
 *       {@code ?提取码:CODE}, or as text pasted after the link: {@code 提取码：CODE},
 *       {@code 提取码:CODE}, {@code 密码:CODE}, {@code 访问码 CODE}, {@code code=CODE};
 *   <li>a bare key, optionally followed by such text.
 * </ul>
 *
 * <p>A link on another host is refused rather than guessed at.
 */
public final class ShareLinks {
  /** Hosts (and their subdomains) that serve 123云盘 shares. */
  public static final List<String> SHARE_DOMAINS =
      List.of("123pan.com", "123pan.cn", "123684.com", "123865.com", "123912.com", "123592.com");

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern URL_IN_TEXT = Pattern.compile(
      "(?i)(?:https?://)?(?:[a-z0-9-]+\\.)*[a-z0-9-]+\\.[a-z]{2,}(?::\\d+)?/[^\\s，,；;]*");
  private static final Pattern CODE_IN_TEXT = Pattern.compile(
      "(?i)(?:提取码|提取密码|访问码|密码|pwd|password|code)\\s*[:：=]?\\s*([A-Za-z0-9]{1,16})");
  private static final Pattern ALNUM4 = Pattern.compile("[A-Za-z0-9]{4}");

  private ShareLinks() {}

  /**
   * The key and (optional) code in {@code text}.
   *
   * @throws DriveException INVALID_ARGUMENT when no share key can be found
   */
  public static ShareLink parse(String text) {
    if (text == null || text.isBlank()) throw invalid("the share link or key is empty");
    String s = text.strip();
    Matcher url = URL_IN_TEXT.matcher(s);
    if (url.find()) {
      String raw = url.group();
      String rest = (s.substring(0, url.start()) + " " + s.substring(url.end())).strip();
      return fromUrl(raw, rest);
    }
    // A bare key, possibly followed by "提取码：abcd".
    String first = s.split("[\\s，,；;]+", 2)[0];
    int cut = indexOfCodeWord(first);
    String key = cut > 0 ? first.substring(0, cut) : first;
    if (key.toLowerCase(Locale.ROOT).endsWith(".html")) key = key.substring(0, key.length() - 5);
    if (!KEY.matcher(key).matches()) {
      throw invalid("'" + abbreviate(Redactor.text(key)) + "' is neither a share link nor a share key (letters, digits, '-' and '_')");
    }
    return new ShareLink(key, codeInText(s.substring(s.indexOf(key) + key.length())));
  }

  private static ShareLink fromUrl(String raw, String rest) {
    String withScheme = raw.matches("(?i)^https?://.*") ? raw : "https://" + raw;
    HttpUrl u = HttpUrl.parse(withScheme);
    if (u == null) throw invalid("'" + abbreviate(Redactor.text(raw)) + "' is not a URL");
    String host = u.host().toLowerCase(Locale.ROOT);
    boolean known = SHARE_DOMAINS.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
    if (!known) {
      throw invalid("'" + host + "' is not a 123云盘 share host (expected one of " + SHARE_DOMAINS + ")");
    }
    List<String> segs = u.pathSegments();
    String key = null;
    for (int i = 0; i + 1 < segs.size(); i++) {
      if (segs.get(i).equals("s") || segs.get(i).equals("123pan")) {
        key = segs.get(i + 1);
        break;
      }
    }
    if (key == null || key.isEmpty()) {
      throw invalid("the link has no share key (expected …/s/<key> or …/123pan/<key>)");
    }
    Optional<String> code = Optional.empty();
    int cut = indexOfCodeWord(key);
    if (cut > 0) {
      // "…/s/KEY提取码:abcd" pasted without a space: the code rode along in the path.
      code = codeInText(key.substring(cut));
      key = key.substring(0, cut);
    }
    if (key.toLowerCase(Locale.ROOT).endsWith(".html")) key = key.substring(0, key.length() - 5);
    if (!KEY.matcher(key).matches()) throw invalid("'" + abbreviate(Redactor.text(key)) + "' is not a share key");
    for (String name : code.isPresent() ? List.<String>of() : List.of("pwd", "password", "code", "提取码")) {
      for (int i = 0; i < u.querySize(); i++) {
        String v = u.queryParameterValue(i);
        if (u.queryParameterName(i).equalsIgnoreCase(name) && v != null && !v.isBlank()) {
          code = Optional.of(v.strip());
          break;
        }
      }
      if (code.isPresent()) break;
    }
    if (code.isEmpty() && u.query() != null) code = codeInText(u.query());
    if (code.isEmpty() && u.query() != null && u.query().contains(":")) {
      // P123: "?<anything>:CODE" – the last ':'-separated token of the query.
      String last = u.query().substring(u.query().lastIndexOf(':') + 1).strip();
      if (ALNUM4.matcher(last).matches()) code = Optional.of(last);
    }
    if (code.isEmpty()) code = codeInText(rest);
    if (code.isEmpty() && u.fragment() != null && ALNUM4.matcher(u.fragment().strip()).matches()) {
      code = Optional.of(u.fragment().strip());
    }
    return new ShareLink(key, code);
  }

  private static Optional<String> codeInText(String text) {
    if (text == null || text.isBlank()) return Optional.empty();
    Matcher m = CODE_IN_TEXT.matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static int indexOfCodeWord(String s) {
    int best = -1;
    for (String w : List.of("提取码", "提取密码", "访问码", "密码")) {
      int i = s.indexOf(w);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    return best;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  private static DriveException invalid(String message) {
    return DriveException.builder(ErrorKind.INVALID_ARGUMENT, message + "; paste the share link (https://www.123pan.com/s/…)"
        + " or just its key").driver(Share123Provider.ID).build();
  }
}
