package io.github.pan4j.examples.host;

import gg.jte.Content;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages' view models and the jte templates that render them ({@code src/main/jte}, compiled
 * into this package at build time; every {@code ${…}} is HTML-escaped).
 */
final class Views {
  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(null, ContentType.Html, Views.class.getClassLoader(), "io.github.pan4j.examples.host");

  private Views() {}

  /** A breadcrumb. */
  record Crumb(String name, String href) {}

  /** What the mount's driver can do, for the buttons. */
  record Caps(boolean upload, boolean mkdir, boolean rename, boolean move, boolean remove) {
    static final Caps NONE = new Caps(false, false, false, false, false);

    boolean any() {
      return rename || move || remove;
    }
  }

  /** One line of a listing; {@code thumb} is the host URL of the provider's thumbnail, or null. */
  record Row(String name, String path, String href, String download, boolean folder, long size, String sizeLabel,
      String modified, String icon, boolean image, String note, String thumb) {
    /** The last segment of the path (a search result's label is its path within the mount). */
    String fileName() {
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  /**
   * The signed-in admin's link to a failing or disabled mount's form on the admin page
   * ({@code editmount.jte}, on the error page and on a disabled mount's listing).
   */
  record EditLink(String mountPath, String href) {
    /** The link for the admin's session, or null for a visitor: a visitor gets no way into the admin page. */
    static EditLink forAdmin(Auth.Session session, String mountPath) {
      return session == null || mountPath == null ? null : new EditLink(mountPath, href(mountPath));
    }

    /** The admin page with the form of the mount at {@code mountPath}. */
    static String href(String mountPath) {
      return "/admin?edit=" + java.net.URLEncoder.encode(mountPath, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** A folder page; {@code edit} is set on a disabled mount's page for the admin. */
  record Listing(String path, String self, List<Crumb> crumbs, List<String> problems, List<Row> rows, String sort,
      boolean desc, String query, String scope, boolean grid, boolean truncated, boolean canSearchMount, String csrf,
      Caps caps, String mountPath, boolean inMount, EditLink edit) {

    /** A link to this folder with one query value changed. */
    String link(String key, String value) {
      Map<String, String> q = new java.util.LinkedHashMap<>();
      if (!sort.equals("name")) q.put("sort", sort);
      if (desc) q.put("order", "desc");
      if (grid) q.put("view", "grid");
      if (!query.isEmpty()) q.put("q", query);
      if (!query.isEmpty() && !scope.equals("folder")) q.put("scope", scope);
      if (value == null) q.remove(key);
      else q.put(key, value);
      StringBuilder b = new StringBuilder(self);
      char sep = '?';
      for (Map.Entry<String, String> e : q.entrySet()) {
        b.append(sep).append(e.getKey()).append('=').append(SafePaths.encodeSegment(e.getValue()));
        sep = '&';
      }
      return b.toString();
    }

    String sortLink(String key) {
      boolean current = key.equals(sort);
      String l = link("sort", key.equals("name") ? null : key);
      if (current && !desc) return l + (l.contains("?") ? "&" : "?") + "order=desc";
      return l.replace("?order=desc&", "?").replace("&order=desc", "").replace("?order=desc", "");
    }

    String arrow(String key) {
      return key.equals(sort) ? (desc ? " ▼" : " ▲") : "";
    }
  }

  /** A file's page. */
  record FilePage(String path, List<Crumb> crumbs, String name, String icon, String download, String dav, String mode,
      String kind, String text, boolean textTruncated, int previewKb, String previewError, String sizeLabel, long size,
      String modified, String type, String mountPath, String driver, String md5, String csrf, Caps caps) {}

  /** A line of the storage page. */
  record StorageRow(String path, String href, String driver, String problem, String note, String used, String total,
      int pct, String plan, List<String> extras) {}

  /** The admin page. */
  record Admin(String csrf, String error, List<MountRow> mounts, List<DriverRow> drivers, List<String> problems,
      Settings settings) {}

  record MountRow(String path, String driver, String download, String problem, String editHref, String unmountConfirm) {}

  record DriverRow(String id, String name, String caps, String href) {}

  /** A driver's settings form, from its ConfigSchema; secrets never carry a value. */
  record Settings(String legend, String driverId, String mountPath, String mode, List<String> modes, String proxyUrl,
      List<Field> fields, ThroughForm through) {}

  /**
   * The "download through" fields: the mounts that can be chosen (value "" is none), the cache
   * folder and when ({@code always} or {@code when_sign_in_required}).
   */
  record ThroughForm(List<Choice> mounts, String folder, List<Choice> whens) {}

  /** A form field; {@code problems} are what is wrong with the value just entered (empty when nothing is). */
  record Field(String group, String name, String key, String type, boolean required, boolean requiredAttr, String value,
      String hint, boolean checked, boolean stored, Long min, Long max, List<Choice> choices, boolean emptyChoice,
      String description, List<String> problems) {}

  record Choice(String value, boolean selected) {}

  /** Renders a page into the frame. */
  static String page(String title, Auth.Session session, boolean loginEnabled, Content content) {
    Map<String, Object> m = new HashMap<>();
    m.put("title", title);
    m.put("session", session);
    m.put("loginEnabled", loginEnabled);
    m.put("content", content);
    return render("layout.jte", m);
  }

  static String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    ENGINE.render(template, params, out);
    return out.toString();
  }

  static Content raw(String html) {
    return out -> out.writeContent(html);
  }
}
