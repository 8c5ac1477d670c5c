package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** Which command lines start building the driver context on a second thread ({@link Main#warmUpDriverContext}). */
class MainWarmUpTest {
  @Test
  void opensDrive_whenTheFirstNonOptionNamesADriveCommand() {
    assertTrue(Main.opensDrive(new String[] {"put", "a.txt", "/a.txt"}));
    assertTrue(Main.opensDrive(new String[] {"--quiet", "ls", "/"}));
    assertTrue(Main.opensDrive(new String[] {"offline", "ls"}));
    assertFalse(Main.opensDrive(new String[] {"help", "put"}), "help opens no drive");
    assertFalse(Main.opensDrive(new String[] {"version"}));
    assertFalse(Main.opensDrive(new String[] {"fake-cloud", "--port", "0"}));
    assertFalse(Main.opensDrive(new String[] {}));
    assertFalse(Main.opensDrive(new String[] {"--driver", "123open", "ls"}), "an option's value comes first: no head start");
  }

  /** The list names exactly the commands that reach {@code StorageCommand.onDrive}, so a new one is not forgotten. */
  @Test
  void driveCommands_areTheStorageCommandsAndOffline() {
    Set<String> expected = Cli.COMMANDS.stream()
        .filter(c -> Cli.StorageCommand.class.isAssignableFrom(c) || c == OfflineCommand.class)
        .map(c -> c.getAnnotation(Command.class).name())
        .collect(Collectors.toSet());
    assertEquals(expected, Main.DRIVE_COMMANDS);
  }
}
