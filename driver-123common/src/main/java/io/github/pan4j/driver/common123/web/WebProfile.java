package io.github.pan4j.driver.common123.web;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Everything that identifies our client to the 123云盘 web API, in one replaceable value: hosts,
 * the identity headers and the app version (docs/protocol/123web.md §1, §2.1). When 123 moves a host or
 * starts refusing a client identity, a host application changes this (through the driver options)
 * instead of waiting for a release. The signature keeps {@code web}/{@code 3} whatever the
 * {@code platform} header says (§3.1).
 *
 * @param apiBaseUrl the API base including {@code /b/api}, no trailing slash
 * @param loginBaseUrl the login host; sign-in is {@code POST <loginBaseUrl>/api/user/sign_in}
 * @param origin the {@code origin} header
 * @param referer the {@code referer} header of API calls and of the download redirect probe
 * @param userAgent the {@code user-agent} of API calls
 * @param loginUserAgent the {@code user-agent} of the sign-in call
 * @param platform the {@code platform} header ({@code web} by default)
 * @param appVersion the {@code app-version} header
 */
public record WebProfile(String apiBaseUrl, String loginBaseUrl, String origin, String referer, String userAgent,
    String loginUserAgent, String platform, String appVersion) {

  /** The production API base (OpenList 2026, §1.1). */
  public static final String DEFAULT_API_BASE = "https://yun.123pan.com/b/api";
  /** The production login host (§4.1). */
  public static final String DEFAULT_LOGIN_BASE = "https://login.123pan.com";

  public WebProfile {
    apiBaseUrl = normaliseApiBase(apiBaseUrl);
    loginBaseUrl = trimSlash(Objects.requireNonNull(loginBaseUrl, "loginBaseUrl"));
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(referer, "referer");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(loginUserAgent, "loginUserAgent");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(appVersion, "appVersion");
    if (HttpUrl.parse(loginBaseUrl) == null) throw new IllegalArgumentException("option 'loginBaseUrl' must be an http(s) URL such as "
        + DEFAULT_LOGIN_BASE + " but was '" + loginBaseUrl + "'");
  }

  /** The values of the production web client as OpenList sends them (2026), with our own user agent. */
  public static WebProfile production() {
    return new WebProfile(DEFAULT_API_BASE, DEFAULT_LOGIN_BASE, "https://yun.123pan.com", "https://yun.123pan.com/",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) pan4j-client", "Dart/2.19(dart:io)-pan4j", "web", "3");
  }

  /**
   * This profile on another API host. The {@code origin} and {@code referer} headers follow the
   * API host, as they do for the web client ({@code https://yun.123pan.com} serves both).
   */
  public WebProfile withApiBaseUrl(String v) {
    HttpUrl u = HttpUrl.parse(normaliseApiBase(v));
    String o = u.scheme() + "://" + u.host() + (u.port() == HttpUrl.defaultPort(u.scheme()) ? "" : ":" + u.port());
    return new WebProfile(v, loginBaseUrl, o, o + "/", userAgent, loginUserAgent, platform, appVersion);
  }

  public WebProfile withLoginBaseUrl(String v) {
    return new WebProfile(apiBaseUrl, v, origin, referer, userAgent, loginUserAgent, platform, appVersion);
  }

  public WebProfile withPlatform(String v) {
    return new WebProfile(apiBaseUrl, loginBaseUrl, origin, referer, userAgent, loginUserAgent, v, appVersion);
  }

  public WebProfile withAppVersion(String v) {
    return new WebProfile(apiBaseUrl, loginBaseUrl, origin, referer, userAgent, loginUserAgent, platform, v);
  }

  public WebProfile withUserAgent(String v) {
    return new WebProfile(apiBaseUrl, loginBaseUrl, origin, referer, v, loginUserAgent, platform, appVersion);
  }

  /** The URL of an API endpoint such as {@code file/list/new}. */
  public HttpUrl api(String endpoint) {
    return HttpUrl.get(apiBaseUrl + "/" + endpoint);
  }

  /** The sign-in URL. */
  public HttpUrl signIn() {
    return HttpUrl.get(loginBaseUrl + "/api/user/sign_in");
  }

  /**
   * Accepts a base with or without {@code /b/api}: a bare host ({@code http://127.0.0.1:4100}) gets
   * {@code /b/api} appended.
   */
  static String normaliseApiBase(String raw) {
    Objects.requireNonNull(raw, "apiBaseUrl");
    String s = trimSlash(raw.trim());
    HttpUrl u = HttpUrl.parse(s);
    if (u == null) {
      throw new IllegalArgumentException("option 'apiBaseUrl' must be an http(s) URL such as " + DEFAULT_API_BASE
          + " but was '" + raw.trim() + "'");
    }
    if (u.encodedPath().equals("/")) s = s + "/b/api";
    return s;
  }

  private static String trimSlash(String s) {
    String t = s.trim();
    while (t.endsWith("/")) t = t.substring(0, t.length() - 1);
    return t;
  }
}
