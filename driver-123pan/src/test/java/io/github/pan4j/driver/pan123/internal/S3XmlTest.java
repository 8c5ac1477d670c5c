package io.github.pan4j.driver.pan123.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading S3's XML replies: entities decoded, namespaces ignored, no DTD, nothing that is not XML. */
class S3XmlTest {
  @Test
  void uploadIdWithAnAmpersand_andEtagInQuotes_comeOutDecoded() {
    S3Xml x = S3Xml.parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult"
        + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>b</Bucket><Key>a&amp;b</Key>"
        + "<UploadId>VX&amp;y+z/w=&#61;&#x41;</UploadId><ETag>&quot;abc&quot;</ETag></InitiateMultipartUploadResult>");
    assertEquals("InitiateMultipartUploadResult", x.name());
    assertEquals("VX&y+z/w==A", x.text("UploadId"));
    assertEquals("\"abc\"", x.text("ETag"));
    assertEquals("a&b", x.text("Key"));
  }

  @Test
  void errorFields_allFiveEntities_andCdata() {
    S3Xml x = S3Xml.parse("<Error><Code>SignatureDoesNotMatch</Code><Message>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos;"
        + "</Message><RequestId><![CDATA[R&1]]></RequestId></Error>");
    assertEquals("Error", x.name());
    assertEquals("SignatureDoesNotMatch", x.text("Code"));
    assertEquals("<a> & \"b\" 'c'", x.text("Message"));
    assertEquals("R&1", x.text("RequestId"));
    assertNull(x.text("HostId"));
  }

  @Test
  void repeatedElements_inDocumentOrder() {
    S3Xml x = S3Xml.parse("<ListMultipartUploadsResult><Upload><Key>k</Key><UploadId>1</UploadId></Upload>"
        + "<Upload><Key>k</Key><UploadId>2&amp;</UploadId></Upload></ListMultipartUploadsResult>");
    assertEquals(List.of("1", "2&"), x.all("Upload").stream().map(u -> u.text("UploadId")).toList());
  }

  @Test
  void notXml_cutShort_orWithADtd_isNull() {
    assertNull(S3Xml.parse("<html><body>502 Bad Gateway</body>"));
    assertNull(S3Xml.parse("<Error><Code>InternalError</Code><Mess"));
    assertNull(S3Xml.parse(""));
    assertNull(S3Xml.parse("<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><e>&x;</e>"));
  }
}
