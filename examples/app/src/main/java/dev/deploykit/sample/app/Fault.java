package dev.deploykit.sample.app;

import dev.deploykit.sample.common.Durations;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * A deliberate defect, chosen by the environment variable {@value #ENV}, so that deploykit's
 * release engine can be shown a bad release without building a broken program:
 *
 * <ul>
 *   <li>{@code exit-at-boot}: exits with status 3 before listening (a crash at start);
 *   <li>{@code never-healthy}: serves every route, but {@code /up} always answers 503;
 *   <li>{@code wrong-port}: listens on {@code PORT + 1} (8081 by default) instead of {@code PORT};
 *   <li>{@code unhealthy-after:<duration>}: healthy first, then {@code /up} answers 503 from
 *       {@code <duration>} after it became ready (every other route keeps serving, so a client
 *       sees no error while the release engine rolls back); the duration is {@code 500ms},
 *       {@code 10s}, {@code 2m} or ISO-8601 ({@code PT10S});
 *   <li>{@code slow-boot:<duration>}: waits that long before listening (a slow but good release).
 * </ul>
 *
 * <p>Unset or empty means no fault; an unknown value stops the app at boot with a message naming
 * the accepted values.
 */
sealed interface Fault {
  /** The environment variable that selects the fault. */
  String ENV = "SAMPLE_FAULT";

  /** No fault: the app behaves. */
  record None() implements Fault {}

  /** Exits with status 3 before listening. */
  record ExitAtBoot() implements Fault {}

  /** {@code /up} never answers 200. */
  record NeverHealthy() implements Fault {}

  /** Listens one port above the configured one. */
  record WrongPort() implements Fault {}

  /**
   * {@code /up} answers 503 from {@code after} past its first 200 on: a release that passes its
   * health gate, whatever the gate's probing cadence, and turns unhealthy in the watch window.
   */
  record UnhealthyAfter(Duration after) implements Fault {
    public UnhealthyAfter {
      Objects.requireNonNull(after, "after");
    }
  }

  /** Waits {@code delay} before listening. */
  record SlowBoot(Duration delay) implements Fault {
    public SlowBoot {
      Objects.requireNonNull(delay, "delay");
    }
  }

  /**
   * Parses the value of {@value #ENV}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  static Fault parse(String value) {
    String v = value == null ? "" : value.strip();
    if (v.isEmpty() || v.equals("none")) {
      return new None();
    }
    int colon = v.indexOf(':');
    String name = (colon < 0 ? v : v.substring(0, colon)).toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? null : v.substring(colon + 1).strip();
    return switch (name) {
      case "exit-at-boot" -> new ExitAtBoot();
      case "never-healthy" -> new NeverHealthy();
      case "wrong-port" -> new WrongPort();
      case "unhealthy-after" -> new UnhealthyAfter(duration(v, arg));
      case "slow-boot" -> new SlowBoot(duration(v, arg));
      default -> throw new IllegalArgumentException(ENV + "=" + v + " is not a known fault; use"
          + " exit-at-boot, never-healthy, wrong-port, unhealthy-after:<duration> or"
          + " slow-boot:<duration> (durations like 500ms, 10s, 2m or PT10S)");
    };
  }

  /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT10S}). */
  static Duration duration(String whole, String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(ENV + "=" + whole + " needs a duration after the colon,"
          + " for example " + whole + ":10s");
    }
    try {
      Duration d = Durations.parse(text);
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return d;
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(ENV + "=" + whole + ": " + text + " is not a duration;"
          + " write 500ms, 10s, 2m, 1h or PT10S", e);
    }
  }
}
