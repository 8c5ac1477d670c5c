package io.github.pan4j.driver.common123.web;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.time.Duration;
import java.util.Locale;

/**
 * Maps the web API's business codes and messages (docs/protocol/123web.md §4.3, §6) to {@link ErrorKind}s
 * with a message that says what to do. Messages are checked before codes for the sign-in walls,
 * because 123 words those with varying codes.
 */
public final class WebErrors {
  /** What the user should do when 123 wants a human to verify the sign-in. */
  public static final String VERIFICATION_HINT =
      "123云盘 wants a human to verify this sign-in (SMS, WeChat or captcha) because the account, device or network"
          + " looks unfamiliar. pan4j will not retry this on its own: sign in once with a browser at https://www.123pan.com"
          + " from this machine or network (or change the password once), then reopen the driver; for unattended use"
          + " prefer the 123open driver (client id and secret)";
  /** What the user should do when too many devices are signed in. */
  public static final String DEVICE_LIMIT_HINT =
      "123云盘 refuses another signed-in device for this account (free accounts allow 3). Sign out on another device"
          + " or wait for old sessions to lapse, keep a persistent token store so restarts reuse the token, then reopen"
          + " the driver; for unattended use prefer the 123open driver";

  private WebErrors() {}

  /** True when the reply says the bearer token is no longer valid (so one re-login may help). */
  public static boolean isSessionExpired(int code, String message) {
    return code == 401 && !isUploadFailure(message);
  }

  /**
   * True for the 401 replies of {@code upload_complete/v2} that report a failed upload, not a bad
   * token ({@code 上传文件大小无效}, {@code 没有找到上传的文件}, the MD5 check's {@code 上传文件校验失败}):
   * docs/protocol/123web.md §5.9.2 and §6.
   */
  static boolean isUploadFailure(String message) {
    String m = message == null ? "" : message;
    return m.contains("上传") || m.contains("没有找到");
  }

  /** True when the message says requests are too frequent (a throttle to wait out). */
  public static boolean isThrottleMessage(String message) {
    String m = message == null ? "" : message;
    return m.contains("频繁") || m.toLowerCase(Locale.ROOT).contains("too many");
  }

  /** True when the message is one of the sign-in walls that need a human. */
  public static boolean isVerificationWall(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return m.contains("安全风险") || m.contains("登录风险") || m.contains("短信验证码") || m.contains("微信")
        || m.contains("验证码") || m.contains("请进行验证") || m.contains("captcha") || m.contains("人机验证");
  }

  /**
   * True when the message says the password (or the account and password) is wrong. The sign-in's
   * code and text for that are not known (docs/protocol/123web.md §4.3), so the text decides, not the
   * code: {@code 账号或密码错误}, {@code 密码错误}, {@code 用户名或密码不正确} and the like.
   */
  public static boolean isWrongPassword(String message) {
    String m = message == null ? "" : message;
    return m.contains("密码错误") || m.contains("密码不正确") || m.contains("或密码");
  }

  /**
   * True when the message says the file was refused by 123's content review ({@code 文件已失效}, the
   * text of an item whose {@code Status} is above 100; docs/protocol/123web.md §5.2).
   */
  static boolean isRefusedByReview(String message) {
    return message != null && message.contains("文件已失效");
  }

  /**
   * True when the message says the account's space is used up (空间不足, 容量). No source shows the
   * web API's refusal of an upload past the quota, so it is recognised by its words, whatever code
   * comes with it (the code 1 it might come with would otherwise be retried).
   */
  public static boolean isSpaceFull(String message) {
    return message != null && (message.contains("空间不足") || message.contains("容量"));
  }

  /** True when the message reports the device limit. */
  public static boolean isDeviceLimit(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return m.contains("123pan forbidden") || m.contains("设备") || m.contains("device limit");
  }

