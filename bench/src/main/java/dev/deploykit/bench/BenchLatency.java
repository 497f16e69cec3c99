package dev.deploykit.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How long each benchmark server takes to answer one check: PostgreSQL (both the connection check
 * and the heartbeat query, one round trip each, added by a {@link DelayProxy} in front of the
 * server), the app's {@code /up}, and the Ollama-like API (the check makes three requests; each
 * answers after a third of the figure). The container inspect and the host resources check run
 * as they are.
 *
 * <p>Spelled as a JMH parameter: {@code realistic} (PostgreSQL 2 ms, app 5 ms, Ollama 20 ms),
 * {@code zero} (no added latency), or {@code postgres=2ms,app=5ms,ollama=20ms} (any subset; the
 * rest zero).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the spelling it was parsed from
 * @param postgres added to each PostgreSQL round trip
 * @param app added to each {@code /up} answer
 * @param ollama added to one Ollama check, spread over its three requests
 */
public record BenchLatency(String name, Duration postgres, Duration app, Duration ollama) {
  /** The example latencies of the health benchmark: PostgreSQL 2 ms, app 5 ms, Ollama 20 ms. */
  public static final BenchLatency REALISTIC = new BenchLatency("realistic",
      Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(20));
  /** Every server answers as fast as it can on loopback. */
  public static final BenchLatency ZERO = new BenchLatency("zero",
      Duration.ZERO, Duration.ZERO, Duration.ZERO);

  /** Validates. */
  public BenchLatency {
    Objects.requireNonNull(name, "name");
    for (Duration d : new Duration[] {postgres, app, ollama}) {
      if (Objects.requireNonNull(d, "latency").isNegative()) {
        throw new IllegalArgumentException("latency must not be negative: " + d);
      }
    }
  }

  /**
   * Parses a JMH parameter value as described in the class comment.
   *
   * @throws IllegalArgumentException if a part is not {@code server=Nms} or names no server
   */
  public static BenchLatency parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals(REALISTIC.name())) {
      return REALISTIC;
    }
    if (s.equals(ZERO.name())) {
      return ZERO;
    }
    Duration pg = Duration.ZERO;
    Duration app = Duration.ZERO;
    Duration ollama = Duration.ZERO;
    for (String part : s.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2 || !kv[1].endsWith("ms")) {
        throw new IllegalArgumentException("expected server=Nms, got '" + part + "'");
      }
      Duration d = Duration.ofNanos(Math.round(
          Double.parseDouble(kv[1].substring(0, kv[1].length() - 2)) * 1_000_000));
      switch (kv[0].trim()) {
        case "postgres" -> pg = d;
        case "app" -> app = d;
        case "ollama" -> ollama = d;
        default -> throw new IllegalArgumentException("no server named '" + kv[0] + "'");
      }
    }
    return new BenchLatency(spec, pg, app, ollama);
  }

  /** What one Ollama request waits: a third of the check's latency. */
  public Duration ollamaPerRequest() {
    return ollama.dividedBy(3);
  }

  /** A line for the benchmark's output. */
  public String describe() {
    return name + " (PostgreSQL " + ms(postgres) + " per round trip, app " + ms(app)
        + ", Ollama " + ms(ollama) + " per check over 3 requests; container inspect and host"
        + " resources as they are)";
  }

  private static String ms(Duration d) {
    return BigDecimal.valueOf(d.toNanos(), 6).setScale(2, RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString() + " ms";
  }
}
