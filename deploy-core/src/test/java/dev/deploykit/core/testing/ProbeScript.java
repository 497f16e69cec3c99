package dev.deploykit.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one HTTP path of a scripted container answers as fake time passes since the container
 * started: 200 (or {@link #answers(int)}) except in the windows where it fails with 503. Every
 * setter returns the container's script, for one-line scripts:
 *
 * <pre>{@code
 * fake.whenCreated("app:v2").probe("/up").failsFrom(Duration.ofSeconds(2));
 * fake.whenCreated("app:v3").probe("/up").failsBetween(Duration.ofSeconds(2), Duration.ofMillis(2250));
 * fake.whenCreated("app:v4").probe("/up").flaps(Duration.ofMillis(250));
 * }</pre>
 *
 * <p>Guarded by its container script.
 */
public final class ProbeScript {
  private record Window(Duration from, @Nullable Duration until) {
    boolean contains(Duration t) {
      return t.compareTo(from) >= 0 && (until == null || t.compareTo(until) < 0);
    }
  }

  private final ContainerScript owner;
  private final List<Window> failing = new ArrayList<>();
  private @Nullable Duration flapPeriod;
  private int okStatus = 200;
  private int failStatus = 503;

  ProbeScript(ContainerScript owner) {
    this.owner = owner;
  }

  /** Fails from {@code from} after each start on, for good. */
  public ContainerScript failsFrom(Duration from) {
    return window(from, null);
  }

  /** Fails until {@code until} after each start (a slow start), then answers. */
  public ContainerScript failsUntil(Duration until) {
    return window(Duration.ZERO, until);
  }

  /** Fails in {@code [from, until)} after each start. */
  public ContainerScript failsBetween(Duration from, Duration until) {
    return window(from, until);
  }

  /** Never answers 2xx. */
  public ContainerScript failsAlways() {
    return window(Duration.ZERO, null);
  }

  /** Answers and fails by turns, {@code period} each, answering first. */
  public ContainerScript flaps(Duration period) {
    synchronized (owner) {
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("period must be positive, was " + period);
      }
      this.flapPeriod = period;
    }
    return owner;
  }

  /** The status of a good answer (default 200) and of a failing one (default 503). */
  public ContainerScript answers(int ok, int failing) {
    synchronized (owner) {
      this.okStatus = ok;
      this.failStatus = failing;
    }
    return owner;
  }

  private ContainerScript window(Duration from, @Nullable Duration until) {
    synchronized (owner) {
      failing.add(new Window(Objects.requireNonNull(from, "from"), until));
    }
    return owner;
  }

  int status(Duration sinceStart) {
    synchronized (owner) {
      boolean fails = failing.stream().anyMatch(w -> w.contains(sinceStart));
      if (flapPeriod != null && (sinceStart.toNanos() / flapPeriod.toNanos()) % 2 == 1) {
        fails = true;
      }
      return fails ? failStatus : okStatus;
    }
  }
}
