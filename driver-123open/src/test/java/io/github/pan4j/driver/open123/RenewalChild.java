package io.github.pan4j.driver.open123;

import io.github.pan4j.core.auth.FileTokenStore;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A separate pan4j process for {@link Open123RenewalProcessesTest}: opens 123open in the
 * renewal-service mode over a shared {@link FileTokenStore} and lists the root folder.
 *
 * <pre>
 *   &lt;apiBaseUrl&gt; &lt;token file&gt; &lt;renewalServiceUrl&gt;
 * </pre>
 *
 * Reads the access token and the refresh token from stdin (one a line), opens the driver, prints
 * {@code OPENED}, waits for one more line, lists. Prints {@code LISTED <entries>} and exits 0 when the listing worked; prints the error and exits 1 otherwise.
 */
public final class RenewalChild {
  private RenewalChild() {}

  public static void main(String[] args) throws Exception {
    // Tokens on stdin, not on the command line, where every process listing would show them.
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String access = in.readLine().trim();
    String refresh = in.readLine().trim();
    DriverContext ctx = DriverContext.builder().tokenStore(new FileTokenStore(Path.of(args[1]))).build();
    Map<String, String> options = Map.of("apiBaseUrl", args[0], "renewalServiceUrl", args[2],
        "accessToken", access, "refreshToken", refresh);
    try (Driver d = new Open123Provider().openWith(options, ctx)) {
      System.out.println("OPENED");
      System.out.flush();
      in.readLine(); // "go": the parent starts both listings at once
      System.out.println("LISTED " + d.list("0", null).entries().size());
    } catch (RuntimeException e) {
      System.out.println("FAIL " + e);
      System.exit(1);
    }
  }
}
