package io.github.pan4j.driver.share123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every share-link form of docs/protocol/123web.md §7.4. */
class ShareLinksTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "https://www.123pan.com/s/vj8eVv-QQ413 | vj8eVv-QQ413 | ",
      "https://www.123pan.com/s/vj8eVv-QQ413.html | vj8eVv-QQ413 | ",
      "http://123pan.com/s/MrBtVv-30xpA | MrBtVv-30xpA | ",
      "https://www.123pan.cn/s/6dWtVv-FZC4h | 6dWtVv-FZC4h | ",
      "https://123pan.cn/s/6dWtVv-FZC4h/ | 6dWtVv-FZC4h | ",
      "https://www.123684.com/s/xREITd-VUKz3 | xREITd-VUKz3 | ",
      "https://123865.com/s/xREITd-VUKz3 | xREITd-VUKz3 | ",
      "https://www.123912.com/s/xREITd-VUKz3 | xREITd-VUKz3 | ",
      "https://123592.com/s/xREITd-VUKz3.html | xREITd-VUKz3 | ",
      "www.123pan.com/s/vj8eVv-QQ413 | vj8eVv-QQ413 | ",
      "https://1814435971.share.123pan.cn/123pan/vj8eVv-QQ413 | vj8eVv-QQ413 | ",
      "https://1814435971.share.123865.com/123pan/vj8eVv-QQ413?pwd=67LN# | vj8eVv-QQ413 | 67LN",
      "https://mshare.123pan.cn/123pan/vj8eVv-QQ413 | vj8eVv-QQ413 | ",
      "https://www.123pan.com/s/VN6A-qP163?pwd=SD9v#SD9v | VN6A-qP163 | SD9v",
      "https://www.123pan.com/s/VN6A-qP163#SD9v | VN6A-qP163 | SD9v",
      "https://www.123pan.com/s/VN6A-qP163?password=SD9v | VN6A-qP163 | SD9v",
      "https://www.123pan.com/s/VN6A-qP163?提取码:SD9v | VN6A-qP163 | SD9v",
      "https://www.123pan.com/s/VN6A-qP163 提取码：SD9v | VN6A-qP163 | SD9v",
      "https://www.123pan.com/s/VN6A-qP163 提取码:SD9v | VN6A-qP163 | SD9v",
      "https://www.123pan.com/s/VN6A-qP163提取码:SD9v | VN6A-qP163 | SD9v",
      "链接：https://www.123pan.com/s/VN6A-qP163 密码:SD9v | VN6A-qP163 | SD9v",
      "https://www.123pan.com/s/VN6A-qP163 访问码 SD9v | VN6A-qP163 | SD9v",
      "https://www.123pan.com/s/VN6A-qP163.html?pwd=SD9v | VN6A-qP163 | SD9v",
      "vj8eVv-QQ413 | vj8eVv-QQ413 | ",
      "  vj8eVv-QQ413  | vj8eVv-QQ413 | ",
      "vj8eVv-QQ413 提取码：ab12 | vj8eVv-QQ413 | ab12",
      "vj8eVv-QQ413密码:ab12 | vj8eVv-QQ413 | ab12",
  })
  void parse_everyDocumentedForm_findsKeyAndCode(String text, String key, String code) {
    ShareLink link = ShareLinks.parse(text);
    assertEquals(key, link.key());
    assertEquals(Optional.ofNullable(code), link.code());
  }

  @Test
  void parse_foreignHost_isRefused() {
    DriveException e = assertThrows(DriveException.class, () -> ShareLinks.parse("https://pan.baidu.com/s/1abcdef"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
  }

  @Test
  void parse_linkWithoutKey_isRefused() {
    assertThrows(DriveException.class, () -> ShareLinks.parse("https://www.123pan.com/"));
    assertThrows(DriveException.class, () -> ShareLinks.parse("https://www.123pan.com/s/"));
  }

  @Test
  void parse_blankOrJunk_isRefused() {
    assertThrows(DriveException.class, () -> ShareLinks.parse("  "));
    assertThrows(DriveException.class, () -> ShareLinks.parse("!!!"));
  }

  @Test
  void errors_doNotRepeatTheCode() {
    for (String bad : List.of("abcd-EFGh1#Zq9x", "abcd!EFGh1密码:Zq9x", "https://www.123pan.com/s/ab%cd?pwd=Zq9x")) {
      DriveException e = assertThrows(DriveException.class, () -> ShareLinks.parse(bad), bad);
      assertFalse(e.getMessage().contains("Zq9x"), e.getMessage());
      assertTrue(e.getMessage().contains("ab"), e.getMessage());
    }
  }

  @Test
  void toString_hidesTheCode() {
    ShareLink link = ShareLinks.parse("https://www.123pan.com/s/VN6A-qP163?pwd=SD9v");
    assertFalse(link.toString().contains("SD9v"));
  }
}
