package io.github.pan4j.testkit.fake;

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
  volatile long spacePermanent = 2L << 40; // 2 TiB
  volatile String clientId;
  volatile String clientSecret;
  volatile String directLinkKey;
  volatile boolean urlAuth;
  /** Download traffic left today in bytes, or -1 for unlimited. */
  volatile long downloadQuota = -1;
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
  public long downloadQuota() { return downloadQuota; }
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
  /** Sets today's remaining download traffic (-1 = unlimited). */
  public Account downloadQuota(long bytes) { downloadQuota = bytes; return this; }
  /** Replaces the direct-link IP blacklist. */
  public Account forbiddenIps(List<String> ips) { forbiddenIps = List.copyOf(ips); return this; }
  /** Turns the direct-link IP blacklist on or off. */
  public Account forbiddenIpsOn(boolean on) { forbiddenIpsOn = on; return this; }

  @Override
  public String toString() {
    return "Account{uid=" + uid + ", nickname=" + nickname + ", vip=" + vip + "}";
  }
}
