package io.github.pan4j.testkit.fake;

/** Placeholder; filled in below. */
public final class ShareFrontDoor implements FrontDoor {
  @Override
  public void install(FakeCloud cloud) {}
}
