package io.github.pan4j.driver.pan123;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Link;
import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.TokenRenewalEvent;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.testkit.FakeCloudExtension;
import io.github.pan4j.testkit.fake.WebFrontDoor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 123pan's own token source reports its sign-in and renewals to a host's listener. */
class Pan123EventsTest {
  @RegisterExtension
  final FakeCloudExtension fake = new FakeCloudExtension().doors(WebFrontDoor::new).driver("123pan");

  private final List<Object> heard = new CopyOnWriteArrayList<>();
  private final RequestListener recorder = new RequestListener() {
    @Override
    public void requestEnded(RequestEvent event) {
      heard.add(event);
    }

    @Override
    public void renewalEnded(TokenRenewalEvent event) {
      heard.add(event);
    }
  };

  @Test
  void signInAndList_areReported_withoutThePassword() {
    Map<String, String> options = fake.options();
    try (Driver d = Drives.create().provider("123pan")
        .openWith(options, fake.context().toBuilder().requestListener(recorder).build())) {
      d.list("0", null);
    }
    List<TokenRenewalEvent> renewals = heard.stream().filter(TokenRenewalEvent.class::isInstance)
        .map(TokenRenewalEvent.class::cast).toList();
    assertEquals(1, renewals.size(), heard.toString());
    assertEquals(TokenRenewalEvent.Trigger.SIGN_IN, renewals.get(0).trigger());
    assertTrue(renewals.get(0).succeeded());
    List<RequestEvent> requests = heard.stream().filter(RequestEvent.class::isInstance).map(RequestEvent.class::cast).toList();
    assertTrue(requests.stream().anyMatch(e -> e.operation().equals("sign-in") && e.outcome() == RequestEvent.Outcome.OK),
        heard.toString());
    assertTrue(requests.stream().anyMatch(e -> e.driverId().equals("123pan") && e.endpoint().startsWith("/")
        && e.endpoint().contains("file/list") && e.outcome() == RequestEvent.Outcome.OK), heard.toString());
    assertFalse(heard.toString().contains(options.get("password")), heard.toString());
  }
  @Test
  void downloads_throughTheDownloadChain_areReported_withoutUrlOrFileName() throws Exception {
    byte[] bytes = new byte[70_000];
    new java.util.Random(5).nextBytes(bytes);
    fake.store().createFile(fake.demo().uid(), io.github.pan4j.testkit.fake.FakeStore.ROOT, "salary-sheet.xlsx",
        fake.store().putBlob(bytes));
    Map<String, String> options = fake.options();
    try (Drive d = Drive.of(Drives.create().provider("123pan")
        .openWith(options, fake.context().toBuilder().requestListener(recorder).build()))) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      d.get("/salary-sheet.xlsx", out);
      assertArrayEquals(bytes, out.toByteArray());
      Link link = d.link("/salary-sheet.xlsx");
      try (Link.Content c = link.open(10, 20)) {
        assertEquals(20, c.body().readAllBytes().length);
      }
      List<RequestEvent> downloads = heard.stream().filter(RequestEvent.class::isInstance).map(RequestEvent.class::cast)
          .filter(e -> e.endpoint().equals(RequestEvent.DOWNLOAD)).toList();
      assertEquals(2, downloads.size(), heard.toString());
      assertEquals(List.of(70_000L, 20L), downloads.stream().map(e -> e.bytes().getAsLong()).toList());
      assertTrue(downloads.stream().allMatch(e -> e.driverId().equals("123pan") && e.outcome() == RequestEvent.Outcome.OK));
      okhttp3.HttpUrl url = okhttp3.HttpUrl.get(link.url());
      String everything = heard.toString();
      assertFalse(everything.contains("salary"), everything);
      for (String segment : url.pathSegments()) {
        if (segment.length() > 3) assertFalse(everything.contains(segment), segment + " in " + everything);
      }
      if (url.query() != null) assertFalse(everything.contains(url.query()), everything);
      assertFalse(everything.contains(options.get("password")), everything);
    }
  }
}
