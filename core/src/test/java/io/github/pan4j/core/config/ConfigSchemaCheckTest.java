package io.github.pan4j.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.config.ConfigSchema.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ConfigSchema#check}: every problem of a form at once, each naming the options a host marks. */
class ConfigSchemaCheckTest {
  private static final OptionSpec SECRET = OptionSpec.of("clientSecret", OptionType.SECRET, "client secret");
  private static final ConfigSchema SCHEMA = ConfigSchema.of("demo",
          OptionSpec.of("clientId", OptionType.STRING, "client id").asRequired(),
          SECRET,
          OptionSpec.of("accessToken", OptionType.SECRET, "pasted token"),
          OptionSpec.of("threads", OptionType.INT, "parallel parts").withDefault("3").withRange(1, 32),
          OptionSpec.of("pin", OptionType.INT, "a number"),
          OptionSpec.of("directLink", OptionType.BOOLEAN, "use direct links").withDefault("false"),
          OptionSpec.of("validity", OptionType.DURATION, "link lifetime").withDefault("30m"),
          OptionSpec.ofEnum("tier", "QPS tier", "auto", "free", "vip"),
          OptionSpec.renamed("secret", SECRET))
      .withCheck((o, problems) -> {
        if (o.has("clientSecret") && o.has("accessToken")) {
          problems.add(new Problem(List.of("accessToken", "clientSecret"),
              "give 'clientSecret' or 'accessToken', not both"));
        }
      });

  private static Map<String, String> form(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  private static Problem only(List<Problem> problems) {
    assertEquals(1, problems.size(), problems::toString);
    return problems.get(0);
  }

  @Test
  void aGoodForm_hasNoProblems_andParses() {
    Map<String, String> ok = form("clientId", "c", "clientSecret", "s", "threads", "", "tier", "VIP");
    assertEquals(List.of(), SCHEMA.check(ok));
    assertEquals(3, SCHEMA.parse(ok).integer("threads"));
  }

  @Test
  void eachTypeProblem_namesItsOption() {
    record Case(String key, String value, String words) {}
    for (Case c : List.of(new Case("threads", "many", "must be a whole number"), new Case("threads", "64", "between 1 and 32"),
        new Case("directLink", "yes", "true or false"), new Case("validity", "soon", "a duration"),
        new Case("tier", "gold", "one of [auto, free, vip]"))) {
      Problem p = only(SCHEMA.check(form("clientId", "c", c.key(), c.value())));
      assertEquals(List.of(c.key()), p.options(), c::toString);
      assertTrue(p.message().contains(c.words()), p.message());
    }
  }

  @Test
  void aMissingRequiredOption_isNamed() {
    Problem p = only(SCHEMA.check(form("clientId", "  ")));
    assertEquals(List.of("clientId"), p.options());
    assertEquals("option 'clientId' is required: client id", p.message());
  }

  @Test
  void unknownKeys_areOneProblem_namingThemAsGiven() {
    Problem p = only(SCHEMA.check(form("clientId", "c", "colour", "red", "clientid", "x")));
    assertEquals(List.of("clientid", "colour"), p.options(), "no field of the form has these keys");
    assertTrue(p.message().startsWith("unknown options 'clientid' (did you mean 'clientId'?), 'colour'"), p.message());
  }

  @Test
  void aCheckBetweenOptions_namesTheOptionsItConcerns() {
    Problem p = only(SCHEMA.check(form("clientId", "c", "clientSecret", "s3cr3t", "accessToken", "t0k3n")));
    assertEquals(List.of("accessToken", "clientSecret"), p.options());
    assertEquals("give 'clientSecret' or 'accessToken', not both", p.message());
  }

  @Test
  void anOldNameGivenBesideTheNewOne_namesBoth() {
    Problem p = only(SCHEMA.check(form("clientId", "c", "clientSecret", "one1", "secret", "two2")));
    assertEquals(List.of("clientSecret", "secret"), p.options());
    assertFalse(p.message().contains("one1") || p.message().contains("two2"), p.message());
  }

  @Test
  void everyProblemAtOnce_inTheOrderParseNamesThem_andTheListIsImmutable() {
    Map<String, String> bad = form("colour", "red", "threads", "0", "pin", "x1", "clientSecret", "s3cr3t", "accessToken", "t0k3n");
    List<Problem> problems = SCHEMA.check(bad);
    assertEquals(List.of(List.of("colour"), List.of("clientId"), List.of("threads"), List.of("pin"),
        List.of("accessToken", "clientSecret")), problems.stream().map(Problem::options).toList());
    String m = assertThrows(DriveException.class, () -> SCHEMA.parse(bad)).getMessage();
    assertEquals("demo: open: invalid configuration: "
        + String.join("; ", problems.stream().map(Problem::message).toList()), m, "parse says the same problems");
    assertThrows(UnsupportedOperationException.class, () -> problems.add(new Problem(List.of(), "x")));
    assertThrows(UnsupportedOperationException.class, () -> problems.get(0).options().add("y"));
  }

  @Test
  void aSecretValue_isMaskedEvenWhenACheckEchoesIt() {
    ConfigSchema leaky = ConfigSchema.of("leaky", OptionSpec.of("key", OptionType.SECRET, "a key"))
        .withCheck((o, problems) -> problems.add(new Problem(List.of("key"),
            "option 'key' must not be '" + o.secret("key").reveal() + "'")));
    Problem p = only(leaky.check(form("key", " hunter22 ")));
    assertEquals("option 'key' must not be '****'", p.message());
    String parsed = assertThrows(DriveException.class, () -> leaky.parse(form("key", "hunter22"))).getMessage();
    assertFalse(parsed.contains("hunter22"), parsed);
  }

  /** A slip of a driver's check must not turn a user's bad value into a crash of the form. */
  @Test
  void aCheckNamingAnOptionTheSchemaLacks_stillReportsTheProblem() {
    ConfigSchema typo = ConfigSchema.of("typo", OptionSpec.of("uid", OptionType.INT, "id"))
        .withCheck((o, problems) -> problems.add(new Problem(List.of("userId"), "option 'uid' is wrong")));
    assertEquals(List.of(new Problem(List.of("userId"), "option 'uid' is wrong")), typo.check(Map.of()));
    assertEquals(io.github.pan4j.core.ErrorKind.CONFIG_INVALID, assertThrows(DriveException.class, () -> typo.parse(Map.of())).kind());
  }

  @Test
  void check_changesNothing_andRejectsNull() {
    Map<String, String> values = new HashMap<>(form("clientId", "c", "secret", "old"));
    Map<String, String> before = new HashMap<>(values);
    assertEquals(List.of(), SCHEMA.check(values));
    assertEquals(before, values);
    assertThrows(NullPointerException.class, () -> SCHEMA.check(null));
    assertThrows(NullPointerException.class, () -> new Problem(new ArrayList<>(), null));
  }
}
