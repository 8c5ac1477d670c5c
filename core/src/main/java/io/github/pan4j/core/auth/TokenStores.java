package io.github.pan4j.core.auth;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.internal.http.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * Where tokens are kept by default, and the stores to choose from.
 *
 * <p>The default is {@link #persistent()}: a {@link FileTokenStore} at
 * {@code <state dir>/tokens.json}, so a restart (a nightly job, a host, a CLI run) reuses the
 * token instead of minting one; 123 allows three live tokens per client id, and a fourth logs
 * the oldest out. The state folder is, first found wins: the {@code pan4j.stateDir} system
 * property, {@code $XDG_STATE_HOME/pan4j}, {@code $HOME/.local/state/pan4j}, and
 * {@code <user.home>/.local/state/pan4j}. Choose {@link #inMemory()} explicitly for throw-away
 * programs and tests.
 */
public final class TokenStores {
  /** System property that overrides the state folder (tests, packaged apps). */
  public static final String STATE_DIR_PROPERTY = "pan4j.stateDir";

  private TokenStores() {}

  /** pan4j's state folder for this process's environment (see the class comment). */
  public static Path stateDir() {
    String prop = System.getProperty(STATE_DIR_PROPERTY);
    if (prop != null && !prop.isBlank()) return Path.of(prop);
    return stateDir(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * pan4j's state folder for the given environment: {@code $XDG_STATE_HOME/pan4j}, else
   * {@code $HOME/.local/state/pan4j}, else {@code <userHome>/.local/state/pan4j}.
   */
  public static Path stateDir(Map<String, String> environment, Path userHome) {
    Objects.requireNonNull(environment, "environment");
    String xdg = environment.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg).resolve("pan4j");
    String home = environment.get("HOME");
    Path base = home != null && !home.isBlank() ? Path.of(home) : Objects.requireNonNull(userHome, "userHome");
    return base.resolve(".local").resolve("state").resolve("pan4j");
  }

  /** The default token file, {@code <stateDir>/tokens.json}. */
  public static Path defaultFile() {
    return stateDir().resolve("tokens.json");
  }

  /** The default store: tokens kept in {@link #defaultFile()}, shared by every process of this user. */
  public static TokenStore persistent() {
    return new FileTokenStore(defaultFile());
  }

  /** Tokens kept in this process only: every new process mints a token. */
  public static TokenStore inMemory() {
    return new InMemoryTokenStore();
  }

  /**
   * A token as the JSON text the stores keep (access token in clear: keep it where only the user
   * can read it). Deterministic: equal tokens give equal text, so stores may compare texts.
   */
  public static String encode(Token token) {
    try {
      return Json.mapper().writeValueAsString(FileTokenStore.toJson(Json.mapper(), token));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a token", e);
    }
  }

  /** Reads {@link #encode}'s text; a damaged text is a {@link ErrorKind#PROTOCOL} error that does not echo it. */
  public static Token decode(String text) {
    try {
      return FileTokenStore.fromJson(Json.mapper().readTree(text));
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      throw DriveException.builder(ErrorKind.PROTOCOL, "a stored token cannot be read ("
          + e.getClass().getSimpleName() + "); it will be replaced by a new sign-in").operation("token-store").build();
    }
  }
}
