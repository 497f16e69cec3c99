package dev.deploykit.core.testing;

import dev.deploykit.health.wait.TimeSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that reads a {@link TimeSource}'s wall clock, so that a deployer's clock (lock
 * leases, release ids) moves with the fake time its waits advance. Thread safe as its source.
 */
public final class TimeSourceClock extends Clock {
  private final TimeSource time;

  /** A UTC clock over {@code time}. */
  public TimeSourceClock(TimeSource time) {
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (!ZoneOffset.UTC.equals(zone)) {
      throw new UnsupportedOperationException("a TimeSourceClock is in UTC");
    }
    return this;
  }

  @Override
  public Instant instant() {
    return time.now();
  }
}
