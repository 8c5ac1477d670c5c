package io.github.pan4j.testkit.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A cloud printed in JShell or in a test's failure says where its servers are and what it plays. */
class FakeCloudToStringTest {
  @Test
  void namesItsStateTheServersUrlsAndTheDoors() {
    FakeCloud cloud = FakeCloud.builder().door(new OpenApiFrontDoor()).door(new VipCdnFrontDoor()).build();
    try {
      assertEquals("FakeCloud{not started, doors=[OpenApiFrontDoor, VipCdnFrontDoor]}", cloud.toString());
      cloud.start();
      StringBuilder servers = new StringBuilder();
      for (String s : FakeCloud.SERVERS) servers.append(s).append('=').append(cloud.baseUrl(s)).append(", ");
      assertEquals("FakeCloud{" + servers + "doors=[OpenApiFrontDoor, VipCdnFrontDoor]}", cloud.toString());
    } finally {
      cloud.close();
    }
    assertEquals("FakeCloud{closed, doors=[OpenApiFrontDoor, VipCdnFrontDoor]}", cloud.toString());
  }
}
