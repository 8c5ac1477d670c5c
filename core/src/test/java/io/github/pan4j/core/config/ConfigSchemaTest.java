package io.github.pan4j.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
  private final ConfigSchema schema = ConfigSchema.of("123open",
      OptionSpec.of("clientId", OptionType.STRING, "client id from the developer console").asRequired(),
      OptionSpec.of("clientSecret", OptionType.SECRET, "client secret").asRequired(),
      OptionSpec.of("uploadThreads", OptionType.INT, "parallel slices").withDefault("3").withRange(1, 32),
      OptionSpec.of("directLink", OptionType.BOOLEAN, "use direct links").withDefault("false"),
      OptionSpec.of("validity", OptionType.DURATION, "signed link lifetime").withDefault("30m"),
      OptionSpec.of("tier", OptionType.ENUM, "QPS tier").withChoices("auto", "free", "vip").withDefault("auto"));

  @Test
  void parse_validValues_typedWithDefaults() {
    Options o = schema.parse(Map.of("clientId", "abc", "clientSecret", "s", "validity", "PT1H", "tier", "VIP"));
    assertEquals("abc", o.string("clientId"));
    assertEquals("s", o.secret("clientSecret").reveal());
    assertEquals(3, o.intValue("uploadThreads"));
    assertEquals(false, o.bool("directLink"));
    assertEquals(Duration.ofHours(1), o.duration("validity"));
    assertEquals("vip", o.string("tier"));
  }

  @Test
  void parse_everyProblemReportedAtOnce() {
    DriveException e = assertThrows(DriveException.class, () -> schema.parse(Map.of(
        "clientSecret", "s", "uploadThreads", "64", "directLink", "yes", "validity", "soon", "tier", "gold",
        "clientid", "typo")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    String m = e.getMessage();
    for (String expected : new String[] {
        "unknown option 'clientid' (did you mean 'clientId'?)", "option 'clientId' is required", "'uploadThreads' must be between 1 and 32 but was 64",
        "'directLink' must be true or false", "'validity' must be a duration", "'tier' must be one of [auto, free, vip]"}) {
      assertTrue(m.contains(expected), "missing '" + expected + "' in: " + m);
    }
    assertTrue(m.startsWith("123open: open: invalid configuration"), m);
  }

  /** A host shows the message under its form: the known keys once, however many keys are unknown. */
  @Test
  void severalUnknownOptions_listTheKnownOnesOnce() {
    DriveException e = assertThrows(DriveException.class, () -> schema.parse(Map.of("clientId", "c", "clientSecret", "s",
        "colour", "blue", "uploadThread", "4")));
    String m = e.getMessage();
    assertEquals("123open: open: invalid configuration: unknown options 'colour', 'uploadThread' (did you mean"
        + " 'uploadThreads'?) (known: clientId, clientSecret, uploadThreads, directLink, validity, tier)", m);
  }

  /** A bound that is only there to say "no bound" (the most a long holds) is not shown as a number. */
  @Test
  void aRangeOpenOnOneSide_isSaidInWords() {
    ConfigSchema s = ConfigSchema.of("memory",
        OptionSpec.of("quotaBytes", OptionType.INT, "space limit").withRange(-1, Long.MAX_VALUE),
        OptionSpec.of("offset", OptionType.INT, "shift").withRange(Long.MIN_VALUE, 100),
        OptionSpec.of("uid", OptionType.INT, "account id").withRange(1, 9));
    String m = assertThrows(DriveException.class, () -> s.parse(Map.of("quotaBytes", "-5", "offset", "101", "uid", "0")))
        .getMessage();
    assertEquals("memory: open: invalid configuration: option 'quotaBytes' must be at least -1 but was -5;"
        + " option 'offset' must be at most 100 but was 101; option 'uid' must be between 1 and 9 but was 0", m);
    OptionSpec noMax = new OptionSpec("n", OptionType.INT, false, null, "n", null, null, 0L, null, null);
    String m2 = assertThrows(DriveException.class, () -> ConfigSchema.of("x", noMax).parse(Map.of("n", "-1"))).getMessage();
    assertTrue(m2.contains("option 'n' must be at least 0 but was -1"), m2);
  }

  @Test
  void aMistypedOption_isNamedWithTheOneMeant_butAStrangerIsNot() {
    assertEquals("clientId", ConfigSchema.nearest("clientIdd", java.util.List.of("clientId", "clientSecret")));
    assertEquals("clientSecret", ConfigSchema.nearest("clientSecert", java.util.List.of("clientId", "clientSecret")));
    assertEquals("clientId", ConfigSchema.nearest("CLIENTID", java.util.List.of("clientId", "clientSecret")));
    assertEquals(null, ConfigSchema.nearest("colour", java.util.List.of("clientId", "clientSecret")));
    assertEquals(null, ConfigSchema.nearest("ab", java.util.List.of("ac")), "too short to guess");
    DriveException e = assertThrows(DriveException.class, () -> schema.parse(Map.of("clientId", "c", "clientSecret", "s",
        "uploadThread", "4")));
    assertTrue(e.getMessage().contains("unknown option 'uploadThread' (did you mean 'uploadThreads'?)"), e.getMessage());
  }

  @Test
  void shortDurations_parse() {
    assertEquals(Duration.ofMillis(500), ConfigSchema.parseDuration("x", "500ms"));
    assertEquals(Duration.ofSeconds(30), ConfigSchema.parseDuration("x", "30s"));
    assertEquals(Duration.ofMinutes(5), ConfigSchema.parseDuration("x", "5m"));
    assertEquals(Duration.ofHours(2), ConfigSchema.parseDuration("x", "2h"));
    assertEquals(Duration.ofDays(1), ConfigSchema.parseDuration("x", "1d"));
  }

  @Test
  void duplicateKeys_areAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> ConfigSchema.of("x",
        OptionSpec.of("a", OptionType.STRING, "a"), OptionSpec.of("a", OptionType.INT, "again")));
  }
}
