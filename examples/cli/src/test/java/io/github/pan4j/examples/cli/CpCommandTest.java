package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.testkit.fake.Fault;
import io.github.pan4j.testkit.fake.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pan4j cp}: the drivers' server-side copy, in-process against the fake cloud over loopback HTTP. */
class CpCommandTest {
  @TempDir Path dir;
  DemoCloud dc;
  CliRunner cli;

  @BeforeEach
  void setUp() {
    dc = new DemoCloud(0);
    cli = new CliRunner(dir);
  }

  @AfterEach
  void tearDown() {
    dc.close();
  }

  private CliRunner.Result as(String driver, String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(List.of("--driver", driver));
    for (Map.Entry<String, String> e : dc.options().get(driver).entrySet()) a.addAll(List.of("--opt", e.getKey() + "=" + e.getValue()));
    a.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    return cli.run(a.toArray(String[]::new));
  }

  private Optional<Node> node(String path) {
    return dc.cloud.store().resolve(dc.account.uid(), path);
  }

  private byte[] bytes(String path) {
    return node(path).orElseThrow(() -> new AssertionError("nothing at " + path)).blob().bytes();
  }

  /** Requests that create a file from content: the open platform's upload endpoints (mkdir shares their prefix) and the upload host. */
  private int uploads() {
    return (int) dc.cloud.requests("open", "/upload/").stream().filter(q -> !q.path().endsWith("/mkdir")).count()
        + dc.cloud.requests("upload", "/").size();
  }

  @Test
  void file_intoAFolder_isOneServerSideCopy_andSendsNoBytes() {
    var r = as("123open", "cp", "/Demo/readme.txt", "/Demo/photos");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/Demo/photos/readme.txt\n", r.out());
    assertArrayEquals(bytes("/Demo/readme.txt"), bytes("/Demo/photos/readme.txt"));
    assertEquals(1, dc.cloud.requests("open", "/api/v1/file/copy").size(), r::toString);
    assertEquals(0, uploads(), "no upload: " + dc.cloud.requests());
    assertEquals(0, dc.cloud.requests("cdn", "/").size(), "no download");
  }

  @Test
  void folder_isCopiedWhole_andATrailingSlashNamesTheTargetFolder() {
    var r = as("123open", "cp", "/Demo/photos/", "/Demo/Shared/");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/Demo/Shared/photos\n", r.out());
    assertArrayEquals(bytes("/Demo/photos/cat.jpg"), bytes("/Demo/Shared/photos/cat.jpg"));
    assertArrayEquals(bytes("/Demo/photos/dog.jpg"), bytes("/Demo/Shared/photos/dog.jpg"));
    assertTrue(node("/Demo/photos/cat.jpg").isPresent(), "the source stays");
    assertFalse(dc.cloud.requests("open", "/api/v1/file/async/copy").isEmpty(), "the folder went by the async copy");
    assertEquals(0, uploads(), "no upload");
  }

  @Test
  void toANewPath_copiesThenRenames_andLeavesNoCopyUnderTheOldName() {
    var r = as("123open", "cp", "/Demo/readme.txt", "/Demo/photos/welcome.txt");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/Demo/photos/welcome.txt\n", r.out());
    assertArrayEquals(bytes("/Demo/readme.txt"), bytes("/Demo/photos/welcome.txt"));
    assertTrue(node("/Demo/photos/readme.txt").isEmpty(), "renamed after the copy");
    assertEquals(0, uploads(), "no upload");
  }

  @Test
  void aNewPathInAMissingFolder_isExit3_andNothingIsCopied() {
    var r = as("123open", "cp", "/Demo/readme.txt", "/Demo/nope/welcome.txt");
    assertEquals(3, r.code(), r::toString);
    assertTrue(r.err().contains("mkdir -p /Demo/nope"), r::toString);
    assertTrue(dc.cloud.requests("open", "/api/v1/file/copy").isEmpty(), r::toString);
  }

  @Test
  void clash_failsWithExit4_unlessOverwrite_whichReplacesTheFile() {
    dc.cloud.store().createFile(dc.account.uid(), node("/Demo/photos").orElseThrow().id(), "readme.txt",
        dc.cloud.store().putBlob(DemoCloud.text("older text")));
    var r = as("123open", "cp", "/Demo/readme.txt", "/Demo/photos/");
    assertEquals(4, r.code(), r::toString);
    assertTrue(r.err().contains("/Demo/photos/readme.txt exists") && r.err().contains("--overwrite"), r::toString);
    assertArrayEquals(DemoCloud.text("older text"), bytes("/Demo/photos/readme.txt"), "left alone");
    assertTrue(dc.cloud.requests("open", "/api/v1/file/copy").isEmpty(), "refused before copying");

    r = as("123open", "cp", "--overwrite", "/Demo/readme.txt", "/Demo/photos/");
    assertEquals(0, r.code(), r::toString);
    assertArrayEquals(bytes("/Demo/readme.txt"), bytes("/Demo/photos/readme.txt"));
  }

