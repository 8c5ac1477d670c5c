package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinkTest {
  @Test
  void toString_masksSignatures_butUrlIsIntact() {
    String url = "https://vip.123pan.cn/1/a.mp4?a=2&auth_key=1735691400-42-1-05b93e7fc6775c1fa0e7e13d887b0cca&x=1";
    Link link = Link.builder(url).header("Referer", "https://yun.123pan.com/").preferProxy(true).build();
    String text = link.toString();
    assertFalse(text.contains("05b93e7f"), text);
    assertTrue(text.contains("a=2&auth_key=****&x=1"), text);
    assertTrue(text.contains("headers=[Referer]"), text);
    assertEquals(url, link.url());
  }

  @Test
  void toString_masksTheCdnSignatureParameterS() {
    Link link = Link.builder("https://download-cdn.example/123-80/c-m2?v=5&t=1684830347&s=1684830347474574&filename=a.txt").build();
    assertTrue(link.toString().contains("v=5&t=1684830347&s=****&filename=a.txt"), link.toString());
  }
}
