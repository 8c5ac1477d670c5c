package io.github.pan4j.driver.pan123.internal;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * An S3 XML reply (an {@code <Error>}, {@code <InitiateMultipartUploadResult>},
 * {@code <ListMultipartUploadsResult>}…) read with the JDK's StAX parser, so that the texts come
 * out as S3 meant them: {@code &amp;}, {@code &quot;}, {@code &lt;}, {@code &gt;}, {@code &apos;},
 * numeric references and CDATA decoded (an UploadId may hold a {@code &}, an ETag comes as
 * {@code &quot;…&quot;}). No DTD is read and no external entity resolved. Element names are
 * taken without their namespace, as S3 sends one namespace for the whole reply.
 */
public final class S3Xml {
  private static final XMLInputFactory FACTORY = factory();

  private final String name;
  private final StringBuilder text = new StringBuilder();
  private final List<S3Xml> children = new ArrayList<>();

  private S3Xml(String name) {
    this.name = name;
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /** The document's root element, or null when {@code xml} is empty or not well-formed XML (an HTML error page, a cut reply). */
  public static S3Xml parse(String xml) {
    if (xml == null || xml.isBlank()) return null;
    XMLStreamReader r = null;
    try {
      r = FACTORY.createXMLStreamReader(new StringReader(xml));
      List<S3Xml> open = new ArrayList<>();
      S3Xml root = null;
      while (r.hasNext()) {
        switch (r.next()) {
          case XMLStreamConstants.START_ELEMENT -> {
            S3Xml e = new S3Xml(r.getLocalName());
            if (open.isEmpty()) root = e;
            else open.get(open.size() - 1).children.add(e);
            open.add(e);
          }
          case XMLStreamConstants.END_ELEMENT -> open.remove(open.size() - 1);
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            if (!open.isEmpty()) open.get(open.size() - 1).text.append(r.getText());
          }
          case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE -> {
            return null; // S3 sends neither
          }
          default -> { }
        }
      }
      return root;
    } catch (XMLStreamException | RuntimeException e) {
      return null;
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing held open: the reader reads a string
        }
      }
    }
  }

  /** This element's name, without namespace prefix. */
  public String name() {
    return name;
  }

  /** The text of the first element named {@code element} at any depth below this one (entities decoded), or null. */
  public String text(String element) {
    for (S3Xml c : children) {
      if (c.name.equals(element)) return c.text.toString();
      String below = c.text(element);
      if (below != null) return below;
    }
    return null;
  }

  /** The elements named {@code element} directly below this one, in document order. */
  public List<S3Xml> all(String element) {
    return children.stream().filter(c -> c.name.equals(element)).toList();
  }

  @Override
  public String toString() {
    return "S3Xml{" + name + "}";
  }
}
