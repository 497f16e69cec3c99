package dev.deploykit.health;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What one check observed: a {@link HealthStatus}, the time the probe took, a one-line detail for
 * people, and structured data for machines (numbers, strings, booleans).
 *
 * <pre>{@code
 * return HealthResult.degraded("3 jobs queued, no idle or running worker")
 *     .withData("inQueue", 3)
 *     .withData("idle", 0);
 * }</pre>
 *
 * <p>The detail is always one line (line breaks are replaced, long text is shortened) and must
 * never hold a secret. Checks usually leave {@code latency} at zero: the {@link HealthRunner}
 * measures it and fills it in.
 *
 * <p>Immutable and thread-safe.
 *
 * @param status the status
 * @param detail one line for people
 * @param latency how long the check took
 * @param data structured observations; values are {@link String}, {@link Number} or {@link
 *     Boolean}, in insertion order
 */
public record HealthResult(
    HealthStatus status, String detail, Duration latency, Map<String, Object> data) {

  /** The longest detail kept; longer ones are cut with an ellipsis. */
  public static final int MAX_DETAIL_LENGTH = 300;

  private static final Pattern LINE_BREAK = Pattern.compile("\\s*[\\r\\n]+\\s*");

  /**
   * Normalises the detail to one line and copies the data.
   *
   * @throws IllegalArgumentException if {@code latency} is negative or a data value is not a
   *     string, number or boolean
   */
  public HealthResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(data, "data");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
    detail = oneLine(detail);
    data = Data.copyOf(data);
  }

  /** An UP result with {@code detail}. */
  public static HealthResult up(String detail) {
    return new HealthResult(HealthStatus.UP, detail, Duration.ZERO, Map.of());
  }

  /** A DEGRADED result with {@code detail}. */
  public static HealthResult degraded(String detail) {
    return new HealthResult(HealthStatus.DEGRADED, detail, Duration.ZERO, Map.of());
  }

  /** A DOWN result with {@code detail}. */
  public static HealthResult down(String detail) {
    return new HealthResult(HealthStatus.DOWN, detail, Duration.ZERO, Map.of());
  }

  /** A result of {@code status} with {@code detail}. */
  public static HealthResult of(HealthStatus status, String detail) {
    return new HealthResult(status, detail, Duration.ZERO, Map.of());
  }

  /**
   * A copy with one more data entry (replacing one with the same key).
   *
   * @throws IllegalArgumentException if {@code value} is not a string, number or boolean
   */
  public HealthResult withData(String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(data);
    copy.put(key, value);
    return new HealthResult(status, detail, latency, copy);
  }

  /** A copy with {@code latency}. */
  public HealthResult withLatency(Duration latency) {
    return new HealthResult(status, detail, latency, data);
  }

  /** A copy with {@code status}. */
  public HealthResult withStatus(HealthStatus status) {
    return new HealthResult(status, detail, latency, data);
  }

  /** Whether the status is {@link HealthStatus#UP}. */
  public boolean isUp() {
    return status == HealthStatus.UP;
  }

  @Override
  public String toString() {
    return status + " " + detail + " (" + latency.toNanos() / 1000 + " us)";
  }

  private static Object checkValue(String key, Object value) {
    Objects.requireNonNull(value, () -> "data value of " + key);
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    throw new IllegalArgumentException("data value of " + key
        + " must be a String, Number or Boolean, not " + value.getClass().getName());
  }

  private static String oneLine(String s) {
    // Most details are one line already: no pattern matching for them (the runner makes a
    // result per check per run, and copies it once more to set the latency).
    String line = s.indexOf('\n') < 0 && s.indexOf('\r') < 0
        ? s.strip()
        : LINE_BREAK.matcher(s).replaceAll(" | ").strip();
    return line.length() <= MAX_DETAIL_LENGTH
        ? line
        : line.substring(0, MAX_DETAIL_LENGTH - 1) + "\u2026";
  }

  /**
   * The data of a result: checked, ordered, unmodifiable. A copy of a result (another latency or
   * status) keeps the same instance instead of checking and copying the entries again.
   */
  private static final class Data extends AbstractMap<String, Object> {
    private static final Data EMPTY = new Data(Map.of());

    private final Map<String, Object> entries;

    private Data(Map<String, Object> entries) {
      this.entries = entries;
    }

    static Data copyOf(Map<String, Object> data) {
      if (data instanceof Data d) {
        return d;
      }
      if (data.isEmpty()) {
        return EMPTY;
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      data.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "data key"), checkValue(k, v)));
      return new Data(Collections.unmodifiableMap(copy));
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return entries.entrySet();
    }

    @Override
    public @Nullable Object get(@Nullable Object key) {
      return entries.get(key);
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return entries.containsKey(key);
    }

    @Override
    public int size() {
      return entries.size();
    }
  }
}
