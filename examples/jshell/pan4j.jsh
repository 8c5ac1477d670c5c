// pan4j in JShell: ./pan4j jshell  (builds if needed, then loads this file)
//   var d = memory();                      an empty in-memory drive
//   var drives = fake();                   the fake 123 cloud with demo data, all four drivers mounted
//   show(drives.get("123open").ls("/Demo"))
System.setProperty("slf4j.internal.verbosity", "ERROR"); // no logging backend here; skip SLF4J's notice
import io.github.pan4j.core.*;
import io.github.pan4j.core.config.*;
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
  var vip = new VipCdnFrontDoor().requireDirectLinkSpace(false);
  cloud = FakeCloud.builder().door(new OpenApiFrontDoor().vipDoor(vip)).door(new WebFrontDoor())
      .door(new ShareFrontDoor()).door(vip).build().start();
  var store = cloud.store();
  var account = OpenApiFrontDoor.demoAccount(store).password(WebFrontDoor.DEMO_PASSWORD);
  var demo = store.mkdir(account.uid(), FakeStore.ROOT, "Demo");
  store.createFile(account.uid(), demo.id(), "hello.txt",
      store.putBlob("hello from the fake cloud\n".getBytes(StandardCharsets.UTF_8)));
  store.createShare(new Share("demo-Share1", "1a2b", account.uid(), demo.id(), null));
  var web = cloud.baseUrl("web") + WebFrontDoor.API;
  var drives = new LinkedHashMap<String, Drive>();
  drives.put("123open", Drives.open("123open", Map.of("clientId", OpenApiFrontDoor.DEMO_CLIENT_ID,
      "clientSecret", OpenApiFrontDoor.DEMO_CLIENT_SECRET, "apiBaseUrl", cloud.baseUrl("open"))));
  drives.put("123pan", Drives.open("123pan", Map.of("username", WebFrontDoor.DEMO_PHONE,
      "password", WebFrontDoor.DEMO_PASSWORD, "apiBaseUrl", web, "loginBaseUrl", cloud.baseUrl("login"))));
  drives.put("123share", Drives.open("123share", Map.of("shareUrl", "https://www.123pan.com/s/demo-Share1",
      "password", "1a2b", "apiBaseUrl", web)));
  drives.put("123link", Drives.open("123link", Map.of("tree", vip.treeOf(account.uid(), FakeStore.ROOT))));
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
