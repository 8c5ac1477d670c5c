package io.github.pan4j.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Drives;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Old option names, checks between options and typed defaults, all stated in the schema. */
class ConfigSchemaRenameAndCheckTest {
  private static final OptionSpec KEY = OptionSpec.of("directLinkPrivateKey", OptionType.SECRET, "Signing key.");
  private static final OptionSpec UID = OptionSpec.of("directLinkUid", OptionType.INT, "Account id.").withRange(1, 99);
  private static final ConfigSchema SCHEMA = ConfigSchema.of("demo",
          KEY, UID,
          OptionSpec.of("directLinkValidity", OptionType.DURATION, "Lifetime.").withDefault("30m"),
          OptionSpec.renamed("privateKey", KEY),
          OptionSpec.renamed("uid", UID),
          OptionSpec.of("validityMinutes", OptionType.INT, "Minutes.").deprecated("replaced by 'directLinkValidity'"))
      .withCheck((o, problems) -> {
        if (o.has("directLinkPrivateKey") && !o.has("directLinkUid")) {
          problems.add(new ConfigSchema.Problem(List.of("directLinkUid", "directLinkPrivateKey"),
              "option 'directLinkUid' is required when 'directLinkPrivateKey' is set"));
        }
      });

  @Test
  void renamedOption_suppliesTheCurrentKey_andIsNoted() {
    Options o = SCHEMA.parse(Map.of("privateKey", "k3y", "uid", "7"));
    assertEquals("k3y", o.secret("directLinkPrivateKey").reveal());
    assertEquals(7, o.integer("directLinkUid"));
    assertFalse(o.has("privateKey"), "the old name is not a value of its own");
    assertEquals(List.of("option 'privateKey' is deprecated: renamed to 'directLinkPrivateKey'",
        "option 'uid' is deprecated: renamed to 'directLinkUid'"), o.deprecationNotes());
    assertFalse(o.toString().contains("k3y"), o::toString);
  }

  @Test
  void oldAndNewName_sameValue_isFine_differentValues_isAnError() {
    assertEquals(7, SCHEMA.parse(Map.of("directLinkUid", "7", "uid", "7", "directLinkPrivateKey", "k")).integer("directLinkUid"));
    DriveException e = assertThrows(DriveException.class,
        () -> SCHEMA.parse(Map.of("directLinkUid", "7", "uid", "8", "directLinkPrivateKey", "k")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("options 'directLinkUid' and its old name 'uid' are both given with different values;"
        + " keep only 'directLinkUid'"), e.getMessage());
  }

  @Test
  void checks_areCollectedWithTheSchemasOwnProblems() {
    DriveException e = assertThrows(DriveException.class,
        () -> SCHEMA.parse(Map.of("privateKey", "s3cr3t", "directLinkValidity", "soon", "colour", "red")));
    String m = e.getMessage();
    // Deprecated names still work but are not advertised.
    assertTrue(m.contains("unknown option 'colour' (known: directLinkPrivateKey, directLinkUid, directLinkValidity)"), m);
    assertTrue(m.contains("option 'directLinkValidity' must be a duration"), m);
    assertTrue(m.contains("option 'directLinkUid' is required when 'directLinkPrivateKey' is set"), m);
    assertFalse(m.contains("s3cr3t"), m);
  }

  @Test
  void defaults_areTheTypedDefaultsOfTheSchema() {
    Options d = SCHEMA.defaults();
    assertEquals(Duration.ofMinutes(30), d.duration("directLinkValidity"));
    assertFalse(d.has("directLinkUid"));
    assertThrows(IllegalStateException.class, () -> ConfigSchema.of("bad",
        OptionSpec.of("n", OptionType.INT, "A number.").withDefault("many")).defaults());
  }

  @Test
  void renamed_mustPointAtACurrentOptionOfTheSameType() {
    OptionSpec secret = OptionSpec.of("a", OptionType.SECRET, "A.");
    assertThrows(IllegalArgumentException.class, () -> ConfigSchema.of("bad", OptionSpec.renamed("b", secret)));
    assertThrows(IllegalArgumentException.class, () -> ConfigSchema.of("bad",
        OptionSpec.of("a", OptionType.STRING, "A."), OptionSpec.renamed("b", secret)));
  }

  @Test
  void describe_marksDeprecatedOptions() {
    DriverProvider<Object> p = new DriverProvider<>() {
      @Override public String id() { return "demo"; }
      @Override public String displayName() { return "Demo"; }
      @Override public ConfigSchema schema() { return SCHEMA; }
      @Override public Class<? extends Driver> driverType() { return Driver.class; }
      @Override public Object parse(Map<String, String> options) { return SCHEMA.parse(options); }
      @Override public Driver open(Object config, DriverContext context) { throw new UnsupportedOperationException(); }
    };
    String text = Drives.of(List.of(p)).describe();
    assertTrue(text.contains("privateKey") && text.contains("deprecated (renamed to 'directLinkPrivateKey')"), text);
    assertTrue(text.contains("deprecated (replaced by 'directLinkValidity')"), text);
    assertFalse(text.lines().filter(l -> l.contains("directLinkPrivateKey  SECRET")).anyMatch(l -> l.contains("deprecated")), text);
  }
}
