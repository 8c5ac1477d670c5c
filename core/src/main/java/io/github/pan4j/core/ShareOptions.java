package io.github.pan4j.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a new share looks like: its name, lifetime, extraction code and download-traffic settings.
 * Immutable; start from {@link #DEFAULT} (permanent, no code, name taken from the first entry) and
 * change what you need:
 *
 * <pre>{@code
 * ShareOptions o = ShareOptions.DEFAULT.withExpiry(ShareExpiry.SEVEN_DAYS).withPassword("1a2B");
 * }</pre>
 *
 * Every {@code with…} method checks its input at once and refuses a bad value with
 * {@link ErrorKind#INVALID_ARGUMENT} and a message saying what to change, so nothing malformed is
 * ever sent. Prints without the extraction code.
 *
 * @param name the share's title as visitors see it, or null to let the driver name it after the
 *     first shared entry
 * @param expiry how long the share stays open
 * @param password the extraction code (4 letters or digits), or null for a share anyone with the
 *     link can open
 * @param freeForGuests whether visitors who are not signed in may download through the sharer's
 *     share-traffic package (123's {@code trafficSwitch}); false by default
 * @param freeOverQuota whether signed-in visitors whose own download traffic is used up may
 *     download through the sharer's share-traffic package; false by default
 * @param trafficLimitBytes how much of the sharer's share-traffic package this share may spend, or
 *     -1 for no limit (the default)
 */
public record ShareOptions(String name, ShareExpiry expiry, String password, boolean freeForGuests,
    boolean freeOverQuota, long trafficLimitBytes) {
  /** Longest share name accepted. */
  public static final int MAX_NAME = 255;
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{4}");

  /** Permanent, no extraction code, default name, no traffic settings. */
  public static final ShareOptions DEFAULT = new ShareOptions(null, ShareExpiry.PERMANENT, null, false, false, -1);

  public ShareOptions {
    Objects.requireNonNull(expiry, "expiry");
    if (name != null) name = checkName(name);
    if (password != null && password.isEmpty()) password = null;
    if (password != null) checkPassword(password);
    if (trafficLimitBytes < -1) {
      throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "the traffic limit must be a number of bytes (0 or more), or -1"
          + " for no limit, but was " + trafficLimitBytes);
    }
  }

  public ShareOptions withName(String name) {
    return new ShareOptions(name, expiry, password, freeForGuests, freeOverQuota, trafficLimitBytes);
  }

  public ShareOptions withExpiry(ShareExpiry expiry) {
    return new ShareOptions(name, expiry, password, freeForGuests, freeOverQuota, trafficLimitBytes);
  }

  /** The extraction code: exactly 4 letters or digits (as 123 issues them); null or "" for none. */
  public ShareOptions withPassword(String password) {
    return new ShareOptions(name, expiry, password, freeForGuests, freeOverQuota, trafficLimitBytes);
  }

  /** Which visitors may download through the sharer's share-traffic package. */
  public ShareOptions withFreeTraffic(boolean forGuests, boolean overQuota) {
    return new ShareOptions(name, expiry, password, forGuests, overQuota, trafficLimitBytes);
  }

  /** Caps what the share may spend of the share-traffic package; -1 for no cap. */
  public ShareOptions withTrafficLimit(long bytes) {
    return new ShareOptions(name, expiry, password, freeForGuests, freeOverQuota, bytes);
  }

  /** True when an extraction code is set. */
  public boolean hasPassword() { return password != null; }

  /** True when any traffic setting differs from the default. */
  public boolean hasTrafficSettings() { return freeForGuests || freeOverQuota || trafficLimitBytes >= 0; }

  private static String checkName(String name) {
    String n = name.strip();
    String why = null;
    if (n.isEmpty()) why = "the share name is empty";
    else if (n.codePointCount(0, n.length()) > MAX_NAME) {
      why = "the share name has " + n.codePointCount(0, n.length()) + " characters; at most " + MAX_NAME + " are allowed";
    } else if (n.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) why = "the share name contains a control character";
    if (why != null) {
      throw DriveException.of(ErrorKind.INVALID_ARGUMENT, why + "; give a short title, or none to use the first entry's name");
    }
    return n;
  }

  private static void checkPassword(String code) {
    if (!CODE.matcher(code).matches()) {
      throw DriveException.of(ErrorKind.INVALID_ARGUMENT, "an extraction code is exactly 4 letters or digits (e.g. 1a2B),"
          + " but the one given has " + code.length() + " character(s)"
          + (code.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c)) ? "" : " including other characters")
          + "; choose 4 letters or digits, or none for an open share");
    }
  }

  @Override
  public String toString() {
    return "ShareOptions{" + (name != null ? "name=" + name + ", " : "") + "expiry=" + expiry
        + (password != null ? ", password=****" : "")
        + (freeForGuests ? ", freeForGuests" : "") + (freeOverQuota ? ", freeOverQuota" : "")
        + (trafficLimitBytes >= 0 ? ", trafficLimit=" + trafficLimitBytes : "") + "}";
  }
}
