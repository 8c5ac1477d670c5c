package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.testkit.fake.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The driver against the answers the fake offers where the open platform's reply is not known: the
 * code for a file outside every direct-link space, a cap on the ids of one {@code file/infos} call,
 * the texts of the two 401s.
 */
class Open123UnknownAnswersTest extends Open123Fixture {
  private Node file(long parent, String name) {
    return store.createFile(demo.uid(), parent, name, store.putBlob(name.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whatever code says a file is outside the direct-link space, the driver says how to put it in one. */
  @ParameterizedTest
  @ValueSource(ints = {1, 5066, 403})
  void directLinkOutsideTheSpace_anyCode_saysToEnableTheSpace(int code) {
    door.outsideDirectLinkSpaceCode(code);
    demo.vip(true);
    Node f = file(0, "outside.txt");
    Open123Driver d = driver("directLink", "true");
    DriveException e = assertThrows(DriveException.class, () -> d.link(Long.toString(f.id())));
    assertEquals(ErrorKind.PERMISSION_DENIED, e.kind(), e.toString());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("direct-link space"), e.getMessage());
    assertEquals(String.valueOf(code), e.providerCode().orElseThrow());
    assertEquals("该文件不在直链空间内，请先开启直链空间", e.providerMessage().orElseThrow());
    assertEquals(1, calls("open", "/api/v1/direct-link/url"), "asked once");
  }

  /** With infos capped at 100 ids (as the other batch calls), a purge of more still works. */
  @Test
  void purge_ofMoreThan100_withInfosCappedAt100() {
    door.infosMaxIds(100);
    door.qpsEnabled(false);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      Node n = file(0, "t" + i);
      store.trash(n);
      ids.add(Long.toString(n.id()));
    }
    driver().purge(ids);
    for (String id : ids) assertTrue(store.node(demo.uid(), Long.parseLong(id)).isEmpty(), id);
  }

  /** Whether infos leaves an unknown id out or refuses the call with 5066, a purge skips the id that is gone. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void purge_withAGoneId_whateverInfosDoesWithIt(boolean refuse) {
    door.infosRefuseUnknownIds(refuse);
    Node t = file(0, "t.txt");
    store.trash(t);
    driver().purge(List.of(Long.toString(t.id()), "987654321"));
    assertTrue(store.node(demo.uid(), t.id()).isEmpty());
  }

  /** A taken name is ALREADY_EXISTS whatever code 123 gives it: the driver reads the text. */
  @ParameterizedTest
  @ValueSource(ints = {1, 5060})
  void renameOntoATakenName_anyCode_isAlreadyExists(int code) {
    door.nameClashCode(code);
    Node a = file(0, "a.txt");
    file(0, "b.txt");
    DriveException e = assertThrows(DriveException.class, () -> driver().rename(Long.toString(a.id()), "b.txt"));
    assertEquals(ErrorKind.ALREADY_EXISTS, e.kind(), e.toString());
    assertEquals(String.valueOf(code), e.providerCode().orElseThrow());
  }

  /** Any 401 text is a rejected token: the driver renews it once and goes on. */
  @ParameterizedTest
  @ValueSource(strings = {"access_token无效", "access_token已过期", "token expired"})
  void rejectedToken_anyText_isRenewedOnce(String text) {
    door.expiredTokenMessage(text).invalidTokenMessage(text);
    Open123Driver d = driver();
    d.list("0", null);
    door.failNext("/api/v2/file/list", 1, 401, text);
    d.list("0", null);
    assertEquals(2, door.accessTokenCalls(), "one renewal");
  }
}
