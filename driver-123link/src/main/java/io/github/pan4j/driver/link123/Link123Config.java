package io.github.pan4j.driver.link123;

import io.github.pan4j.core.config.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of a {@code 123link} drive.
 *
 * @param tree the tree text: folders and {@code [size:][modified:]URL} lines (see {@link LinkTree})
 * @param privateKey the URL-authentication key (鉴权密钥) from 直链管理, or null to hand out the URLs
 *     unsigned (an empty key counts as none)
 * @param uid the account id (帐号ID) the links belong to; needed when a key is set
 * @param validity how long a signed link works, counted from the moment it is made
 * @param strict read the tree with pan4j's strict reading instead of OpenList's (see {@link LinkTree})
 */
public record Link123Config(String tree, Secret privateKey, long uid, Duration validity, boolean strict) {
  /**
   * The validity used when none is given: the schema's default of {@code directLinkValidity}
   * (30 minutes, as in the 123 console).
   */
  public static final Duration DEFAULT_VALIDITY = Link123Provider.DEFAULTS.duration(Link123Provider.VALIDITY);

  /** A configuration with OpenList's reading of the tree. */
  public Link123Config(String tree, Secret privateKey, long uid, Duration validity) {
    this(tree, privateKey, uid, validity, false);
  }

  public Link123Config {
    Objects.requireNonNull(tree, "tree");
    if (privateKey != null && privateKey.isEmpty()) privateKey = null;
    validity = validity == null ? DEFAULT_VALIDITY : validity;
    if (validity.getSeconds() < 1) {
      throw new IllegalArgumentException("validity must be at least one second but was " + validity);
    }
    if (uid < 0) throw new IllegalArgumentException("uid must not be negative but was " + uid);
    if (privateKey != null && uid == 0) {
      throw new IllegalArgumentException("uid (帐号ID) is required when a private key is set");
    }
  }

  /** A tree whose links are handed out unsigned (URL authentication off in the 123 console). */
  public static Link123Config unsigned(String tree) {
    return new Link123Config(tree, null, 0, DEFAULT_VALIDITY);
  }

  /** A tree whose links are signed with {@code privateKey} for account {@code uid}, valid 30 minutes. */
  public static Link123Config signed(String tree, Secret privateKey, long uid) {
    return new Link123Config(tree, Objects.requireNonNull(privateKey, "privateKey"), uid, DEFAULT_VALIDITY);
  }

  /** This configuration with another validity. */
  public Link123Config withValidity(Duration value) {
    return new Link123Config(tree, privateKey, uid, value, strict);
  }

  /** This configuration with the strict (true) or OpenList (false) reading of the tree. */
  public Link123Config withStrict(boolean value) {
    return new Link123Config(tree, privateKey, uid, validity, value);
  }

  /** The reading of the tree. */
  public LinkTree.Reading reading() {
    return strict ? LinkTree.Reading.STRICT : LinkTree.Reading.OPENLIST;
  }

  /** The signing key, when links are signed. */
  public Optional<Secret> signingKey() {
    return Optional.ofNullable(privateKey);
  }

  @Override
  public String toString() {
    long lines = tree.lines().filter(l -> !l.isBlank()).count();
    return "Link123Config{tree=" + lines + " lines, privateKey=" + (privateKey == null ? "none" : "****")
        + ", uid=" + uid + ", validity=" + validity + (strict ? ", strict" : "") + "}";
  }
}
