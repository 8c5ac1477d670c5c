package io.github.pan4j.driver.link123;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.http.Redactor;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parsed 123link tree: folders and direct-link files written as indented text.
 *
 * <p>The format, one entry per line, two spaces of indentation per level:
 *
 * <pre>{@code
 * movies:
 *   1048576:1694101621:https://vip.123pan.cn/1812345678/movies/a.mp4
 *   2097152::https://vip.123pan.cn/1812345678/movies/b.mp4
 *   1694101621:https://vip.123pan.cn/1812345678/movies/c.mp4
 *   https://vip.123pan.cn/1812345678/movies/d%20e.mp4
 * https://vip.123pan.cn/1812345678/readme.txt
 * }</pre>
 *
 * <p>Two readings exist. The default, {@link Reading#OPENLIST}, reads a tree exactly as OpenList's
 * 123 Link driver does, so a tree written for OpenList mounts with the same names, sizes and
 * times:
 *
 * <ul>
 *   <li>Indentation counts leading spaces only (an odd count is an error); the rest of the line
 *       is trimmed, so a tab after the spaces is ignored. A deeper jump in indentation still
 *       attaches to the nearest folder above.
 *   <li>A line ending in {@code :} is a folder, named by the line without that colon.
 *   <li>Otherwise the line must hold an {@code http://} or {@code https://} URL and is a file,
 *       written {@code [size:][modified:]URL}. Its name is the last element of the whole URL
 *       text, percent-decoded, so a query string stays in the name ({@code a.mp4?x=1}).
 *   <li>A lone number is the size, and the file's time is the load time. {@code size:modified}
 *       gives both (further fields are ignored); with no prefix the size is unknown (shown as 0)
 *       and the time is 1970-01-01, as OpenList shows them.
 *   <li>A later entry with the name of an earlier one in the same folder is dropped (OpenList
 *       shows both but can only open the first).
 * </ul>
 *
 * <p>{@link Reading#STRICT} is pan4j's earlier reading: a lone ten-digit number is a timestamp
 * (the documented {@code [modified:]URL} form), tabs in indentation are refused, the name is the
 * last path segment without the query string, a line with a URL is a file even when it ends in
 * {@code :}, a size-only line has no time, more than two fields and duplicate names are errors.
 * Both readings accept {@code size::URL} and {@code :modified:URL}, skip blank lines, a trailing
 * {@code \r} and a leading byte-order mark. Where the strict reading would differ, the default
 * one logs a warning with the line number ({@link #warnings()}).
 *
 * <p>Every problem is reported with its line number, all at once, in one
 * {@link ErrorKind#CONFIG_INVALID} exception. A tree is immutable and thread-safe.
 */
public final class LinkTree {
  private static final Pattern URL_START = Pattern.compile("(?i)https?://");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
  private static final Pattern TEN_DIGITS = Pattern.compile("[1-9]\\d{9}");
  /** A query parameter inside a message: its separator, name and value. */
  private static final Pattern QUERY_PARAM = Pattern.compile("([?&])([^=&\\s'?#]+)=([^&\\s'#]*)");
  /** Unix seconds above this (year 2286) are not seconds: 13 digits are usually milliseconds. */
  private static final long MAX_SECONDS = 9_999_999_999L;
  private static final int MAX_REPORTED = 20;

  private static final Logger LOG = LoggerFactory.getLogger(LinkTree.class);

  /** How a tree text is read; see the class description. */
  public enum Reading {
    /** As OpenList's 123 Link driver reads it (the default). */
    OPENLIST,
    /** pan4j's stricter reading. */
    STRICT
  }

  private final LinkNode root;
  private final Map<String, LinkNode> byId;
  private final int files;
  private final int folders;
  private final List<String> warnings;

  private LinkTree(LinkNode root, Map<String, LinkNode> byId, int files, int folders, List<String> warnings) {
    this.root = root;
    this.byId = Map.copyOf(byId);
    this.files = files;
    this.folders = folders;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Parses tree text the way OpenList does, with the current time as load time.
   *
   * @throws DriveException CONFIG_INVALID naming the line number and problem of every rejected
   *     line (up to twenty), or when the tree has no entries at all
   */
  public static LinkTree parse(String text) {
    return parse(text, Reading.OPENLIST, Instant.now());
  }

  /**
   * Parses tree text with a reading; {@code loadTime} is the time OpenList's reading gives
   * size-only lines.
   *
   * @throws DriveException CONFIG_INVALID naming the line number and problem of every rejected
   *     line (up to twenty), or when the tree has no entries at all
   */
  public static LinkTree parse(String text, Reading reading, Instant loadTime) {
    return parse(text, reading, loadTime, true);
  }

  static LinkTree parse(String text, Reading reading, Instant loadTime, boolean logWarnings) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(reading, "reading");
    Objects.requireNonNull(loadTime, "loadTime");
    LinkTree tree = new Parser(text, reading == Reading.STRICT, loadTime).run();
    if (logWarnings) for (String w : tree.warnings) LOG.warn("123link tree {}", w);
    return tree;
  }

  /**
   * Where the strict reading would have read this tree differently ({@code line N: ...}); empty
   * for a strict parse.
   */
  public List<String> warnings() { return warnings; }

  /** Number of files in the tree. */
  public int fileCount() { return files; }

  /** Number of folders in the tree, not counting the root. */
  public int folderCount() { return folders; }

  /** Sum of the sizes given for all files (files without a size count as 0). */
  public long totalSize() { return root.size; }

  /** The entry at an absolute path ({@code /} is the root folder); ids are these paths. */
  public Optional<Entry> entry(String path) {
    return Optional.ofNullable(byId.get(path)).map(LinkNode::toEntry);
  }

  /** The children of the folder at {@code path}, in tree order; empty when it is no folder. */
  public List<Entry> children(String path) {
    LinkNode n = byId.get(path);
    if (n == null || !n.folder) return List.of();
    return n.children().stream().map(LinkNode::toEntry).toList();
  }

  LinkNode node(String id) {
    return byId.get(id);
  }

  LinkNode root() {
    return root;
  }

  @Override
  public String toString() {
    return "LinkTree{" + folders + " folders, " + files + " files}";
  }

  /** One pass over the lines; collects problems instead of stopping at the first. */
  private static final class Parser {
    private final String text;
    private final boolean strict;
    private final Instant loadTime;
    private final LinkNode root = LinkNode.root();
    private final Map<String, LinkNode> byId = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int problemCount;
    private int files;
    private int folders;

    Parser(String text, boolean strict, Instant loadTime) {
      this.text = text;
      this.strict = strict;
      this.loadTime = loadTime;
    }

    private void warn(int lineNo, String message) {
      warnings.add("line " + lineNo + ": " + masked(message));
    }

    LinkTree run() {
      byId.put(root.id, root);
      Deque<LinkNode> stack = new ArrayDeque<>();
      stack.push(root);
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        int lineNo = i + 1;
        String raw = lines[i];
        if (i == 0 && raw.startsWith("\uFEFF")) raw = raw.substring(1);
        if (raw.endsWith("\r")) raw = raw.substring(0, raw.length() - 1);
        if (raw.isBlank()) continue;
        int spaces = 0;
        while (spaces < raw.length() && raw.charAt(spaces) == ' ') spaces++;
        char next = raw.charAt(spaces);
        if (!strict && (Character.isWhitespace(next) || Character.isSpaceChar(next))) {
          if (spaces % 2 == 0) {
            warn(lineNo, "indentation contains " + (next == '\t' ? "a tab" : "U+" + String.format("%04X", (int) next))
                + ", which OpenList ignores (level " + spaces / 2 + "); the strict reading refuses it");
          }
        } else if (Character.isWhitespace(next) || Character.isSpaceChar(next)) {
          problem(lineNo, next == '\t'
              ? "indentation contains a tab; indent with two spaces per level"
              : "indentation contains a character other than a space (U+" + String.format("%04X", (int) next)
                  + "); indent with two ASCII spaces per level");
          continue;
        }
        if (spaces % 2 != 0) {
          problem(lineNo, "indented by " + spaces + " spaces, which is not a multiple of 2; indent with two spaces per level");
          continue;
        }
        int level = spaces / 2;
        String content = raw.strip();
        while (stack.size() > 1 && level <= stack.peek().level) stack.pop();
        LinkNode parent = stack.peek();
        if (!strict) {
          openListLine(parent, stack, lineNo, level, content);
          continue;
        }
        Matcher url = URL_START.matcher(content);
        if (url.find()) {
          file(parent, lineNo, level, content, url.start());
        } else if (content.endsWith(":")) {
          LinkNode folder = folder(parent, lineNo, level, content.substring(0, content.length() - 1).strip());
          // Push even a rejected folder so its children attach to it instead of raising follow-on errors.
          stack.push(folder);
        } else {
          problem(lineNo, "'" + excerpt(content) + "' is neither a folder (a name followed by ':') nor a file"
              + " ([size:][modified:]URL with an http:// or https:// URL)");
        }
      }
      if (problems.isEmpty() && files + folders == 0) {
        problems.add("the tree is empty; give at least one direct-link URL, one per line");
      }
      if (!problems.isEmpty()) {
        String more = problemCount > problems.size() ? "; and " + (problemCount - problems.size()) + " more" : "";
        throw DriveException.builder(ErrorKind.CONFIG_INVALID,
                "invalid tree (option 'tree'): " + String.join("; ", problems) + more)
            .driver(Link123Provider.ID).operation("parse").build();
      }
      root.computeFolderSizes();
      return new LinkTree(root, byId, files, folders, warnings);
    }

    /** One trimmed, non-empty line in OpenList's reading ({@code parse.go}). */
    private void openListLine(LinkNode parent, Deque<LinkNode> stack, int lineNo, int level, String content) {
      boolean hasUrl = content.contains("http://") || content.contains("https://");
      if (content.endsWith(":")) {
        String name = content.substring(0, content.length() - 1);
        if (hasUrl) warn(lineNo, "the line ends in ':' and is a folder (OpenList); the strict reading takes it as a file");
        else if (!name.equals(name.strip())) warn(lineNo, "folder name '" + name + "' keeps its spaces before ':' (OpenList); the strict reading trims them");
        stack.push(folder(parent, lineNo, level, name));
        return;
      }
      if (!hasUrl) {
        problem(lineNo, "'" + excerpt(content) + "' is neither a folder (a name followed by ':') nor a file"
            + " ([size:][modified:]URL with an http:// or https:// URL)");
        return;
      }
      int urlStart = content.indexOf("http://");
      if (urlStart < 0) urlStart = content.indexOf("https://");
      String rawUrl = content.substring(urlStart);
      String info = content.substring(0, urlStart);
      HttpUrl url = HttpUrl.parse(rawUrl);
      if (url == null || url.host().isEmpty()) {
        problem(lineNo, "'" + excerpt(rawUrl) + "' is not a valid URL");
        return;
      }
      String name = pathUnescape(goBase(rawUrl));
      List<String> segments = url.pathSegments();
      String strictName = Normalizer.normalize(segments.get(segments.size() - 1), Normalizer.Form.NFC);
      if (strictName.isEmpty()) {
        warn(lineNo, "the URL ends in '/': the file is named '" + name + "' (OpenList); the strict reading refuses the line");
      } else if (!strictName.equals(name)) {
        warn(lineNo, "the file is named '" + name + "' (OpenList, the query string stays in the name); the strict reading names it '"
            + strictName + "'");
      }
      if (!checkName(lineNo, name, "file")) return;
      long size = -1;
      Instant modified = Instant.EPOCH;
      if (!info.isEmpty()) {
        String[] parts = infoFields(lineNo, info);
        if (parts == null) return;
        if (parts.length > 2) {
          warn(lineNo, (parts.length - 2) + " field(s) after size and modified are ignored (OpenList); the strict reading refuses the line");
        }
        String sizeText = parts[0];
        String modifiedText = parts.length >= 2 ? parts[1] : null;
        if (sizeText.isEmpty() && (modifiedText == null || modifiedText.isEmpty())) {
          problem(lineNo, "'::' before the URL gives neither a size nor a timestamp; remove it or fill one in");
          return;
        }
        if (!sizeText.isEmpty()) {
          if (!DIGITS.matcher(sizeText).matches()) {
            problem(lineNo, "size '" + excerpt(sizeText) + "' is not a number of bytes (digits only)"
                + "; a file line is [size:][modified:]URL and takes its name from the URL");
            return;
          }
          size = Long.parseLong(sizeText);
          if (parts.length == 1 && TEN_DIGITS.matcher(sizeText).matches()) {
            warn(lineNo, "the lone number " + sizeText + " is the size in bytes (OpenList); the strict reading takes a"
                + " ten-digit number as a timestamp. Write size:modified:URL to give both");
          }
        }
        if (modifiedText == null || modifiedText.isEmpty()) {
          modified = sizeText.isEmpty() ? Instant.EPOCH : loadTime;
        } else {
          if (!DIGITS.matcher(modifiedText).matches()) {
            problem(lineNo, "modified '" + excerpt(modifiedText) + "' is not a Unix timestamp (whole seconds since 1970)");
            return;
          }
          long seconds = Long.parseLong(modifiedText);
          if (seconds > MAX_SECONDS) {
            warn(lineNo, "modified " + modifiedText + " is read as seconds (OpenList)"
                + (modifiedText.length() == 13 ? "; it looks like milliseconds" : "") + "; the strict reading refuses it");
          }
          modified = Instant.ofEpochSecond(Math.min(seconds, Instant.MAX.getEpochSecond()));
        }
      }
      LinkNode file = LinkNode.file(parent, name, lineNo, level, url.toString(), size, modified);
      if (!byId.containsKey(parent.id) || byId.get(parent.id) != parent) return;
      LinkNode existing = parent.child(name);
      if (existing != null) {
        warn(lineNo, "'" + name + "' appears again in its folder (first on line " + existing.line + "); this entry is dropped"
            + " (OpenList can open only the first); the strict reading refuses the tree");
        return;
      }
      parent.add(file);
      byId.put(file.id, file);
      files++;
    }

    /** Go's {@code path.Base} of the whole URL text. */
    private static String goBase(String s) {
      if (s.isEmpty()) return ".";
      int end = s.length();
      while (end > 0 && s.charAt(end - 1) == '/') end--;
      if (end == 0) return "/";
      String t = s.substring(0, end);
      return t.substring(t.lastIndexOf('/') + 1);
    }

    /** Go's {@code url.PathUnescape}: {@code %XX} decoded, {@code +} kept; on a bad escape the text as is. */
    private static String pathUnescape(String s) {
      if (s.indexOf('%') < 0) return s;
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (int i = 0; i < b.length; i++) {
        if (b[i] == '%') {
          if (i + 2 >= b.length) return s;
          int hi = Character.digit(b[i + 1], 16);
          int lo = Character.digit(b[i + 2], 16);
          if (hi < 0 || lo < 0) return s;
          out.write(hi * 16 + lo);
          i += 2;
        } else {
          out.write(b[i]);
        }
      }
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private LinkNode folder(LinkNode parent, int lineNo, int level, String name) {
      LinkNode folder = LinkNode.folder(parent, name, lineNo, level);
      if (checkName(lineNo, name, "folder") && unique(parent, folder)) {
        parent.add(folder);
        byId.put(folder.id, folder);
        folders++;
      }
      return folder;
    }

    private void file(LinkNode parent, int lineNo, int level, String content, int urlStart) {
      String rawUrl = content.substring(urlStart);
      String info = content.substring(0, urlStart);
      HttpUrl url = HttpUrl.parse(rawUrl);
      if (url == null || url.host().isEmpty()) {
        problem(lineNo, "'" + excerpt(rawUrl) + "' is not a valid URL");
        return;
      }
      List<String> segments = url.pathSegments();
      String name = Normalizer.normalize(segments.get(segments.size() - 1), Normalizer.Form.NFC);
      if (name.isEmpty()) {
        problem(lineNo, "the URL '" + excerpt(rawUrl) + "' ends without a file name; a file line needs the URL of a file");
        return;
      }
      if (!checkName(lineNo, name, "file")) return;
      long size = -1;
      Instant modified = null;
      if (!info.isEmpty()) {
        String[] parts = infoFields(lineNo, info);
        if (parts == null) return;
        if (parts.length > 2) {
          problem(lineNo, "'" + excerpt(String.join(":", parts)) + ":' has " + parts.length + " fields before the URL but at most two"
              + " (size and modified) are allowed; a file takes its name from the URL");
          return;
        }
        String sizeText = parts[0];
        String modifiedText = parts.length == 2 ? parts[1] : "";
        if (parts.length == 1 && TEN_DIGITS.matcher(parts[0]).matches()) {
          // The documented [modified:]URL form: a lone ten-digit number is a Unix timestamp.
          sizeText = "";
          modifiedText = parts[0];
        }
        if (sizeText.isEmpty() && modifiedText.isEmpty()) {
          problem(lineNo, "'::' before the URL gives neither a size nor a timestamp; remove it or fill one in");
          return;
        }
        if (!sizeText.isEmpty()) {
          if (!DIGITS.matcher(sizeText).matches()) {
            problem(lineNo, "size '" + excerpt(sizeText) + "' is not a number of bytes (digits only)"
                + "; a file line is [size:][modified:]URL and takes its name from the URL");
            return;
          }
          size = Long.parseLong(sizeText);
        }
        if (!modifiedText.isEmpty()) {
          if (!DIGITS.matcher(modifiedText).matches()) {
            problem(lineNo, "modified '" + excerpt(modifiedText) + "' is not a Unix timestamp (whole seconds since 1970)");
            return;
          }
          long seconds = Long.parseLong(modifiedText);
          if (seconds > MAX_SECONDS) {
            problem(lineNo, "modified '" + modifiedText + "' is not a Unix timestamp in seconds"
                + (modifiedText.length() == 13 ? " (it looks like milliseconds: drop the last three digits)" : ""));
            return;
          }
          modified = Instant.ofEpochSecond(seconds);
        }
      }
      LinkNode file = LinkNode.file(parent, name, lineNo, level, url.toString(), size, modified);
      if (!unique(parent, file)) return;
      parent.add(file);
      byId.put(file.id, file);
      files++;
    }

    /**
     * The ':'-separated fields (size, modified) before a file's URL, as both readings take them; null
     * after reporting a prefix that does not end with ':' or holds nothing.
     */
    private String[] infoFields(int lineNo, String info) {
      if (!info.endsWith(":")) {
        problem(lineNo, "the text before the URL ('" + excerpt(info) + "') must end with ':'; write [size:][modified:]URL");
        return null;
      }
      String body = info.substring(0, info.length() - 1);
      if (body.isEmpty()) {
        problem(lineNo, "':' before the URL but no size or timestamp; remove the ':' or write [size:][modified:]URL");
        return null;
      }
      return body.split(":", -1);
    }

    private boolean checkName(int lineNo, String name, String what) {
      if (name.isEmpty()) {
        problem(lineNo, "the " + what + " name is empty");
        return false;
      }
      if (name.indexOf('/') >= 0) {
        problem(lineNo, "the " + what + " name '" + excerpt(name) + "' contains '/'");
        return false;
      }
      if (name.equals(".") || name.equals("..")) {
        problem(lineNo, "'" + name + "' is not a usable " + what + " name");
        return false;
      }
      return true;
    }

    private boolean unique(LinkNode parent, LinkNode node) {
      if (!byId.containsKey(parent.id) || byId.get(parent.id) != parent) {
        return false; // the parent folder itself was rejected; its own line already says why
      }
      LinkNode existing = parent.child(node.name);
      if (existing == null) return true;
      if (!strict) {
        warn(node.line, "'" + node.name + "' appears again in its folder (first on line " + existing.line + "); this entry"
            + " and what is below it are dropped (OpenList can open only the first); the strict reading refuses the tree");
        return false;
      }
      problem(node.line, "'" + node.name + "' appears twice in " + (parent.parent == null ? "the root folder" : "folder " + parent.id)
          + " (first on line " + existing.line + "); names within a folder must be unique");
      return false;
    }

    private void problem(int lineNo, String message) {
      problemCount++;
      if (problems.size() < MAX_REPORTED) problems.add("line " + lineNo + ": " + masked(message));
    }

    /**
     * Warnings are logged and problems end up in errors: a line may hold a URL signed by its author
     * ({@code ?auth_key=...}), whose signature must not reach either.
     */
    private static String masked(String message) {
      Matcher m = QUERY_PARAM.matcher(message);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String replacement = Redactor.isSensitive(m.group(2)) ? m.group(1) + m.group(2) + "=****" : m.group();
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      return m.appendTail(out).toString();
    }

    private static String excerpt(String s) {
      return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
  }
}
