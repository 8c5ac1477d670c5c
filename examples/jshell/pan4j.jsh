// pan4j in JShell: ./pan4j jshell  (builds if needed, then loads this file)
//   var d = memory();                      an empty in-memory drive
//   var drives = fake();                   the fake 123 cloud with demo data, all four drivers mounted
//   show(drives.get("123open").ls("/Demo"))
// slf4j-simple comes with the command line's class path: warn, or PAN4J_LOG (debug, info, ...).
System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getenv().getOrDefault("PAN4J_LOG", "warn"));
import io.github.pan4j.core.*;
import io.github.pan4j.core.config.*;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.testkit.fake.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/** An empty in-memory drive. */
Drive memory() { return Drives.open("memory"); }

/** The running fake cloud after fake(), for cloud.store(), cloud.inject(...), cloud.requests(). */
FakeCloud cloud = null;

/**
 * Starts the fake 123 cloud on loopback with one demo account (/Demo/hello.txt, a share of /Demo)
 * and returns the four drivers opened against it, by id.
 */
Map<String, Drive> fake() {
  var demo = DemoCloud.start(0, 0); // every front door, one account that signs in every way
  cloud = demo.cloud();
  var store = cloud.store();
  var folder = store.mkdir(demo.account().uid(), FakeStore.ROOT, "Demo");
  store.createFile(demo.account().uid(), folder.id(), "hello.txt",
      store.putBlob("hello from the fake cloud\n".getBytes(StandardCharsets.UTF_8)));
  demo.share(folder);
  var drives = new LinkedHashMap<String, Drive>();
  // Tokens of the fake stay in memory, not in the user's token file.
  var context = DriverContext.builder()
      .tokenStore(io.github.pan4j.core.auth.TokenStores.inMemory()).build();
  var registry = Drives.create();
  demo.options(folder).forEach((id, options) -> drives.put(id, registry.open(id, options, context)));
  return drives;
}

/** Prints a list one item a line, a byte array as UTF-8 text, anything else as is. */
void show(Object o) {
  if (o instanceof Collection<?> c) c.forEach(System.out::println);
  else if (o instanceof byte[] b) System.out.print(new String(b, StandardCharsets.UTF_8));
  else System.out.println(o);
}

/** The bytes of a file on a drive, as text. */
String cat(Drive d, String path) {
  var out = new java.io.ByteArrayOutputStream();
  d.get(path, out);
  return out.toString(StandardCharsets.UTF_8);
}

System.out.println("pan4j loaded: memory(), fake(), show(x), cat(drive, path); drivers: " + Drives.create().ids());
