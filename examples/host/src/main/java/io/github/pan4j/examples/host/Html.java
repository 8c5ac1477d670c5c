package io.github.pan4j.examples.host;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Escaping and the page frame shared by every page. */
final class Html {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private static final String CSS = """
      :root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#f6f8fa;--accent:#0969da;--bad:#cf222e;--ok:#1a7f37}
      *{box-sizing:border-box}
      body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--fg);background:#fff}
      header{display:flex;gap:1.2rem;align-items:center;padding:.6rem 1.5rem;background:#24292f;color:#fff}
      header a{color:#fff;text-decoration:none}
      header .brand{font-weight:700;font-size:1.1rem;margin-right:auto}
      main{max-width:1100px;margin:1.2rem auto;padding:0 1.5rem}
      a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
      nav.crumbs{font-size:1.05rem;margin-bottom:.8rem}nav.crumbs a,nav.crumbs span{margin:0 .15rem}
      table{width:100%;border-collapse:collapse}
      th,td{padding:.45rem .6rem;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
      th{background:var(--bg);font-weight:600}th a{color:var(--fg)}
      td.name{white-space:normal;word-break:break-all;width:100%}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      tr:hover td{background:#f3f6fa}
      .icon{display:inline-block;width:1.6em}svg.ic{vertical-align:middle}
      .muted{color:var(--muted)}
      .problem{border:1px solid var(--bad);background:#ffebe9;color:var(--bad);padding:.6rem .9rem;border-radius:6px;margin:.6rem 0}
      .notice{border:1px solid var(--line);background:var(--bg);padding:.6rem .9rem;border-radius:6px;margin:.6rem 0}
      .preview{margin:1rem 0;padding:1rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);text-align:center}
      .preview img,.preview video{max-width:100%;max-height:70vh}
      .preview pre{text-align:left;white-space:pre-wrap;word-break:break-all;margin:0;font-size:13px}
      dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;word-break:break-all}
      .button,button{display:inline-block;padding:.35rem .9rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);cursor:pointer;font:inherit}
      .button.primary,button.primary{background:#1f883d;border-color:#1a7f37;color:#fff}
      form.inline{display:inline-flex;gap:.4rem;align-items:center;margin:.3rem 1rem .3rem 0}
      fieldset{border:1px solid var(--line);border-radius:6px;margin:1rem 0;padding:.8rem 1rem}
      label.field{display:block;margin:.6rem 0}label.field .key{font-weight:600}
      label.field input:not([type=checkbox]),label.field select,label.field textarea{display:block;width:100%;max-width:36rem;padding:.3rem;font:inherit}
      .req{color:var(--bad)}.desc{display:block;color:var(--muted);font-size:.9em}
      .bar{height:.8rem;background:var(--line);border-radius:4px;overflow:hidden;max-width:30rem}.bar span{display:block;height:100%;background:var(--accent)}
      footer{max-width:1100px;margin:2rem auto;padding:0 1.5rem;color:var(--muted);font-size:.85em}
      """;

  private Html() {}

  static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  static String size(long bytes) {
    if (bytes < 0) return "";
    if (bytes < 1024) return bytes + " B";
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }

  static String time(Instant t) {
    return t == null ? "" : TIME.format(t);
  }

  static String page(String title, String body, Auth.Session session, boolean loginEnabled) {
    String user = session != null
        ? "<a href=\"/admin\">admin</a><form class=\"inline\" method=\"post\" action=\"/logout\" style=\"margin:0\">"
            + "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(session.csrf()) + "\">"
            + "<button type=\"submit\">log out " + esc(session.user()) + "</button></form>"
        : loginEnabled ? "<a href=\"/login\">log in</a>" : "";
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        + "<title>" + esc(title) + " · pan4j</title><style>" + CSS + "</style></head><body>"
        + "<header><a class=\"brand\" href=\"/b/\">pan4j</a><a href=\"/b/\">files</a><a href=\"/storage\">storage</a>"
        + user + "</header><main>" + body + "</main>"
        + "<footer>pan4j file browser · drivers are loaded as plugins</footer></body></html>";
  }

  static String csrfField(Auth.Session s) {
    return s == null ? "" : "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(s.csrf()) + "\">";
  }
}
