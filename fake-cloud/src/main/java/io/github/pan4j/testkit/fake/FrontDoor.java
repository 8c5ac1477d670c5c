package io.github.pan4j.testkit.fake;

/**
 * One protocol of the fake cloud (open API, web API, share, direct links). It registers routes on
 * the cloud's named servers and keeps its own protocol state (tokens, upload sessions) while the
 * files themselves live in the shared {@link FakeStore}.
 */
public interface FrontDoor {
  /** Registers this door's routes. Called once, before the servers start. */
  void install(FakeCloud cloud);
}
