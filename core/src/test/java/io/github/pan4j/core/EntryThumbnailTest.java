package io.github.pan4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryThumbnailTest {
  private static final String URL = "https://cdn.example/123-4/ab/1-0/ab/c-m2_70_70?s=signature&w=70&h=70";

  @Test
  void oldConstructorAndFactories_haveNoThumbnail() {
    Entry e = new Entry("1", "0", "a.mp4", null, false, 3, null, null, null, Map.of());
    assertNull(e.thumbnail());
    assertTrue(e.thumbnailIfAny().isEmpty());
    assertNull(Entry.file("2", "0", "b", 1, null, null).thumbnail());
    assertNull(Entry.folder("3", "0", "c", null).thumbnail());
  }

  @Test
  void thumbnail_survivesWithPath_blankIsNone_andIsNotPrinted() {
    Entry e = Entry.file("1", "0", "a.mp4", 3, null, null).withThumbnail(URL);
    assertEquals(URL, e.withPath("/x/a.mp4").thumbnail());
    assertEquals(URL, e.thumbnailIfAny().orElseThrow());
    assertNull(e.withThumbnail("  ").thumbnail());
    assertFalse(e.toString().contains("signature"), "a signed provider URL is not printed: " + e);
    assertFalse(e.equals(e.withThumbnail(null)));
  }
}
