package io.github.pan4j.driver.common123.internal;

import java.util.List;

/** What 123's error messages say, beyond their codes. Not public API. */
public final class ProviderMessages {
  /**
   * Words of 123's replies for trouble on its side: internal error, busy, try later, the server,
   * the service failing or unavailable. Not "服务" alone: "账号已停止服务" (service stopped for the
   * account) is a refusal.
   */
  private static final List<String> TEMPORARY = List.of("内部", "繁忙", "稍后", "服务器", "服务异常", "服务不可用", "服务暂不可用");

  private ProviderMessages() {}

  /**
   * Whether {@code message} reads as trouble on 123's side ("内部错误", "系统繁忙，请稍后再试",
   * "服务异常"), which says nothing about the request or the credentials: the same request may
   * succeed later. A throttling message also matches; callers tell it apart by its code first.
   */
  public static boolean soundsTemporary(String message) {
    if (message == null) return false;
    for (String word : TEMPORARY) {
      if (message.contains(word)) return true;
    }
    return false;
  }
}
