package io.github.pan4j.examples.host;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A config file the host cannot use as written ({@code host.json}, {@code mounts.json}): the start
 * stops with this one line and exit code 2, instead of a stack trace or a host that quietly runs on
 * defaults (and later saves over the file).
 */
final class ConfigError extends IOException {
  ConfigError(String message) {
    super(message);
  }

  ConfigError(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Reads {@code file} as JSON; a syntax error names the file, line and column, and a file that
   * cannot be read says why; both end with {@code hint} (what to do).
   */
  static JsonNode readJson(ObjectMapper mapper, Path file, String hint) throws ConfigError {
    try {
      return mapper.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      // Jackson quotes a bare word it cannot read, which may be a secret typed without its quotes.
      String why = String.valueOf(e.getOriginalMessage()).replaceAll("token '[^']*'", "word (a value without quotes?)");
      throw new ConfigError(file + " is not valid JSON: " + where + why + "; " + hint);
    } catch (IOException e) {
      // Not a file this user can read (a folder, no permission, a disk error): no JSON was seen, so
      // no value of it can be in the message.
      throw new ConfigError(file + " cannot be read (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); make it a file this user may read, or " + hint, e);
    }
  }
}
