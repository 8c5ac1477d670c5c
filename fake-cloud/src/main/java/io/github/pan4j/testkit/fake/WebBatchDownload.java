package io.github.pan4j.testkit.fake;

import static io.github.pan4j.testkit.fake.WebJson.F;
import static io.github.pan4j.testkit.fake.WebJson.asLong;
import static io.github.pan4j.testkit.fake.WebJson.error;
import static io.github.pan4j.testkit.fake.WebJson.get;
import static io.github.pan4j.testkit.fake.WebJson.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import mockwebserver3.MockResponse;

/**
 * {@code POST /b/api/file/batch_download_info} {@code {"fileIdList":[{"fileId":N},…]}}: files and
 * folders downloaded together as one zip, through the same relay → inner → edge chain (and the same
 * signature, token, Referer and ticket checks) as {@code download_info}. The web app uses it for
 * folders; OpenList does not.
 *
 * <p>123 documents neither the reply nor the archive; chosen here as the most plausible:
 * <ul>
 *   <li>the reply is {@code download_info}'s, {@code data {DownloadUrl}};
 *   <li>folders are walked recursively, trashed entries left out, empty folders kept as
 *       {@code name/} entries; paths inside the zip start at each listed entry's own name, a name
 *       listed twice becomes {@code name(1)};
 *   <li>the archive is named {@code <name>.zip} for one entry and {@code <first name>等<N>个文件.zip}
 *       for several; the daily traffic quota is charged the files' total size;
 *   <li>a missing or empty {@code fileIdList} ⇒ {@code 400 参数错误}; an unknown or trashed id ⇒
 *       {@code 5066 文件不存在}.
 * </ul>
 * The zip is built when asked for, deflated, with each entry's modification time, and stored as a
 * blob (identical archives are stored once).
 */
final class WebBatchDownload {
  private final WebFrontDoor door;

  WebBatchDownload(WebFrontDoor door) {
    this.door = door;
  }

  void install() {
    door.api("POST", "/file/batch_download_info", true, this::batch);
  }

  private MockResponse batch(FakeRequest req, WebFrontDoor.Session s) {
    JsonNode list = req.field("fileIdList");
    if (list == null || !list.isArray() || list.isEmpty()) return error(400, WebFrontDoor.MSG_BAD_ARG);
    FakeStore st = door.store();
    List<Node> roots = new ArrayList<>();
    long total = 0;
    synchronized (st) {
      for (JsonNode item : list) {
        Long id = asLong(get(item, "fileId"));
        if (id == null) return error(400, WebFrontDoor.MSG_BAD_ARG);
        Node n = st.node(s.uid, id).filter(x -> !st.isTrashed(x)).orElse(null);
        if (n == null) return error(5066, WebFrontDoor.MSG_NOT_FOUND);
        roots.add(n);
        total += n.folder() ? st.folderSize(s.uid, n.id()) : n.size();
      }
    }
    if (!door.spendTraffic(door.account(s), total)) return error(5113, WebFrontDoor.MSG_TRAFFIC);
    Blob zip = zip(st, s.uid, roots);
    String name = roots.size() == 1 ? roots.get(0).name() + ".zip"
        : roots.get(0).name() + "等" + roots.size() + "个文件.zip";
    ObjectNode d = F.objectNode();
    d.put("DownloadUrl", door.downloadUrl(zip, name, s.uid));
    return ok(d);
  }

  private static Blob zip(FakeStore st, long uid, List<Node> roots) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("pan4j-fake-batch-", ".zip");
      MessageDigest md5 = Digests.get("MD5");
      try (OutputStream file = Files.newOutputStream(tmp);
          ZipOutputStream zip = new ZipOutputStream(new DigestOutputStream(file, md5))) {
        Set<String> used = new HashSet<>();
        for (Node n : roots) add(st, uid, zip, n, unique(n.name(), used));
      }
      return st.adoptFile(tmp, Files.size(tmp), HexFormat.of().formatHex(md5.digest()));
    } catch (IOException e) {
      if (tmp != null) tmp.toFile().delete(); // a half-written archive is no blob
      throw new UncheckedIOException(e);
    }
  }

  private static void add(FakeStore st, long uid, ZipOutputStream zip, Node n, String path) throws IOException {
    ZipEntry e = new ZipEntry(n.folder() ? path + "/" : path);
    e.setLastModifiedTime(FileTime.from(n.updated()));
    zip.putNextEntry(e);
    if (!n.folder()) {
      try (InputStream in = n.blob().open(0, n.size())) {
        in.transferTo(zip);
      }
    }
    zip.closeEntry();
    if (n.folder()) {
      for (Node c : st.children(uid, n.id(), false)) add(st, uid, zip, c, path + "/" + c.name());
    }
  }

  /** {@code name}, or {@code name(1)}, {@code name(2)}… when already used at the top of the zip. */
  private static String unique(String name, Set<String> used) {
    String n = name;
    for (int i = 1; !used.add(n); i++) n = name + "(" + i + ")";
    return n;
  }
}
