package io.github.pan4j.core;

/** The stages of an upload, in order. Not every upload passes through every stage. */
public enum UploadPhase {
  /** Reading the source to compute MD5 and SHA-1. */
  HASHING,
  /** Asking the provider whether it already has the content (instant upload). */
  PREPARING,
  /** Sending bytes. */
  TRANSFERRING,
  /** Waiting for the provider to assemble and verify the file. */
  COMPLETING,
  /** Checking the stored file's size and hash against the source. */
  VERIFYING,
  /** Finished. */
  DONE
}