  @Test
  void overwrite_neverReplacesAFolder() {
    var r = as("123open", "cp", "--overwrite", "/Demo/photos/cat.jpg", "/Demo/Shared/notes.md");
    assertEquals(0, r.code(), "a file over a file, to a new name: " + r);
    assertArrayEquals(bytes("/Demo/photos/cat.jpg"), bytes("/Demo/Shared/notes.md"));
    assertTrue(node("/Demo/Shared/cat.jpg").isEmpty(), "renamed after the copy");
    dc.cloud.store().mkdir(dc.account.uid(), node("/Demo/Shared").orElseThrow().id(), "readme.txt");
    r = as("123open", "cp", "--overwrite", "/Demo/readme.txt", "/Demo/Shared/");
    assertEquals(4, r.code(), r::toString);
    assertTrue(r.err().contains("rm -r /Demo/Shared/readme.txt"), r::toString);
    assertTrue(node("/Demo/Shared/readme.txt").orElseThrow().folder(), "the folder stays");
  }

  /** Everything in {@code path}'s folder, the trash included, whose name is one of cp's temporary folders. */
  private List<String> temporaryFolders(String path) {
    return dc.cloud.store().children(dc.account.uid(), node(path).orElseThrow().id(), true).stream()
        .map(Node::name).filter(n -> n.startsWith(".pan4j-cp-")).toList();
  }

  private static final String REFUSED = "{\"code\":1,\"message\":\"操作失败\",\"data\":null,\"x-traceID\":\"t-cp\"}";

  @Test
  void toANewNameInTheSameFolder_goesThroughATemporaryFolder_thatIsGoneAfterwards() {
    var r = as("123open", "cp", "/Demo/readme.txt", "/Demo/readme-2.txt");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/Demo/readme-2.txt\n", r.out());
    assertArrayEquals(bytes("/Demo/readme.txt"), bytes("/Demo/readme-2.txt"));
    assertEquals(1, dc.cloud.requests("open", "/api/v1/file/copy").size(), "one server-side copy: " + r);
    assertEquals(1, dc.cloud.requests("open", "/api/v1/file/move").size(), r::toString);
    assertEquals(List.of(), temporaryFolders("/Demo"), "not left in the folder nor in the trash");
    assertEquals(0, uploads(), "no upload");
    assertEquals("", r.err(), "nothing to report");
  }

  @Test
  void aFolderToANewNameInItsOwnFolder_on123pan_isCopiedWhole() {
    var r = as("123pan", "cp", "/Demo/photos", "/Demo/photos-2");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/Demo/photos-2\n", r.out());
    assertArrayEquals(bytes("/Demo/photos/cat.jpg"), bytes("/Demo/photos-2/cat.jpg"));
    assertArrayEquals(bytes("/Demo/photos/dog.jpg"), bytes("/Demo/photos-2/dog.jpg"));
    assertTrue(node("/Demo/photos/cat.jpg").isPresent(), "the source stays");
    assertEquals(List.of(), temporaryFolders("/Demo"));
    // The web API creates a folder through upload_request too: the temporary folder's is the only one, no upload.
    assertEquals(1, dc.cloud.requests("web", "/b/api/file/upload_request").size(), r::toString);
  }

  @Test
  void aNewNameInAnotherFolderThatHoldsTheSourcesName_leavesThatFileAlone() {
    dc.cloud.store().createFile(dc.account.uid(), node("/Demo/photos").orElseThrow().id(), "readme.txt",
        dc.cloud.store().putBlob(DemoCloud.text("older text")));
    var r = as("123open", "cp", "/Demo/readme.txt", "/Demo/photos/welcome.txt");
    assertEquals(0, r.code(), r::toString);
    assertArrayEquals(bytes("/Demo/readme.txt"), bytes("/Demo/photos/welcome.txt"));
    assertArrayEquals(DemoCloud.text("older text"), bytes("/Demo/photos/readme.txt"), "left alone");
    assertEquals(List.of(), temporaryFolders("/Demo/photos"));
  }

