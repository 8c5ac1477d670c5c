package io.github.pan4j.examples.host;

import java.util.Locale;

/** How a mount hands out file bytes. */
enum DownloadMode {
  /** The driver decides: proxy when its link says {@code preferProxy()}, else a 302 redirect. */
  AUTO,
  /** 302 to the driver's link: the user's device fetches from the provider directly. */
  REDIRECT,
  /** The host streams the bytes itself (with Range support), sending the headers the link needs. */
  PROXY,
  /** 302 to an external download proxy: {@code <proxyUrl>/<mount>/<path>?sign=…}. */
  PROXY_URL;

  String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static DownloadMode parse(String s) {
    if (s == null || s.isBlank()) return AUTO;
    for (DownloadMode m : values()) if (m.key().equalsIgnoreCase(s.trim()) || m.name().equalsIgnoreCase(s.trim())) return m;
    throw new IllegalArgumentException("download mode must be one of auto, redirect, proxy, proxy_url but was '" + s + "'");
  }
}
