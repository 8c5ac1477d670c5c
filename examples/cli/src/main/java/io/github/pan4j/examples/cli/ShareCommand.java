package io.github.pan4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.ShareExpiry;
import io.github.pan4j.core.ShareLink;
import io.github.pan4j.core.ShareOptions;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pan4j share create PATH... [--expire 1|7|30|0] [--password CODE] [--name NAME]} prints the
 * new share's link (with {@code ?pwd=} when it has a code); {@code pan4j share ls [--json]} lists
 * the account's shares. One command with an ACTION word, so it shares the storage options and the
 * drive handling of the other commands.
 */
@Command(name = "share", description = {"Make a public share, or list yours.",
    "  share create PATH... [--expire 1|7|30|0] [--password CODE] [--name NAME]",
    "  share ls [--json]"})
final class ShareCommand extends Cli.StorageCommand {
  @Parameters(index = "0", paramLabel = "ACTION", description = "create or ls") String action;
  @Parameters(index = "1..*", paramLabel = "PATH", arity = "0..*", description = "What to share (create).") List<String> paths;
  @Option(names = "--expire", paramLabel = "DAYS", description = "1, 7, 30, or 0 for never (default 0).") Integer expire;
  @Option(names = "--password", paramLabel = "CODE", description = "Extraction code: 4 letters or digits (default none).")
  String password;
  @Option(names = "--name", paramLabel = "NAME", description = "The share's title (default: the first path's name).") String name;
  @Option(names = "--json", description = "Print JSON.") boolean json;

  @Override
  int run(Drive drive) {
    return switch (action) {
      case "create" -> create(drive);
      case "ls" -> ls(drive);
      default -> throw new UsageException("share: ACTION must be create or ls, not '" + action + "'");
    };
  }

  private int create(Drive drive) {
    if (paths == null || paths.isEmpty()) throw new UsageException("share create: give at least one PATH to share");
    // Checked before the drive is asked anything: a bad expiry or code fails with exit code 2.
    ShareOptions options = ShareOptions.DEFAULT.withExpiry(ShareExpiry.ofDays(expire == null ? 0 : expire))
        .withPassword(password).withName(name);
    ShareLink link = drive.share(paths, options);
    if (json) {
      printJson(json(link));
      return ExitCode.OK;
    }
    out.println(link.urlWithPassword());
    note("key: " + link.key() + (link.password() != null ? "  code: " + link.password() : "  (no code)")
        + "  expires: " + expiry(link));
    return ExitCode.OK;
  }

  private int ls(Drive drive) {
    if (paths != null && !paths.isEmpty()) throw new UsageException("share ls: takes no PATH");
    try (Stream<ShareLink> shares = drive.shares()) {
      if (json) {
        ArrayNode a = Format.JSON.createArrayNode();
        shares.forEach(s -> a.add(json(s)));
        printJson(a);
        return ExitCode.OK;
      }
      shares.forEach(s -> out.println(s.key() + "  " + (s.password() != null ? s.password() : "-   ") + "  "
          + expiry(s) + "  " + (s.name() == null ? "" : s.name())));
    }
    return ExitCode.OK;
  }

  /** The expiry as {@code yyyy-MM-dd HH:mm} (UTC), or {@code never} padded to the same width. */
  private static String expiry(ShareLink s) {
    return s.permanent() ? "never           " : Format.time(s.expiresAt());
  }

  private static ObjectNode json(ShareLink s) {
    ObjectNode n = Format.JSON.createObjectNode();
    n.put("id", s.id());
    n.put("key", s.key());
    n.put("name", s.name());
    n.put("url", s.url());
    n.put("password", s.password());
    n.put("link", s.urlWithPassword());
    n.put("expiresAt", s.expiresAt() == null ? null : s.expiresAt().toString());
    return n;
  }
}
