package io.github.pan4j.driver.share123;

import java.util.Objects;
import java.util.Optional;

/**
 * A share key with the extraction code that came with it, as {@link ShareLinks#parse} found them.
 * Prints without the code.
 *
 * @param key the share key ({@code [A-Za-z0-9_-]+})
 * @param code the extraction code found in the text, if any
 */
public record ShareLink(String key, Optional<String> code) {
  public ShareLink {
    Objects.requireNonNull(key, "key");
    code = code == null ? Optional.empty() : code;
  }

  @Override
  public String toString() {
    return "ShareLink{" + key + (code.isPresent() ? ", code=****" : "") + "}";
  }
}
