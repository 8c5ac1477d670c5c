package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.Entry;
import io.github.pan4j.testkit.fake.DemoCloud;
import io.github.pan4j.testkit.fake.FakeStore;
import io.github.pan4j.testkit.fake.Node;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoCloudTest {
  @Test
  void uploadThroughTheWebLogin_isListedThroughTheShare() {
    try (DemoCloud demo = DemoCloud.start(0, 0)) {          // free ports; 0 = the real 16 MiB slices
      FakeStore store = demo.cloud().store();
      Node folder = store.mkdir(demo.account().uid(), FakeStore.ROOT, "Demo");
      demo.share(folder);                                   // key demo-Share1, code 1a2b
      Map<String, Map<String, String>> options = demo.options(folder);
      // demo.context(): the fake's tokens stay in memory, out of your own token file.
      try (Drive pan = Drives.create().open("123pan", options.get("123pan"), demo.context());
           Drive share = Drives.create().open("123share", options.get("123share"), demo.context())) {
        pan.put("/Demo/hello.txt", "hello".getBytes(StandardCharsets.UTF_8));
        List<Entry> shared = share.ls("/");
        assertEquals(List.of("hello.txt"), shared.stream().map(Entry::name).toList());
      }
    }
  }
}