  /**
   * The error for a non-success reply.
   *
   * @param code the envelope code (HTTP status when the envelope had none)
   * @param message the provider's message, verbatim
   */
  public static DriveException.Builder map(int code, String message) {
    String m = message == null ? "" : message;
    if (isVerificationWall(m)) {
      return DriveException.builder(ErrorKind.VERIFICATION_REQUIRED, VERIFICATION_HINT).retryable(false);
    }
    if (isDeviceLimit(m)) {
      return DriveException.builder(ErrorKind.DEVICE_LIMIT, DEVICE_LIMIT_HINT).retryable(false);
    }
    if (m.contains("登录操作频繁")) {
      return DriveException.builder(ErrorKind.RATE_LIMITED,
              "123云盘 saw too many sign-ins for this account; wait at least ten minutes before signing in again,"
                  + " and keep a persistent token store so restarts reuse the token instead of signing in")
          .retryable(false).retryAfter(Duration.ofMinutes(10));
    }
    if (isRefusedByReview(m)) {
      return DriveException.builder(ErrorKind.PERMISSION_DENIED, "123云盘's content review has blocked this file"
              + " (its Status is above 100); it cannot be downloaded. Appeal in 123云盘's web app or delete it")
          .retryable(false);
    }
    if (isSpaceFull(m)) {
      return DriveException.builder(ErrorKind.QUOTA_EXCEEDED, "the account's space is full; free space (delete files and"
              + " empty the recycle bin, whose files count too) or get more space").retryable(false);
    }
    if (m.contains("签名")) {
      return DriveException.builder(ErrorKind.PROTOCOL,
              "the server rejected the request signature; check that this machine's clock is right, or the web protocol"
                  + " changed (update pan4j or the protocol profile options)")
          .retryable(false);
    }
    if (code == 429 || m.contains("频繁")) {
      return DriveException.builder(ErrorKind.RATE_LIMITED, "123云盘 throttled the request; slow down and retry later")
          .retryable(true).retryAfter(Duration.ofSeconds(2));
    }
    if (code == 401 && isUploadFailure(m)) {
      if (m.contains("没有找到")) {
        return DriveException.builder(ErrorKind.PROVIDER_ERROR, "the upload failed: 123云盘 found no uploaded parts for"
                + " this upload (the upload session expired or its parts were lost); nothing was stored, upload the"
                + " file again").retryable(false);
      }
      return DriveException.builder(ErrorKind.INTEGRITY, "the upload failed: 123云盘 found that the uploaded parts do not"
              + " match the declared size or MD5 (did the file change while it was uploaded?); nothing was stored,"
              + " upload the file again once it no longer changes").retryable(false);
    }
    return switch (code) {
      case 401 -> DriveException.builder(ErrorKind.UNAUTHENTICATED, "the server refused the session or credentials")
          .retryable(false);
      case 403 -> DriveException.builder(ErrorKind.RATE_LIMITED,
              "123云盘 temporarily blocked requests from this address; wait and retry, and make fewer requests")
          .retryable(true).retryAfter(Duration.ofSeconds(20));
      case 5060 -> DriveException.builder(ErrorKind.ALREADY_EXISTS, "an entry with that name already exists")
          .retryable(false);
      case 5064 -> DriveException.builder(ErrorKind.INVALID_NAME,
              "the name is not allowed (no \\ / : * ? \" < > |, not blank, fewer than 128 characters)")
          .retryable(false);
      case 5054 -> DriveException.builder(ErrorKind.INVALID_ARGUMENT, "the file exceeds the size this account may upload")
          .retryable(false);
      case 5066 -> DriveException.builder(ErrorKind.NOT_FOUND, "the file does not exist").retryable(false);
      case 5103 -> DriveException.builder(ErrorKind.PASSWORD_REQUIRED,
              "the share's extraction code is missing or wrong, or the share key is wrong; check the link and the code")
          .retryable(false);
      case 5104 -> DriveException.builder(ErrorKind.EXPIRED, "the share has expired; ask the sharer for a new link")
          .retryable(false);
      case 5112 -> DriveException.builder(ErrorKind.UNAUTHENTICATED,
              "this download needs a signed-in 123云盘 account").retryable(false);
      case 5113, 5114 -> DriveException.builder(ErrorKind.QUOTA_EXCEEDED,
              "today's download traffic of the account is used up; it comes back at 00:00 China time (UTC+8), and VIP has no such limit")
          .retryable(false);
      case 1010, 50001, 50002 -> DriveException.builder(ErrorKind.PERMISSION_DENIED,
              "123云盘's risk control refused the download; links are bound to the region and address that asked for"
                  + " them, so fetch through the machine running pan4j (proxy) and retry later")
          // Risk control refuses now and then and lets the next request through: retried (bounded).
          .retryable(true).retryAfter(Duration.ofSeconds(2));
      case 400 -> m.contains("不存在") || m.toLowerCase(Locale.ROOT).contains("sharekey")
          ? DriveException.builder(ErrorKind.NOT_FOUND,
              m.toLowerCase(Locale.ROOT).contains("sharekey") ? "the share key is malformed or unknown" : "the file no longer exists")
              .retryable(false)
          : DriveException.builder(ErrorKind.INVALID_ARGUMENT, "the server refused the request arguments").retryable(false);
      case 1 -> DriveException.builder(ErrorKind.PROVIDER_ERROR, "123云盘 reported an internal error; retry later")
          .retryable(true);
      default -> m.contains("不存在")
          ? DriveException.builder(ErrorKind.NOT_FOUND, "the entry does not exist").retryable(false)
          : DriveException.builder(ErrorKind.PROVIDER_ERROR, "123云盘 refused the request").retryable(false);
    };
  }
}
