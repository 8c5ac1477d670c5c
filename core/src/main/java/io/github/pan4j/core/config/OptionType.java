package io.github.pan4j.core.config;

/** How an option's text is read and how a host should render its field. */
public enum OptionType {
  /** Free text. */
  STRING,
  /** Write-only text: shown masked, never echoed back, parsed to {@link Secret}. */
  SECRET,
  /** A whole number, optionally bounded. */
  INT,
  /** {@code true} or {@code false}. */
  BOOLEAN,
  /** ISO-8601 ({@code PT30S}) or short form ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}). */
  DURATION,
  /** One of a fixed list of choices. */
  ENUM,
  /** Multi-line free text (for example a 123link tree). */
  TEXT
}
