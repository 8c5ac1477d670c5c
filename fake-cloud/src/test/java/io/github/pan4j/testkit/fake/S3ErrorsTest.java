package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** S3's error reply, in the one form every object storage of the fake answers with. */
class S3ErrorsTest {
  private final WebFixture f = new WebFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static Element parse(String xml) throws Exception {
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return dbf.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
  }

  private static String body(mockwebserver3.MockResponse r) throws java.io.IOException {
    okio.Buffer b = new okio.Buffer();
    r.getBody().writeTo(b);
    return b.readUtf8();
  }

  private static String text(Element e, String name) {
    return e.getElementsByTagName(name).item(0).getTextContent();
  }

  /** Code, Message, Resource, RequestId and HostId, the last two also as headers; Code first. */
  private static void assertS3Error(Response r, int status, String code, String resource) throws Exception {
    assertEquals(status, r.code());
    assertEquals("application/xml", r.header("Content-Type"));
    String body = r.body().string();
    Element e = parse(body);
    assertEquals("Error", e.getTagName());
    assertEquals(code, text(e, "Code"), body);
    assertTrue(!text(e, "Message").isEmpty(), body);
    assertEquals(resource, text(e, "Resource"), body);
    assertEquals(r.header("x-amz-request-id"), text(e, "RequestId"), body);
    assertEquals(r.header("x-amz-id-2"), text(e, "HostId"), body);
    assertTrue(body.indexOf("<Code>") < body.indexOf("<Message>") && body.indexOf("<Message>") < body.indexOf("<Resource>")
        && body.indexOf("<Resource>") < body.indexOf("<RequestId>") && body.indexOf("<RequestId>") < body.indexOf("<HostId>"), body);
  }

  @Test
  void reply_escapesTexts_andEachReplyHasIdsOfItsOwn() throws Exception {
    Element e = parse(body(S3Errors.reply(400, "InvalidArgument", "a & <b> \"c\"", "/b/k&1")));
    assertEquals("a & <b> \"c\"", text(e, "Message"));
    assertEquals("/b/k&1", text(e, "Resource"));
    Element other = parse(body(S3Errors.reply(400, "InvalidArgument", "m", "/")));
    assertNotEquals(text(e, "RequestId"), text(other, "RequestId"));
    assertNotEquals(text(e, "HostId"), text(other, "HostId"));
  }

  @Test
  void webPresignedPart_andStsStorage_answerTheSameForm() throws Exception {
    RequestBody one = RequestBody.create(new byte[] {1}, MediaType.get("application/octet-stream"));
    String cdn = f.cloud.baseUrl("cdn");
    try (Response r = f.raw(new Request.Builder().url(cdn + "/web-s3/x?X-Amz-Signature=nope").put(one).build())) {
      assertS3Error(r, 403, "SignatureDoesNotMatch", "/web-s3/x");
    }
    String sts = "/" + WebStsStorage.BUCKET + "/a%20b";
    try (Response r = f.raw(new Request.Builder().url(cdn + sts).put(one).build())) {
      assertS3Error(r, 403, "AccessDenied", sts);
    }
  }
}
