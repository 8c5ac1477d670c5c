package io.github.pan4j.testkit.fake;

import java.time.Instant;

/**
 * A public share of one folder (or file) of an account.
 *
 * @param key the share key as in {@code https://www.123pan.com/s/<key>}
 * @param password the extraction code, or null for none (compared case-insensitively)
 * @param uid the sharing account
 * @param rootId the shared folder; its children are the share's root listing
 * @param expiresAt when the share expires, or null for never
 */
public record Share(String key, String password, long uid, long rootId, Instant expiresAt) {}
