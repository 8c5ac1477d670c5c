package io.github.pan4j.driver.link123;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pan4j.core.Capability;
import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.ErrorKind;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.Secret;
import io.github.pan4j.core.spi.DriverProvider;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.ServiceLoader;
import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.ConfigSchema.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options, schema, discovery and declared capabilities of the 123link provider. */
class Link123ProviderTest {
  private static final String TREE = "a:\n  12:https://vip.123pan.cn/1812345678/a/x.bin";
  private final Link123Provider provider = new Link123Provider();

  @Test
  void serviceLoader_findsProviderById() {
    boolean found = ServiceLoader.load(DriverProvider.class).stream()
        .map(ServiceLoader.Provider::get).anyMatch(p -> p.id().equals("123link") && p instanceof Link123Provider);
    assertTrue(found);
  }

  @Test
  void capabilities_areReadOnly() {
    assertEquals(EnumSet.of(Capability.LIST, Capability.LINK, Capability.STAT), provider.capabilities());
  }

  @Test
  void parse_minimal_givesUnsignedConfigWith30Minutes() {
    Link123Config c = provider.parse(Map.of("tree", TREE));
    assertEquals(TREE, c.tree());
    assertNull(c.privateKey());
    assertTrue(c.signingKey().isEmpty());
    assertEquals(Duration.ofMinutes(30), c.validity());
  }

  @Test
  void parse_allOptions_areTyped() {
    Link123Config c = provider.parse(Map.of("tree", TREE, "directLinkPrivateKey", "k3y", "directLinkUid", "1812345678",
        "directLinkValidity", "5m"));
    assertEquals(Secret.of("k3y"), c.privateKey());
    assertEquals(1812345678L, c.uid());
    assertEquals(Duration.ofMinutes(5), c.validity());
    assertFalse(c.toString().contains("k3y"));
    assertFalse(c.toString().contains("vip.123pan.cn"), "toString summarises the tree instead of printing it");
  }

  @Test
  void parse_oldOptionNames_stillWork() {
    Link123Config c = provider.parse(Map.of("tree", TREE, "privateKey", "k3y", "uid", "1812345678", "validityMinutes", "5"));
    assertEquals(Secret.of("k3y"), c.privateKey());
    assertEquals(1812345678L, c.uid());
    assertEquals(Duration.ofMinutes(5), c.validity());
    assertEquals(c, provider.parse(Map.of("tree", TREE, "directLinkPrivateKey", "k3y", "uid", "1812345678",
        "validityMinutes", "5", "directLinkValidity", "5m")), "old and new names agreeing is fine");
  }

  @Test
  void parse_oldAndNewValidity_disagreeing_isConfigInvalid() {
    DriveException e = assertThrows(DriveException.class,
        () -> provider.parse(Map.of("tree", TREE, "validityMinutes", "5", "directLinkValidity", "10m")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("keep only 'directLinkValidity'"), e.getMessage());
  }

  @Test
  void parse_emptyPrivateKey_meansUnsigned() {
    assertNull(provider.parse(Map.of("tree", TREE, "directLinkPrivateKey", "")).privateKey());
  }

  @Test
  void parse_keyWithoutUid_andBadTree_areReportedTogether() {
    DriveException e = assertThrows(DriveException.class,
        () -> provider.parse(Map.of("tree", "a:\n   https://h/x", "directLinkPrivateKey", "s3cr3t")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("option 'directLinkUid' is required when 'directLinkPrivateKey' is set"), e.getMessage());
    assertTrue(e.getMessage().contains("line 2: indented by 3 spaces"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t"));
  }

  @Test
  void parse_missingTreeOrBadValidity_isConfigInvalid() {
    DriveException e = assertThrows(DriveException.class, () -> provider.parse(Map.of("validityMinutes", "0")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("option 'tree' is required"), e.getMessage());
    assertTrue(e.getMessage().contains("option 'validityMinutes' must be between 1 and 525600"), e.getMessage());
  }

  @Test
  void schema_describesEveryConfigComponent() {
    for (String key : new String[] {"tree", "directLinkPrivateKey", "directLinkUid", "directLinkValidity", "strict"}) {
      OptionSpec o = provider.schema().option(key);
      assertNotNull(o, key);
      assertFalse(o.deprecated(), key);
    }
    assertTrue(provider.schema().option("tree").required());
    assertTrue(provider.schema().option("directLinkPrivateKey").secret());
    assertEquals("30m", provider.schema().option("directLinkValidity").defaultValue());
    assertEquals(Link123Config.DEFAULT_VALIDITY, Duration.ofMinutes(30), "the record's default is the schema's");
    for (String old : new String[] {"privateKey", "uid", "validityMinutes"}) {
      assertTrue(provider.schema().option(old).deprecated(), old);
    }
    assertEquals("directLinkPrivateKey", provider.schema().option("privateKey").replacedBy());
    assertEquals("false", provider.schema().option("strict").defaultValue());
    assertEquals(8, provider.schema().options().size());
  }

  @Test
  void config_keyWithoutUid_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Link123Config(TREE, Secret.of("k"), 0, null));
    assertThrows(IllegalArgumentException.class, () -> Link123Config.unsigned(TREE).withValidity(Duration.ZERO));
  }

  /** A form's validity too short for a signed link is a configuration error naming the option, not a crash of parse. */
  @Test
  void parse_aValidityUnderOneSecond_isAConfigErrorNamingTheOption() {
    DriveException e = assertThrows(DriveException.class, () -> provider.parse(Map.of("tree", TREE, "directLinkValidity", "0s")));
    assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
    assertTrue(e.getMessage().contains("option 'directLinkValidity' must be at least 1s"), e.getMessage());
  }

  /** A host marks the fields a rule between options concerns, without reading its words. */
  @Test
  void check_rulesBetweenOptions_nameTheirOptions_andNoSecret() {
    ConfigSchema s = provider.schema();
    List<Problem> noUid = s.check(Map.of("tree", TREE, "directLinkPrivateKey", "k3y-not-shown"));
    assertEquals(List.of(List.of("directLinkUid", "directLinkPrivateKey")), noUid.stream().map(Problem::options).toList());
    assertFalse(noUid.toString().contains("k3y-not-shown"), noUid::toString);
    assertEquals(List.of(List.of("directLinkUid", "directLinkPrivateKey")),
        s.check(Map.of("tree", TREE, "privateKey", "k3y", "uid", "0")).stream().map(Problem::options).toList(),
        "old names given: the fields of the current names");
    assertEquals(List.of(new Problem(List.of("directLinkValidity"),
            "option 'directLinkValidity' must be at least 1s, such as 30m, but was PT0.5S")),
        s.check(Map.of("tree", TREE, "directLinkValidity", "500ms")));
    List<Problem> badTree = s.check(Map.of("tree", "a:\n  nonsense"));
    assertEquals(List.of(List.of("tree")), badTree.stream().map(Problem::options).toList());
    assertTrue(badTree.get(0).message().contains("line 2"), badTree::toString);
  }
}
