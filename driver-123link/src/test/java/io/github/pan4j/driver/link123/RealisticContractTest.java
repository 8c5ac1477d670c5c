package io.github.pan4j.driver.link123;

import io.github.pan4j.core.Drive;
import java.util.Map;

/**
 * The driver contract with the tree written the way OpenList requires it: every file line
 * {@code size:modified:URL} (OpenList refuses the {@code size::URL} form the plain contract tree
 * uses), read with the default OpenList reading. The direct-link CDN has no realistic-profile
 * quirk of its own; its {@code auth_key} check is the fake's own code.
 */
class RealisticContractTest extends Link123ContractTest {
  @Override
  protected Drive openDrive() {
    String openListTree = tree.replace("::http", ":1700000000:http");
    if (openListTree.contains("::")) throw new AssertionError("a line OpenList would refuse is left");
    return Drive.of(new Link123Provider().openWith(Map.of(
        "tree", openListTree,
        "directLinkPrivateKey", KEY,
        "directLinkUid", Long.toString(alice.uid()),
        "directLinkValidity", "30m"), context));
  }
}
