package io.github.pan4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pan4j.core.Drive;
import io.github.pan4j.core.RestoreResult;
import io.github.pan4j.core.TrashedEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pan4j trash ls|restore|purge}: the drive's recycle bin. {@code purge} deletes for good and
 * so, like {@code rm} without {@code -i}, asks no question, but it refuses to run without
 * {@code --force}: a mistyped command line cannot destroy data by itself.
 */
@Command(name = "trash", description = {"The drive's trash (recycle bin).",
    "  trash ls [--json]                      id, size, time removed, name of each",
    "  trash restore ID|NAME... [--to FOLDER] put entries back; with --to, those",
    "                                         whose folder is gone go into FOLDER",
    "  trash purge --force ID...              delete trashed entries for good"})
final class TrashCommand extends Cli.StorageCommand {
  @Parameters(index = "0", paramLabel = "ACTION", description = "ls, restore or purge") String action;
  @Parameters(index = "1..*", paramLabel = "ID|NAME", description = "Entries, by id (as trash ls shows) or, for restore, by name.")
  List<String> targets = new ArrayList<>();
  @Option(names = "--json", description = "Machine-readable output.") boolean json;
  @Option(names = "--to", paramLabel = "FOLDER", description = "restore: where entries whose own folder is gone go.") String to;
  @Option(names = {"-f", "--force"}, description = "purge: really delete for good (required).") boolean force;

  @Override
  int run(Drive drive) {
    return switch (action) {
      case "ls", "list" -> ls(drive);
      case "restore" -> restore(drive);
      case "purge" -> purge(drive);
      default -> throw new UsageException("trash: unknown action '" + action + "'; use ls, restore or purge");
    };
  }

  private int ls(Drive drive) {
    if (!targets.isEmpty()) throw new UsageException("trash ls takes no arguments");
    List<TrashedEntry> all;
    try (Stream<TrashedEntry> s = drive.trash()) {
      all = s.toList();
    }
    if (json) {
      ArrayNode a = Format.JSON.createArrayNode();
      for (TrashedEntry t : all) a.add(json(t));
      printJson(a);
      return ExitCode.OK;
    }
    for (TrashedEntry t : all) {
      out.printf(Locale.ROOT, "%-14s %10s  %s  %s%n", t.id(), t.entry().folder() ? "-" : Format.bytes(t.entry().size()),
          Format.time(t.trashedAt()), t.name() + (t.entry().folder() ? "/" : ""));
    }
    note(all.size() + (all.size() == 1 ? " entry" : " entries") + " in the trash");
    return ExitCode.OK;
  }

  private static ObjectNode json(TrashedEntry t) {
    ObjectNode n = Format.JSON.createObjectNode();
    n.put("id", t.id());
    n.put("name", t.name());
    n.put("type", t.entry().folder() ? "folder" : "file");
    n.put("size", t.entry().size());
    n.put("originalParentId", t.originalParentId());
    n.put("trashedAt", t.trashedAt() == null ? null : t.trashedAt().toString());
    n.put("md5", t.entry().hashes().md5());
    return n;
  }

  private int restore(Drive drive) {
    if (targets.isEmpty()) throw new UsageException("trash restore: name at least one ID or NAME (see pan4j trash ls)");
    List<TrashedEntry> listed;
    try (Stream<TrashedEntry> s = drive.trash()) {
      listed = s.toList();
    }
    Map<String, String> names = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    for (String t : targets) {
      String id = resolve(listed, t);
      ids.add(id);
      names.put(id, listed.stream().filter(e -> e.id().equals(id)).map(TrashedEntry::name).findFirst().orElse(t));
    }
    RestoreResult r = drive.restore(ids, to);
    if (json) {
      ObjectNode n = Format.JSON.createObjectNode();
      r.restored().forEach(n.putArray("restored")::add);
      r.relocated().forEach(n.putArray("relocated")::add);
      ObjectNode left = n.putObject("notRestored");
      r.notRestored().forEach(left::put);
      printJson(n);
    } else {
      for (String id : r.restored()) out.println("restored  " + id + "  " + names.get(id));
      for (String id : r.relocated()) out.println("restored  " + id + "  " + names.get(id) + "  (into " + to + ")");
    }
    r.notRestored().forEach((id, why) -> err.println("pan4j: not restored: " + id + " " + names.get(id) + ": " + why
        + (to == null ? "; use --to FOLDER" : "")));
    return r.complete() ? ExitCode.OK : ExitCode.OTHER;
  }

  /** An id listed in the trash, a unique name there, or (not listed) a numeric id as given. */
  private static String resolve(List<TrashedEntry> listed, String t) {
    if (listed.stream().anyMatch(e -> e.id().equals(t))) return t;
    List<TrashedEntry> named = listed.stream().filter(e -> e.name().equals(t)).toList();
    if (named.size() == 1) return named.get(0).id();
    if (named.size() > 1) {
      throw new UsageException("trash restore: " + named.size() + " trashed entries are named '" + t + "' (ids "
          + String.join(", ", named.stream().map(TrashedEntry::id).toList()) + "); name one by id");
    }
    if (t.chars().allMatch(Character::isDigit)) return t; // not listed (e.g. inside a trashed folder): let the drive decide
    throw new UsageException("trash restore: nothing named '" + t + "' in the trash (see pan4j trash ls)");
  }

  private int purge(Drive drive) {
    if (targets.isEmpty()) throw new UsageException("trash purge: name at least one ID (see pan4j trash ls)");
    if (!force) {
      // Show what --force would delete, so that a mistyped or already purged id shows up now.
      List<TrashedEntry> listed;
      try (Stream<TrashedEntry> s = drive.trash()) {
        listed = s.toList();
      }
      List<String> found = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (String t : targets) {
        listed.stream().filter(e -> e.id().equals(t)).findFirst().ifPresentOrElse(
            e -> found.add(t + " " + e.name() + (e.entry().folder() ? "/" : "")), () -> missing.add(t));
      }
      throw new UsageException("trash purge deletes for good and cannot be undone; add --force to confirm"
          + (found.isEmpty() ? "" : " (would purge: " + String.join(", ", found) + ")")
          + (missing.isEmpty() ? "" : "; not in the trash (see pan4j trash ls): " + String.join(" ", missing)));
    }
    for (String t : targets) {
      if (t.isEmpty() || !t.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
        throw new UsageException("trash purge takes ids as pan4j trash ls shows them, not '" + t + "'");
      }
    }
    drive.purge(targets);
    if (json) {
      ArrayNode a = Format.JSON.createArrayNode();
      targets.forEach(a::add);
      ObjectNode n = Format.JSON.createObjectNode();
      n.set("purged", a);
      printJson(n);
    } else {
      for (String t : targets) out.println("purged  " + t);
    }
    return ExitCode.OK;
  }
}
