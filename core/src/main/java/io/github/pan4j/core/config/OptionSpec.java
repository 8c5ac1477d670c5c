package io.github.pan4j.core.config;

import java.util.List;
import java.util.Objects;

/**
 * One option of a driver's configuration, with what a host needs to render a form field.
 *
 * @param key the option key, camelCase ({@code clientId})
 * @param type how the value is parsed and shown
 * @param required whether it must be given (a default makes it optional)
 * @param defaultValue text used when absent, or null
 * @param description one or two sentences for people
 * @param example a sample value (never a real secret), or null
 * @param choices allowed values for {@link OptionType#ENUM}, else empty
 * @param min lower bound for {@link OptionType#INT}, or null; {@code Long.MIN_VALUE} also means none
 * @param max upper bound for {@link OptionType#INT}, or null; {@code Long.MAX_VALUE} also means none
 *     (as in {@code withRange(-1, Long.MAX_VALUE)}): render such a side as open
 * @param group a heading to group related fields under, or null
 * @param replacedBy for an old name of an option: the current key, whose value this one supplies
 *     (same type); else null
 * @param deprecation why the option is deprecated and what to use instead, or null when it is not;
 *     hosts leave deprecated options out of new forms, {@code Drives.describe()} shows the note
 */
public record OptionSpec(
    String key,
    OptionType type,
    boolean required,
    String defaultValue,
    String description,
    String example,
    List<String> choices,
    Long min,
    Long max,
    String group,
    String replacedBy,
    String deprecation) {

  public OptionSpec {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    choices = choices == null ? List.of() : List.copyOf(choices);
    if (replacedBy != null && deprecation == null) deprecation = "renamed to '" + replacedBy + "'";
  }

  /** An option that is not deprecated (the form before {@code replacedBy} and {@code deprecation}). */
  public OptionSpec(String key, OptionType type, boolean required, String defaultValue, String description,
      String example, List<String> choices, Long min, Long max, String group) {
    this(key, type, required, defaultValue, description, example, choices, min, max, group, null, null);
  }

  /**
   * The old name {@code oldKey} of {@code current}: still accepted, its value goes to
   * {@code current}'s key, and it is shown as deprecated. Giving both names with different values
   * is a configuration error.
   */
  public static OptionSpec renamed(String oldKey, OptionSpec current) {
    return new OptionSpec(oldKey, current.type(), false, null, "Old name of '" + current.key() + "'.", null,
        current.choices(), current.min(), current.max(), current.group(), current.key(), null);
  }

  /** True when the option is deprecated (see {@link #deprecation()}). */
  public boolean deprecated() {
    return deprecation != null;
  }

  /** This option marked deprecated with {@code note} (what to use instead). */
  public OptionSpec deprecated(String note) {
    return new OptionSpec(key, type, required, defaultValue, description, example, choices, min, max, group, replacedBy,
        Objects.requireNonNull(note, "note"));
  }

  /** An optional option of the given type with no default. */
  public static OptionSpec of(String key, OptionType type, String description) {
    return new OptionSpec(key, type, false, null, description, null, List.of(), null, null, null);
  }

  /**
   * An optional {@link OptionType#ENUM} option with its choices. ({@code of(key, ENUM, …)} cannot
   * build one: an enum option without choices is refused.)
   */
  public static OptionSpec ofEnum(String key, String description, String... choices) {
    return new OptionSpec(key, OptionType.ENUM, false, null, description, null, List.of(choices), null, null, null);
  }

  public OptionSpec asRequired() {
    return new OptionSpec(key, type, true, defaultValue, description, example, choices, min, max, group, replacedBy, deprecation);
  }

  public OptionSpec withDefault(String value) {
    return new OptionSpec(key, type, required, value, description, example, choices, min, max, group, replacedBy, deprecation);
  }

  public OptionSpec withExample(String value) {
    return new OptionSpec(key, type, required, defaultValue, description, value, choices, min, max, group, replacedBy, deprecation);
  }

  public OptionSpec withChoices(String... values) {
    return new OptionSpec(key, type, required, defaultValue, description, example, List.of(values), min, max, group, replacedBy, deprecation);
  }

  public OptionSpec withRange(long min, long max) {
    return new OptionSpec(key, type, required, defaultValue, description, example, choices, min, max, group, replacedBy, deprecation);
  }

  public OptionSpec inGroup(String value) {
    return new OptionSpec(key, type, required, defaultValue, description, example, choices, min, max, value, replacedBy, deprecation);
  }

  /** True for secrets: hosts must not echo the value back. */
  public boolean secret() {
    return type == OptionType.SECRET;
  }
}
