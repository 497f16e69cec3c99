package dev.deploykit.llm.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ollama's {@code keep_alive}: a number of seconds, or a Go duration string ({@code "5m"},
 * {@code "1h30m"}, {@code "0"}); negative means forever, zero means unload right after the request.
 */
public final class KeepAlive {
  /** Stands for "keep loaded forever". */
  public static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE / 2);

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private KeepAlive() {}

  /** A number of seconds; negative means forever. */
  public static Duration ofSeconds(double seconds) {
    if (seconds < 0) {
      return FOREVER;
    }
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  /**
   * Parses a duration string the way Ollama does: a plain number is seconds, else a Go duration.
   *
   * @throws IllegalArgumentException with Go's wording when the text is not a duration
   */
  public static Duration parse(String text) {
    String s = text.strip();
    try {
      return ofSeconds(Double.parseDouble(s));
    } catch (NumberFormatException notANumber) {
      // a Go duration below
    }
    boolean negative = s.startsWith("-");
    String rest = negative || s.startsWith("+") ? s.substring(1) : s;
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }
    Matcher m = PART.matcher(rest);
    int at = 0;
    double nanos = 0;
    while (at < rest.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
      }
      double v = Double.parseDouble(m.group(1));
      nanos += v * switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      at = m.end();
    }
    return negative && nanos > 0 ? FOREVER : Duration.ofNanos((long) nanos);
  }
}
