package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user met (issue: docs that run as written, a command line built on picocli), one test each. */
class NewUserFindingsTest {
  @TempDir Path dir;
  CliRunner cli;
  Drive drive;

  @BeforeEach
  void setUp() {
    drive = Drives.open("memory");
    cli = new CliRunner(dir);
    cli.drive = drive;
    drive.mkdirs("/x");
    drive.put("/x/readme.txt", "read me\n".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    drive.close();
  }

  // 3: an interrupted get or put - leaves no part file and no staged copy; the hook says so.

  @Test
  void interruptHook_removesRegisteredFiles_endsProgressLine_andSaysSo() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Progress progress = new Progress(err, "big.bin", true, () -> 0);
    progress.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, 100, false));
    Path part = Files.createFile(dir.resolve(".big.bin.abc.pan4j-part"));
    Path kept = Files.createFile(dir.resolve("kept"));
    try (Interrupts interrupts = Interrupts.install(cli.runEnv(), err, progress)) {
      interrupts.removeOnInterrupt(part, "the partial download was removed");
      interrupts.removeOnInterrupt(kept, "never");
      interrupts.forget(kept);
      interrupts.run();
    }
    assertFalse(Files.exists(part));
    assertTrue(Files.exists(kept));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("\n" + "pan4j: interrupted; the partial download was removed\n"), text);
  }

  @Test
  void aPartFile_isKnownToTheHook_beforeItExists() throws Exception {
    // A stop that lands right after the part file was created must still remove it (a SIGTERM
    // sent as soon as the file showed up once found it unregistered and left it behind).
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Progress progress = new Progress(err, "big.bin", true, () -> 0);
    java.util.concurrent.atomic.AtomicReference<Boolean> existedWhenRegistered = new java.util.concurrent.atomic.AtomicReference<>();
    try (Interrupts interrupts = Interrupts.install(cli.runEnv(), err, progress)) {
      Path part = LocalPaths.createPart(dir.resolve("big.bin"), interrupts, f -> {
        existedWhenRegistered.set(Files.exists(f));
        return "the partial download was removed";
      });
      assertTrue(Files.exists(part));
      assertEquals(Boolean.FALSE, existedWhenRegistered.get(), "registered before it was created");
      interrupts.run();
      assertFalse(Files.exists(part), "the hook removed it");
    }
  }

  @Test
  void getAndPutStdin_success_leaveNoPartOrStagedFile() throws Exception {
    assertEquals(0, cli.run("get", "/x/readme.txt", ".").code());
    try (Stream<Path> s = Files.list(cli.cwd)) {
      assertEquals(List.of("readme.txt"), s.map(p -> p.getFileName().toString()).toList());
    }
    String tmp = System.getProperty("java.io.tmpdir");
    List<String> before = stdinCopies(tmp);
    cli.stdin = "from stdin".getBytes(StandardCharsets.UTF_8);
    assertEquals(0, cli.run("put", "-", "/x/in.txt").code());
    assertEquals(before, stdinCopies(tmp));
  }

  private static List<String> stdinCopies(String tmp) throws Exception {
    try (Stream<Path> s = Files.list(Path.of(tmp))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pan4j-stdin-")).sorted().toList();
    }
  }

  // 4: get follows cp: LOCAL/ must be an existing folder; a missing folder is an error that says so.

  @Test
  void get_intoMissingFolderWithSlash_exit3_createsNothing() throws Exception {
    var r = cli.run("get", "/x/readme.txt", "DIR/");
    assertEquals(3, r.code(), r::toString);
    assertTrue(r.err().contains("no such local folder"), r::toString);
    assertFalse(Files.exists(cli.cwd.resolve("DIR")), "no file named DIR");
  }

  @Test
  void get_missingParentFolder_exit3_namesFolder_noInternals() {
    var r = cli.run("get", "/x/readme.txt", "nope/sub/file.txt");
    assertEquals(3, r.code(), r::toString);
    assertTrue(r.err().contains("the local folder " + cli.cwd.resolve("nope/sub") + " does not exist"), r::toString);
    assertFalse(r.err().contains("NoSuchFileException") || r.err().contains("pan4j-part"), r::toString);
  }

  @Test
  void get_intoExistingFolderWithSlash_keepsRemoteName() throws Exception {
    Files.createDirectories(cli.cwd.resolve("DIR"));
    assertEquals(0, cli.run("get", "/x/readme.txt", "DIR/").code());
    assertEquals("read me\n", Files.readString(cli.cwd.resolve("DIR/readme.txt")));
  }

  // 5: messages name command-line options and give advice that works.

  @Test
  void rmRoot_exit2_doesNotSuggestRmR() {
    var r = cli.run("rm", "/");
    assertEquals(2, r.code(), r::toString);
    assertFalse(r.err().contains("rm -r"), r::toString);
    assertEquals(2, cli.run("rm", "-r", "/").code());
    assertTrue(drive.exists("/x/readme.txt"));
  }

  @Test
  void mkdirOverAFile_exit4_doesNotSuggestP() {
    var r = cli.run("mkdir", "/x/readme.txt");
    assertEquals(4, r.code(), r::toString);
    assertFalse(r.err().contains("-p"), r::toString);
    assertEquals(4, cli.run("mkdir", "-p", "/x/readme.txt").code());
  }

  @Test
  void mkdirWithMissingParent_exit3_suggestsP_whichWorks() {
    var r = cli.run("mkdir", "/a/b");
    assertEquals(3, r.code(), r::toString);
    assertTrue(r.err().contains("mkdir -p"), r::toString);
    assertEquals(0, cli.run("mkdir", "-p", "/a/b").code());
  }

  @Test
  void configFileMissing_exit2_saysNotFound() {
    cli.drive = null;
    var r = cli.run("ls", "--config", "nope.properties");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("config file " + cli.cwd.resolve("nope.properties") + " not found"), r::toString);
    assertFalse(r.err().contains("no storage chosen"), r::toString);
  }

  @Test
  void rootFolderIdNotANumber_exit2() {
    cli.drive = null;
    var r = cli.run("ls", "--driver", "123open", "--opt", "clientId=c", "--opt", "clientSecret=s", "--opt", "rootFolderId=abc");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("rootFolderId"), r::toString);
  }

  @Test
  void putAFolder_exit2() throws Exception {
    Files.createDirectories(cli.cwd.resolve("photos"));
    var r = cli.run("put", "photos", "/x/");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("is a local folder"), r::toString);
    assertTrue(r.err().contains("for f in photos/*; do pan4j put \"$f\" /x/; done"), "one slash each: " + r);
  }

  @Test
  void apiWords_becomeCommandLineWords() {
    assertEquals("123open: put /a: an entry with this name already exists in the folder; pass --overwrite to replace it or --keep-both"
        + " to keep both, or another name", Messages.forCli(
            "123open: put /a: an entry with this name already exists in the folder; choose KEEP_BOTH or OVERWRITE, or another name"));
    String m = Messages.forCli("x (choose KEEP_BOTH or OVERWRITE to upload anyway); check drive.capabilities() first, or use a driver"
        + " that supports mkdir; check the password, then reopen the driver");
    for (String api : new String[] {"KEEP_BOTH", "OVERWRITE", "capabilities()", "reopen the driver"}) {
      assertFalse(m.contains(api), m);
    }
    assertTrue(m.contains("--overwrite or --keep-both") && m.contains("pan4j drivers") && m.contains("run the command again"), m);
  }

  // 6: progress text.

  @Test
  void progress_spaceBeforeBar_andNoZeroPercentAfterTransfer() {
    Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), "big.bin", true, () -> 0);
    p.phase(new UploadProgress(UploadPhase.TRANSFERRING, 0, 50 << 20, false));
    String line = p.render(new UploadProgress(UploadPhase.TRANSFERRING, 50 << 20, 50 << 20, false), 1_000_000_000L);
    assertTrue(line.startsWith("big.bin transferring ["), line);
    p.phase(new UploadProgress(UploadPhase.COMPLETING, 0, 50 << 20, false));
    line = p.render(new UploadProgress(UploadPhase.COMPLETING, 0, 50 << 20, false), 2_000_000_000L);
    assertFalse(line.contains("0%") || line.contains("0 B/"), line);
    assertTrue(line.startsWith("big.bin completing") && line.endsWith("50 MiB"), line);
  }

  // 7: downloads get the umask's permissions, like any new file (the old code made rw------- whatever
  // the umask; under the usual umask 022 a new file is rw-r--r--, so the comparison tells them apart).

  @Test
  void get_fileHasTheUmaskPermissions() throws Exception {
    Path probe = Files.createFile(cli.cwd.resolve("probe"));
    String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(probe));
    assertEquals(0, cli.run("get", "/x/readme.txt", "got.txt").code());
    assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.cwd.resolve("got.txt"))));
    drive.get("/x/readme.txt", cli.cwd.resolve("core.txt"));
    assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.cwd.resolve("core.txt"))),
        "Drive.get(path, file) too");
  }

  // A usage error of a group's command (offline add) pointed at 'pan4j help add', which is no command.

  @Test
  void usageErrorOfAGroupsCommand_pointsAtAHelpThatWorks() {
    var r = cli.run("offline", "add");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("Run 'pan4j offline add --help' for more."), r::toString);
    var help = cli.run("offline", "add", "--help");
    assertEquals(0, help.code(), help::toString);
    assertTrue(help.out().startsWith("Usage: pan4j offline add "), help::toString);

    var top = cli.run("ls", "--frob");
    assertTrue(top.err().contains("Run 'pan4j help ls' for more."), top::toString);
  }

  @Test
  void unknownCommandOfAGroup_saysWhichOnesThereAre() {
    var r = cli.run("offline", "frob", "--driver", "memory");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().startsWith("pan4j: unknown offline command 'frob'; use add, status, ls or rm\n"), r::toString);
    assertTrue(r.err().contains("Run 'pan4j help offline' for more."), r::toString);
  }

  // 'pan4j frobnicate' answered "did you mean stat?", 'pan4j hepl' "help or jshell or completion".

  @Test
  void unknownCommand_suggestsOnlyNearNames() {
    assertEquals("pan4j: unknown command 'frobnicate'\n", firstLine(cli.run("frobnicate")));
    assertEquals("pan4j: unknown command 'hepl' (did you mean help?)\n", firstLine(cli.run("hepl")));
    assertEquals("pan4j: unknown command 'dirvers' (did you mean drivers?)\n", firstLine(cli.run("dirvers")));
    assertEquals("pan4j: unknown command 'lss' (did you mean ls?)\n", firstLine(cli.run("lss")));
  }

  private static String firstLine(CliRunner.Result r) {
    assertEquals(2, r.code(), r::toString);
    return r.err().substring(0, r.err().indexOf('\n') + 1);
  }
}
