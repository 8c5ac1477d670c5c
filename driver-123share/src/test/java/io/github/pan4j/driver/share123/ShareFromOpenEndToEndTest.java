package io.github.pan4j.driver.share123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.ShareExpiry;
import io.github.pan4j.core.ShareLink;
import io.github.pan4j.core.ShareOptions;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import io.github.pan4j.testkit.fake.OpenApiFrontDoor;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end on one fake cloud: the {@code 123open} driver shares two entries (open platform
 * {@code share/create}), and this driver opens the resulting {@link ShareLink} through the web
 * share API, lists and downloads what was shared; a missing or wrong code and an expired share are
 * refused.
 */
class ShareFromOpenEndToEndTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().driver("123share");

  private Drive open123() {
    Map<String, String> o = Map.of("clientId", OpenApiFrontDoor.DEMO_CLIENT_ID, "clientSecret",
        OpenApiFrontDoor.DEMO_CLIENT_SECRET, "apiBaseUrl", fake.cloud().baseUrl("open"));
    return Drive.of(Drives.create().provider("123open").openWith(o, fake.context()));
  }

  /** The 123share options for a link, pointed at the fake's web API. */
  private Map<String, String> shareOptions(ShareLink link) {
    Map<String, String> o = new HashMap<>(link.options());
    o.put("apiBaseUrl", fake.cloud().baseUrl("web"));
    o.put("listInterval", "0s");
    return o;
  }

  private static Set<String> names(Drive d, String path) {
    return d.ls(path).stream().map(Entry::name).collect(Collectors.toSet());
  }

  @Test
  void shareMadeWith123open_opensIn123share_withItsCode_untilItExpires() {
    FakeStore st = fake.store();
    long uid = fake.demo().uid();
    Node docs = st.mkdir(uid, FakeStore.ROOT, "docs");
    st.createFile(uid, docs.id(), "a.txt", st.putBlob("alpha".getBytes()));
    st.createFile(uid, FakeStore.ROOT, "b.bin", st.putBlob(new byte[] {1, 2, 3}));
    st.createFile(uid, FakeStore.ROOT, "private.txt", st.putBlob("not shared".getBytes()));

    ShareLink link;
    try (Drive owner = open123()) {
      link = owner.share(java.util.List.of("/docs", "/b.bin"),
          ShareOptions.DEFAULT.withExpiry(ShareExpiry.SEVEN_DAYS).withPassword("k3Y9"));
    }

    try (Drive visitor = Drive.of(fake.open(shareOptions(link)))) {
      assertEquals(Set.of("docs", "b.bin"), names(visitor, "/"), "the share's root lists exactly the shared entries");
      assertEquals(Set.of("a.txt"), names(visitor, "/docs"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      visitor.get("/docs/a.txt", out);
      assertEquals("alpha", out.toString());
      out.reset();
      visitor.get("/b.bin", out);
      assertArrayEquals(new byte[] {1, 2, 3}, out.toByteArray());
    }

    // The page URL with ?pwd= (what a person is sent) opens it too.
    Map<String, String> pasted = shareOptions(link);
    pasted.remove("password");
    pasted.put("shareUrl", link.urlWithPassword());
    try (Drive visitor = Drive.of(fake.open(pasted))) {
      assertEquals(2, visitor.ls("/").size());
    }

    Map<String, String> noCode = shareOptions(link);
    noCode.remove("password");
    try (Drive visitor = Drive.of(fake.open(noCode))) {
      assertEquals(ErrorKind.PASSWORD_REQUIRED, assertThrows(DriveException.class, () -> visitor.ls("/")).kind());
    }
    Map<String, String> wrong = shareOptions(link);
    wrong.put("password", "zzzz");
    try (Drive visitor = Drive.of(fake.open(wrong))) {
      assertEquals(ErrorKind.PASSWORD_REQUIRED, assertThrows(DriveException.class, () -> visitor.ls("/")).kind());
    }

    fake.clock().advance(Duration.ofDays(7));
    try (Drive visitor = Drive.of(fake.open(shareOptions(link)))) {
      DriveException e = assertThrows(DriveException.class, () -> visitor.ls("/"));
      assertEquals(ErrorKind.EXPIRED, e.kind(), e::getMessage);
    }
  }

  @Test
  void permanentOpenShare_needsNoCode_andOutlivesAnyClock() {
    FakeStore st = fake.store();
    Node f = st.createFile(fake.demo().uid(), FakeStore.ROOT, "open.txt", st.putBlob("x".getBytes()));
    ShareLink link;
    try (Drive owner = open123()) {
      link = owner.share("/open.txt", ShareOptions.DEFAULT);
    }
    fake.clock().advance(Duration.ofDays(400));
    try (Drive visitor = Drive.of(fake.open(shareOptions(link)))) {
      Entry e = visitor.ls("/").get(0);
      assertEquals("open.txt", e.name());
      assertEquals(String.valueOf(f.id()), e.id());
    }
  }
}
