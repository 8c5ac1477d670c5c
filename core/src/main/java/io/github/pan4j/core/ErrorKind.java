package io.github.pan4j.core;

/**
 * What went wrong, independent of the driver that reported it.
 *
 * <p>Callers branch on the kind ({@code switch (e.kind())}) or catch the few subclasses of
 * {@link DriveException} that exist for the kinds handled most often. Kinds are stable: a new
 * provider error maps to an existing kind where one fits.
 */
public enum ErrorKind {
  /** The path or id does not exist (or is in the trash). */
  NOT_FOUND,
  /** An entry with that name already exists in the target folder. */
  ALREADY_EXISTS,
  /** The operation needs a folder but the target is a file. */
  NOT_A_DIRECTORY,
  /** The operation needs a file but the target is a folder. */
  IS_A_DIRECTORY,
  /** The account may not do this (review block, missing VIP feature, read-only share). */
  PERMISSION_DENIED,
  /** Credentials were rejected or the token could not be renewed. */
  UNAUTHENTICATED,
  /** The provider wants a human to verify the sign-in (SMS, WeChat, captcha, unknown region). */
  VERIFICATION_REQUIRED,
  /** Too many devices or tokens are signed in to the account. */
  DEVICE_LIMIT,
  /** A share needs an extraction code, or the one given is wrong. */
  PASSWORD_REQUIRED,
  /** A share or link has expired. */
  EXPIRED,
  /** The provider throttled the request; retry later. */
  RATE_LIMITED,
  /** Space or download traffic is used up. */
  QUOTA_EXCEEDED,
  /** The name breaks the provider's naming rules. */
  INVALID_NAME,
  /** An argument is out of range (file too large, bad path, empty upload where refused). */
  INVALID_ARGUMENT,
  /** Driver options are missing or malformed. */
  CONFIG_INVALID,
  /** The driver cannot do this operation. */
  UNSUPPORTED,
  /** The connection failed or timed out. */
  NETWORK,
  /** Data did not arrive intact: a hash or size check failed, or an upload was not confirmed. */
  INTEGRITY,
  /** The provider answered something the driver does not understand (HTML, wrong shape). */
  PROTOCOL,
  /** Any other error reported by the provider. */
  PROVIDER_ERROR,
  /** The caller cancelled the operation (thread interrupt). */
  CANCELLED
}
