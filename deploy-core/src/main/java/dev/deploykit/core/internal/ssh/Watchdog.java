package dev.deploykit.core.internal.ssh;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces deadlines that sshj cannot: its socket reads during the handshake and its channel
 * reads have no timeout. Every {@code period} it asks each watched {@link Guard} whether it is
 * overdue; an overdue guard acts (closes a socket, aborts a link) and is dropped.
 *
 * <p>Thread safety: safe for concurrent use. One platform daemon thread per watchdog, stopped by
 * {@link #close()}.
 */
final class Watchdog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

  /** Something with a deadline. */
  interface Guard {
    /**
     * Checks the deadline at {@code nowNanos}: acts if it passed. Returns true when the guard is
     * finished (acted, or no longer needed) and may be dropped.
     */
    boolean check(long nowNanos);
  }

  private final LongSupplier clock;
  private final List<Guard> guards = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  private Watchdog(String name, Duration period, LongSupplier clock, boolean start) {
    this.clock = clock;
    this.thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> run(period));
    if (start) {
      thread.start();
    }
  }

  /** A running watchdog on the system's monotonic clock. */
  static Watchdog start(String name, Duration period) {
    return new Watchdog(name, period, System::nanoTime, true);
  }

  /** A watchdog that only checks when {@link #sweep()} is called (tests). */
  static Watchdog manual(LongSupplier clock) {
    return new Watchdog("watchdog (manual)", Duration.ofDays(1), clock, false);
  }

  /** The clock the guards are checked against. */
  long now() {
    return clock.getAsLong();
  }

  void watch(Guard guard) {
    if (!closed) {
      guards.add(guard);
    }
  }

  /**
   * Watches a plain deadline: {@code onExpiry} runs once if {@link Deadline#done()} was not
   * called within {@code timeout}.
   */
  Deadline deadline(Duration timeout, Runnable onExpiry) {
    Deadline deadline = new Deadline(now() + timeout.toNanos(), onExpiry);
    watch(deadline);
    return deadline;
  }

  /** Checks every guard now. */
  void sweep() {
    long now = now();
    for (Guard guard : guards) {
      boolean finished;
      try {
        finished = guard.check(now);
      } catch (RuntimeException e) {
        log.debug("A guard failed; dropping it", e);
        finished = true;
      }
      if (finished) {
        guards.remove(guard);
      }
    }
  }

  private void run(Duration period) {
    while (!closed) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      sweep();
    }
  }

  @Override
  public void close() {
    closed = true;
    guards.clear();
    thread.interrupt();
  }

  /** A deadline that acts once unless it is done first. */
  static final class Deadline implements Guard {
    private final long deadlineNanos;
    private final Runnable onExpiry;
    private volatile boolean done;
    private volatile boolean expired;

    private Deadline(long deadlineNanos, Runnable onExpiry) {
      this.deadlineNanos = deadlineNanos;
      this.onExpiry = onExpiry;
    }

    /** The guarded work finished in time (or failed on its own): nothing to do. */
    void done() {
      done = true;
    }

    /** Whether the deadline passed and {@code onExpiry} ran. */
    boolean expired() {
      return expired;
    }

    @Override
    public boolean check(long nowNanos) {
      if (done) {
        return true;
      }
      if (nowNanos - deadlineNanos >= 0) {
        expired = true;
        onExpiry.run();
        return true;
      }
      return false;
    }
  }
}
