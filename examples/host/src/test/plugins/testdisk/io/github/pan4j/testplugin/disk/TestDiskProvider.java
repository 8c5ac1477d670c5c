package io.github.pan4j.testplugin.disk;

import io.github.pan4j.core.config.ConfigSchema;
import io.github.pan4j.core.config.OptionSpec;
import io.github.pan4j.core.config.OptionType;
import io.github.pan4j.core.config.Options;
import io.github.pan4j.core.spi.Driver;
import io.github.pan4j.core.spi.DriverContext;
import io.github.pan4j.core.spi.DriverProvider;
import java.util.Map;

/**
 * A test-only driver plugin for the host's tests: files in a local folder, served for 302 by a
 * test "CDN" at baseUrl. Compiled and jarred by the tests, never on the host's class path.
 */
public final class TestDiskProvider implements DriverProvider<Options> {
  static final ConfigSchema SCHEMA = ConfigSchema.of("testdisk",
      OptionSpec.of("root", OptionType.STRING, "Folder whose files the drive shows.").asRequired(),
      OptionSpec.of("baseUrl", OptionType.STRING, "URL where the test CDN serves the folder.").asRequired().withExample("http://127.0.0.1:8080/files"),
      OptionSpec.of("referer", OptionType.STRING, "Referer the CDN requires; links then prefer the proxy."),
      OptionSpec.of("token", OptionType.SECRET, "A secret, to show write-only form fields.").inGroup("Account"),
      new OptionSpec("region", OptionType.ENUM, false, "east", "Which region to use.", null, java.util.List.of("east", "west"), null, null, "Account"),
      OptionSpec.of("notes", OptionType.TEXT, "Free notes."),
      OptionSpec.of("readOnly", OptionType.BOOLEAN, "Refuse writes.").withDefault("false"),
      OptionSpec.of("pageSize", OptionType.INT, "Entries per listing page.").withDefault("100").withRange(1, 1000),
      OptionSpec.of("linkTtl", OptionType.DURATION, "How long links live.").withDefault("15m"),
      OptionSpec.of("quotaBytes", OptionType.INT, "Total space reported.").withDefault("1073741824"),
      OptionSpec.of("unknownSizes", OptionType.BOOLEAN, "Report no file sizes (like a 123link tree without them).").withDefault("false"));

  @Override public String id() { return "testdisk"; }
  @Override public String displayName() { return "Test disk"; }
  @Override public ConfigSchema schema() { return SCHEMA; }
  @Override public Class<? extends Driver> driverType() { return TestDiskDriver.class; }
  @Override public Options parse(Map<String, String> options) { return SCHEMA.parse(options); }
  @Override public Driver open(Options config, DriverContext context) { return new TestDiskDriver(config, context); }
}
