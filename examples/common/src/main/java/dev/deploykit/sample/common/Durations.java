package dev.deploykit.sample.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as the samples' settings write them: {@code 500ms}, {@code 10s} (or {@code 1.5s}),
 * {@code 2m}, {@code 1h} where hours are accepted, or ISO-8601 ({@code PT10S}); any case. The
 * callers decide which values they accept (zero, negative) and how they name a wrong one.
 */
public final class Durations {
  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601.
   *
   * @throws IllegalArgumentException when a number is wrong or the unit is missing
   * @throws DateTimeParseException when an ISO-8601 duration is wrong
   */
  public static Duration parse(String text) {
    return parse(text, true);
  }

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 2m} or ISO-8601; {@code h} is no unit here.
   *
   * @throws IllegalArgumentException when a number is wrong or the unit is missing
   * @throws DateTimeParseException when an ISO-8601 duration is wrong
   */
  public static Duration parseWithoutHours(String text) {
    return parse(text, false);
  }

  private static Duration parse(String text, boolean hours) {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.startsWith("pt")) {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    } else if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    } else if (t.endsWith("s")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
    } else if (t.endsWith("m")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
    } else if (hours && t.endsWith("h")) {
      return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    throw new IllegalArgumentException("no unit");
  }
}
