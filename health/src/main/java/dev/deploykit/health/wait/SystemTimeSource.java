package dev.deploykit.health.wait;

import java.time.Duration;
import java.time.Instant;

/** The machine's clocks; stateless, so one shared instance is safe. */
enum SystemTimeSource implements TimeSource {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isNegative() || duration.isZero()) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      return;
    }
    Thread.sleep(duration);
  }

  @Override
  public String toString() {
    return "TimeSource.system()";
  }
}
