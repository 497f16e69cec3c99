package dev.deploykit.sample.common;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a sample's settings from an environment map: a variable that is unset or blank counts as
 * unset, and a value is used without its surrounding white space.
 */
public final class Env {
  private Env() {}

  /** The variable {@code name}, stripped, or {@code otherwise} when it is unset or blank. */
  public static String text(Map<String, String> env, String name, String otherwise) {
    String v = env.get(name);
    return v == null || v.isBlank() ? otherwise : v.strip();
  }

  /** The variable {@code name}, stripped, or null when it is unset or blank. */
  public static @Nullable String textOrNull(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /**
   * The variable {@code name} as a whole number, or {@code otherwise} when it is unset or blank.
   *
   * @throws IllegalArgumentException naming the variable when it is not a whole number
   */
  public static int integer(Map<String, String> env, String name, int otherwise) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + v + " is not a whole number", e);
    }
  }
}
