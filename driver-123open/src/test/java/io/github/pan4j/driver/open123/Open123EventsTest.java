package io.github.pan4j.driver.open123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.RequestEvent;
import io.github.pan4j.core.RequestEvent.Outcome;
import io.github.pan4j.core.RequestListener;
import io.github.pan4j.core.TokenRenewalEvent;
import io.github.pan4j.core.ErrorKind;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A host's {@link RequestListener} hears the real endpoints a 123open drive calls on the fake. */
class Open123EventsTest extends Open123Fixture {
  private final List<Object> heard = new CopyOnWriteArrayList<>();
  private final RequestListener recorder = new RequestListener() {
    @Override
    public void requestEnded(RequestEvent event) {
      heard.add(event);
    }

    @Override
    public void renewalEnded(TokenRenewalEvent event) {
      heard.add(event);
    }
  };

  private Open123Driver driverHeard() {
    return (Open123Driver) new Open123Provider().openWith(options(), context().toBuilder().requestListener(recorder).build());
  }

  private List<RequestEvent> at(String endpoint) {
    return heard.stream().filter(RequestEvent.class::isInstance).map(RequestEvent.class::cast)
        .filter(e -> e.endpoint().equals(endpoint)).toList();
  }

  @Test
  void signInAndAThrottledList_arriveWithTheRealEndpoints() {
    Open123Driver d = driverHeard();
    door.failNext("/api/v2/file/list", 1);
    d.list("0", null);

    RequestEvent signIn = assertInstanceOf(RequestEvent.class, heard.get(0), heard.toString());
    assertEquals("/api/v1/access_token", signIn.endpoint());
    assertEquals("123open", signIn.driverId());
    assertEquals("POST", signIn.method());
    assertEquals(Outcome.OK, signIn.outcome());
    TokenRenewalEvent renewal = assertInstanceOf(TokenRenewalEvent.class, heard.get(1), heard.toString());
    assertEquals(TokenRenewalEvent.Trigger.SIGN_IN, renewal.trigger());
    assertTrue(renewal.succeeded());

    List<RequestEvent> lists = at("/api/v2/file/list");
    assertEquals(2, lists.size(), heard.toString());
    RequestEvent throttled = lists.get(0);
    assertEquals(1, throttled.attempt());
    assertEquals("list", throttled.operation());
    assertEquals(OptionalInt.of(200), throttled.status(), "123 says 'too frequent' in an HTTP 200 envelope");
    assertEquals(Optional.of("429"), throttled.providerCode());
    assertTrue(throttled.throttled());
    assertEquals(Outcome.RETRYING, throttled.outcome());
    assertEquals(Optional.of(ErrorKind.RATE_LIMITED), throttled.error());
    assertTrue(throttled.traceId().isPresent(), "the fake sends x-traceID");
    RequestEvent listed = lists.get(1);
    assertEquals(2, listed.attempt());
    assertEquals(Outcome.OK, listed.outcome());
    assertFalse(listed.rateLimitWait().isZero(), "the repeat waited for the endpoint's next turn: " + listed);

    String everything = heard.toString();
    assertFalse(everything.contains(options().get("clientSecret")), everything);
    for (String token : door.issuedTokens()) assertFalse(everything.contains(token), everything);
  }

  @Test
  void revokedToken_isRenewed_andTheListRepeated() {
    Open123Driver d = driverHeard();
    d.list("0", null);
    door.issuedTokens().forEach(door::revokeToken);
    heard.clear();
    d.list("0", null);

    assertTrue(heard.stream().anyMatch(e -> e instanceof TokenRenewalEvent r && r.trigger() == TokenRenewalEvent.Trigger.REJECTED
        && r.succeeded()), heard.toString());
    List<RequestEvent> lists = at("/api/v2/file/list");
    assertEquals(List.of(Outcome.RETRYING, Outcome.OK), lists.stream().map(RequestEvent::outcome).toList(), heard.toString());
    assertEquals(Optional.of(ErrorKind.UNAUTHENTICATED), lists.get(0).error());
  }
}
