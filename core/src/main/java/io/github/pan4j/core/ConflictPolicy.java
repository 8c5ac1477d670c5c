package io.github.pan4j.core;

/** What an upload does when the target folder already holds an entry of that name. */
public enum ConflictPolicy {
  /** Refuse with {@link ErrorKind#ALREADY_EXISTS}; nothing is sent. The default. */
  FAIL,
  /** Keep both; the provider gives the new file a suffixed name. */
  KEEP_BOTH,
  /** Replace the existing file. */
  OVERWRITE
}
