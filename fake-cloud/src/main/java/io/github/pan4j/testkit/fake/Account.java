package io.github.pan4j.testkit.fake;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A user of the fake cloud, with the credentials each front door accepts. Fields are mutable so
 * tests can change a plan or a password mid-test; the store's lock guards them.
 */
public final class Account {
  private final long uid;
  volatile String nickname;
  volatile String phone;
  volatile String mail;
  volatile String password;
  volatile boolean vip;
  /** 1 VIP, 2 SVIP, 3 long-term VIP (the open platform's {@code vipInfo[].vipLevel}); used while {@link #vip}. */
  volatile int vipLevel = 1;
  volatile long spacePermanent = 2L << 40; // 2 TiB
  volatile String clientId;
  volatile String clientSecret;
  volatile String directLinkKey;
  volatile boolean urlAuth;
  /**
   * Download traffic per day in bytes for this account while it has no VIP, or -1 for unlimited.
   * 123's refusal (5113) speaks of "today" and says VIP members download without limit, so the
   * spending is counted per day of China Standard Time and VIP accounts are never refused.
   */
  volatile long downloadQuota = -1;
  private long spentToday; // guarded by this
  private LocalDate spentOn; // the CST day spentToday counts, guarded by this
  /** Direct-link traffic left in bytes (the open platform's {@code directTraffic}). */
  volatile long directTraffic = 1L << 40;
  /** The direct-link IP blacklist of the open platform's developer settings, and whether it is on. */
  private volatile List<String> forbiddenIps = List.of();
  volatile boolean forbiddenIpsOn;

  Account(long uid) {
    this.uid = uid;
  }

  public long uid() { return uid; }
  public String nickname() { return nickname; }
  public String phone() { return phone; }
  public String mail() { return mail; }
  public String password() { return password; }
  public boolean vip() { return vip; }
  public long spacePermanent() { return spacePermanent; }
  public String clientId() { return clientId; }
  public String clientSecret() { return clientSecret; }
  /** The direct-link URL-auth private key, or null. */
  public String directLinkKey() { return directLinkKey; }
  /** Whether the direct-link CDN requires {@code auth_key}. */
  public boolean urlAuth() { return urlAuth; }
  /** The daily download allowance without VIP, -1 for unlimited. */
  public long downloadQuota() { return downloadQuota; }
  /** 1 VIP, 2 SVIP or 3 long-term VIP: what both APIs report while {@link #vip()}. */
  public int vipLevel() { return vipLevel; }
  /**
   * The label of {@link #vipLevel()}: the docs show "SVIP" for level 2; 123's labels for levels 1
   * and 3 are UNKNOWN, so the fake says "VIP" and "长期VIP" (their names in the docs' table).
   */
  public String vipLabel() { return VIP_LABELS[vipLevel - 1]; }
  /** Direct-link traffic left in bytes; the direct-link CDN takes what it serves off it. */
  public long directTraffic() { return directTraffic; }
  /** The IPv4 addresses on the direct-link blacklist, in the order they were set. */
  public List<String> forbiddenIps() { return forbiddenIps; }
  /** Whether the direct-link blacklist is on (status 1) rather than off (status 2, the default). */
  public boolean forbiddenIpsOn() { return forbiddenIpsOn; }

  public Account nickname(String v) { nickname = v; return this; }
  public Account phone(String v) { phone = v; return this; }
  public Account mail(String v) { mail = v; return this; }
  public Account password(String v) { password = v; return this; }
  public Account vip(boolean v) { vip = v; return this; }
  public Account spacePermanent(long v) { spacePermanent = v; return this; }
  public Account client(String id, String secret) { clientId = id; clientSecret = secret; return this; }
  /** Turns on URL authentication for direct links with this private key (null turns it off). */
  public Account urlAuth(String privateKey) { directLinkKey = privateKey; urlAuth = privateKey != null; return this; }
  /** Sets the VIP level reported while {@link #vip()}: 1 VIP, 2 SVIP, 3 long-term VIP. */
  public Account vipLevel(int level) {
    if (level < 1 || level > 3) throw new IllegalArgumentException("vipLevel is 1, 2 or 3, not " + level);
    vipLevel = level;
    return this;
  }

  /**
   * Sets the daily download allowance without VIP (-1 = unlimited) and forgets what was spent
   * today, so that {@code bytes} are left until the next midnight (China Standard Time).
   */
  public Account downloadQuota(long bytes) {
    synchronized (this) {
      downloadQuota = bytes;
      spentToday = 0;
      spentOn = null;
    }
    return this;
  }

  /** Sets the direct-link traffic left, in bytes. */
  public synchronized Account directTraffic(long bytes) { directTraffic = Math.max(0, bytes); return this; }

  /** The download traffic left on {@code now}'s day, or -1 when unlimited (no quota, or VIP). */
  public synchronized long downloadLeft(Instant now) {
    if (vip || downloadQuota < 0) return -1;
    roll(now);
    return Math.max(0, downloadQuota - spentToday);
  }

  /**
   * Takes {@code bytes} off the day's download traffic; false (nothing taken) when less is left,
   * or nothing at all. Always true while unlimited.
   */
  synchronized boolean spendDownload(long bytes, Instant now) {
    long left = downloadLeft(now);
    if (left < 0) return true;
    if (left == 0 || left < bytes) return false;
    spentToday += bytes;
    return true;
  }

  /** Takes {@code bytes} served by a direct link off {@link #directTraffic}, down to 0. */
  synchronized void spendDirectTraffic(long bytes) {
    directTraffic = Math.max(0, directTraffic - bytes);
  }

  private void roll(Instant now) {
    LocalDate day = LocalDate.ofInstant(now, CST);
    if (!day.equals(spentOn)) {
      spentOn = day;
      spentToday = 0;
    }
  }

  private static final ZoneOffset CST = ZoneOffset.ofHours(8);
  private static final String[] VIP_LABELS = {"VIP", "SVIP", "长期VIP"};
  /** Replaces the direct-link IP blacklist. */
  public Account forbiddenIps(List<String> ips) { forbiddenIps = List.copyOf(ips); return this; }
  /** Turns the direct-link IP blacklist on or off. */
  public Account forbiddenIpsOn(boolean on) { forbiddenIpsOn = on; return this; }

  @Override
  public String toString() {
    return "Account{uid=" + uid + ", nickname=" + nickname + ", vip=" + vip + "}";
  }
}