  @Test
  void aFailedStepThroughTheTemporaryFolder_removesIt_andSaysSo() {
    dc.cloud.inject("open", q -> q.path().equals("/api/v1/file/move"), Fault.status(200, REFUSED), 1);
    var r = as("123open", "cp", "/Demo/readme.txt", "/Demo/readme-2.txt");
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.err().startsWith("pan4j: 123open: cp /Demo/readme-2.txt: "), r::toString);
    assertTrue(r.err().contains("操作失败") && r.err().contains("t-cp"), "keeps 123's words and trace id: " + r);
    assertTrue(r.err().contains("the temporary folder /Demo/.pan4j-cp-") && r.err().contains("was removed"), r::toString);
    assertTrue(node("/Demo/readme-2.txt").isEmpty());
    assertEquals(List.of(), temporaryFolders("/Demo"), "removed, with the copy in it");
    assertTrue(node("/Demo/readme.txt").isPresent(), "the source stays");
  }

  @Test
  void aCopyRefusedForSpace_isExit6_andTheTemporaryFolderIsGone() {
    dc.account.spacePermanent(dc.cloud.store().spaceUsed(dc.account.uid()));
    var r = as("123open", "cp", "/Demo/readme.txt", "/Demo/readme-2.txt");
    assertEquals(6, r.code(), r::toString);
    assertTrue(r.err().contains("space") && r.err().contains("was removed"), r::toString);
    assertTrue(node("/Demo/readme-2.txt").isEmpty());
    assertEquals(List.of(), temporaryFolders("/Demo"));
  }

  @Test
  void whenTheTemporaryFolderCannotBeRemovedEither_theMessageSaysWhereTheCopyIs() {
    dc.cloud.inject("open", q -> q.path().equals("/api/v1/file/move"), Fault.status(200, REFUSED), 1);
    dc.cloud.inject("open", q -> q.path().equals("/api/v1/file/trash"), Fault.status(200, REFUSED), 1);
    var r = as("123open", "cp", "/Demo/readme.txt", "/Demo/readme-2.txt");
    assertEquals(1, r.code(), r::toString);
    List<String> left = temporaryFolders("/Demo");
    assertEquals(1, left.size(), r::toString);
    String temp = "/Demo/" + left.get(0);
    assertTrue(r.err().contains("the temporary folder " + temp + " could not be removed"), r::toString);
    assertTrue(r.err().contains("pan4j rm -r " + temp), r::toString);
    assertArrayEquals(bytes("/Demo/readme.txt"), bytes(temp + "/readme-2.txt"), "the renamed copy waits there");
  }

  @Test
  void ontoItself_orAFolderIntoItself_isAUsageError() {
    assertEquals(2, as("123open", "cp", "/Demo/readme.txt", "/Demo").code());
    var r = as("123open", "cp", "/Demo/photos", "/Demo/photos");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("into itself"), r::toString);
  }

  @Test
  void onATerminal_aWaitingLineIsDrawnAndEnded() {
    cli.terminal = true;
    var r = as("123open", "cp", "/Demo/photos", "/Demo/Shared");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.err().startsWith("\rphotos  copying in the cloud, a folder with everything in it..."), r::toString);
    assertTrue(r.err().endsWith("\n"), r::toString);
    assertEquals("/Demo/Shared/photos\n", r.out(), "stdout has the path only");
    assertEquals("", as("123open", "cp", "-q", "/Demo/readme.txt", "/Demo/Shared").err(), "--quiet draws nothing");
  }

  @Test
  void on123pan_tooTheCopyIsServerSide() {
    var r = as("123pan", "cp", "/Demo/readme.txt", "/Demo/photos/hello.txt");
    assertEquals(0, r.code(), r::toString);
    assertEquals("/Demo/photos/hello.txt\n", r.out());
    assertArrayEquals(bytes("/Demo/readme.txt"), bytes("/Demo/photos/hello.txt"));
    assertFalse(dc.cloud.requests("web", "/b/api/restful/goapi/v1/file/copy").isEmpty(), "123's copy task");
    assertTrue(dc.cloud.requests("web", "/b/api/file/upload_request").isEmpty(), "no upload");
  }

  @Test
  void aDriverWithoutCopy_isExit7_withWhatToDoInstead() {
    var r = as("123share", "cp", "/notes.md", "/handbook");
    assertEquals(7, r.code(), r::toString);
    assertTrue(r.err().startsWith("pan4j: 123share: cp /notes.md: this driver cannot copy in the cloud"), r::toString);
    assertTrue(r.err().contains("pan4j get, then pan4j put"), r::toString);
    assertFalse(r.err().contains("capabilities()") || r.err().contains(DemoCloud.SHARE_PASSWORD), r::toString);
  }
}
