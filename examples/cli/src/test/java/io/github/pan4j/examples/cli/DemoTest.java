package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pan4j demo} end to end, as CI runs it. */
class DemoTest {
  @TempDir Path dir;
  @TempDir static Path demoDir;
  /** One demo run (about 8 s) for the tests that read its output. */
  private static CliRunner.Result demo;

  @BeforeAll
  static void runDemo() {
    demo = new CliRunner(demoDir).run("demo");
  }

  @Test
  void demo_everyStepWorks_exit0() {
    var r = demo;
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("All ") && r.out().contains(" steps worked"), r::toString);
  }

  @Test
  void demo_shareStepDownloadsARefusedFileThroughThe123openDrive() {
    var r = demo;
    assertEquals(0, r.code(), r::toString);
    String out = r.out();
    String step = section(out, ". download through your 123 Open account", "\n\n");
    // The share is asked first and refuses without a sign-in; the file then comes through 123open.
    assertTrue(step.contains("\n   asked first, the share refused: UNAUTHENTICATED (code 5112)\n"), step);
    assertTrue(step.contains("\n   ok (") && step.contains("through 123open: copy /pan4j-cache/"
        + Demo.md5(DemoCloud.random(200 * 1024, 3)) + "/handbook.pdf made with 0 bytes sent; 200 KiB, MD5 matches"), step);
    // Among the 123share steps, after the share's own download and before its refusal to write.
    assertTrue(out.indexOf("15. download, bytes checked") < out.indexOf("16. download through your 123 Open account")
        && out.indexOf("16. download through") < out.indexOf("17. writing is refused"), out);
    assertTrue(out.contains("All 19 steps worked"), out);
    for (String secret : List.of(OpenApiFrontDoor.DEMO_CLIENT_SECRET, WebFrontDoor.DEMO_PASSWORD)) {
      assertFalse(out.contains(secret), "the demo printed a secret: " + out);
    }
  }

  /** The text of {@code out} from the line holding {@code marker} to {@code end}. */
  private static String section(String out, String marker, String end) {
    int at = out.indexOf(marker);
    assertTrue(at >= 0, "no '" + marker + "' in:\n" + out);
    int from = out.lastIndexOf('\n', at) + 1;
    int to = out.indexOf(end, at);
    return out.substring(from, to < 0 ? out.length() : to);
  }

  @Test
  void fakeCloud_once_printsUrlsCredentialsAndCommands() {
    var r = new CliRunner(dir).run("fake-cloud", "--port", "0", "--once");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().contains("demo-client") && r.out().contains("--driver 123open") && r.out().contains("--driver 123link"), r::toString);
  }
}
