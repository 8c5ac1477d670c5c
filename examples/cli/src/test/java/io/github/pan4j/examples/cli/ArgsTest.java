package io.github.pan4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
  @Test
  void parse_optionsBeforeAndAfterCommand_allCollected() {
    Args a = Args.parse(new String[] {"--driver", "memory", "ls", "-l", "/docs", "--opt", "a=1", "--opt=b=2"});
    assertEquals("ls", a.command);
    assertEquals(List.of("/docs"), a.positionals);
    assertTrue(a.has("--long"));
    assertEquals("memory", a.value("--driver"));
    assertEquals(List.of("a=1", "b=2"), a.all("--opt"));
  }

  @Test
  void parse_combinedShortFlags_eachSet() {
    Args a = Args.parse(new String[] {"rm", "-rq", "/x"});
    assertTrue(a.has("--recursive"));
    assertTrue(a.has("--quiet"));
  }

  @Test
  void parse_dashAndDoubleDash_arePositionals() {
    Args a = Args.parse(new String[] {"put", "-", "--", "-odd-name"});
    assertEquals(List.of("-", "-odd-name"), a.positionals);
  }

  @Test
  void parse_unknownOrIncomplete_usageError() {
    assertThrows(UsageException.class, () -> Args.parse(new String[] {"ls", "--colour"}));
    assertThrows(UsageException.class, () -> Args.parse(new String[] {"ls", "--driver"}));
    assertThrows(UsageException.class, () -> Args.parse(new String[] {"ls", "-lz"}));
    assertThrows(UsageException.class, () -> Args.parse(new String[] {"ls", "--json=yes"}));
  }

  @Test
  void value_givenTwice_usageError() {
    Args a = Args.parse(new String[] {"ls", "--driver", "a", "--driver", "b"});
    assertThrows(UsageException.class, () -> a.value("--driver"));
  }
}
