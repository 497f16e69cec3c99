package dev.deploykit.health.internal;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one check on its own thread, with its deadline; {@link #await()} returns its line
 * by that deadline, cancelling the check (interrupt plus {@link CheckContext#cancel()}) if it
 * overruns. Thread-safe: the check's thread and the waiting thread race to complete it once.
 */
public final class CheckExecution {
  private static final Logger log = LoggerFactory.getLogger(CheckExecution.class);
  /** An answer this close to the deadline came from I/O that the deadline ended. */
  private static final Duration DEADLINE_SLACK = Duration.ofMillis(2);

  private final CheckSpec spec;
  private final TimeSource time;
  private final ThreadFactory threads;
  private final Deadline deadline;
  private final CheckContext context;
  private final CompletableFuture<ComponentHealth> done = new CompletableFuture<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final long startNanos;
  private final Thread thread;
  private final String timeoutReason;
  private final Runnable onDone;

  private CheckExecution(CheckSpec spec, Deadline overall, TimeSource time, ThreadFactory threads,
      Runnable onDone) {
    this.spec = spec;
    this.onDone = onDone;
    this.time = time;
    this.threads = threads;
    boolean ownTimeout = spec.timeout().compareTo(overall.remaining()) <= 0;
    this.deadline = overall.narrow(spec.timeout());
    this.timeoutReason = ownTimeout
        ? "timed out after " + ReportRenderer.human(spec.timeout())
        : "timed out after " + ReportRenderer.human(overall.timeout()) + " (the run's deadline)";
    this.context = CheckContext.of(deadline);
    this.startNanos = time.nanoTime();
    this.thread = threads.newThread(this::runCheck);
  }

  /** Starts {@code spec}'s check on a new thread from {@code threads}. */
  public static CheckExecution start(
      CheckSpec spec, Deadline overall, TimeSource time, ThreadFactory threads) {
    return start(spec, overall, time, threads, () -> {});
  }

  /**
   * Starts {@code spec}'s check on a new thread from {@code threads}; {@code onDone} runs once
   * when its line is decided (answer, failure or cancellation).
   */
  public static CheckExecution start(CheckSpec spec, Deadline overall, TimeSource time,
      ThreadFactory threads, Runnable onDone) {
    CheckExecution execution = new CheckExecution(spec, overall, time, threads, onDone);
    execution.thread.start();
    return execution;
  }

  /** Whether the check's line is decided. */
  public boolean isDone() {
    return finished.get();
  }

  /** The check's deadline (its timeout within the run's deadline). */
  public Deadline deadline() {
    return deadline;
  }

  private void runCheck() {
    HealthResult result;
    Throwable fatal = null;
    try {
      result = spec.check().check(context);
      if (result == null) {
        result = HealthResult.down("the check returned no result");
      }
    } catch (InterruptedException e) {
      result = HealthResult.down("interrupted");
    } catch (Throwable t) {
      result = HealthResult.down("check failed: " + Failures.describe(t));
      log.debug("check {} threw", spec.name(), t);
      if (t instanceof VirtualMachineError) {
        fatal = t;
      }
    }
    if (!result.isUp() && deadline.remaining().compareTo(DEADLINE_SLACK) < 0) {
      // The check's own I/O gave up at the deadline (its timeouts are set from it): it was cut
      // by the deadline, so it reads the same as one the runner cut.
      result = HealthResult.down(timeoutReason);
    }
    complete(result.withLatency(Duration.ofNanos(time.nanoTime() - startNanos)));
    if (fatal instanceof VirtualMachineError e) {
      throw e;
    }
  }

  private boolean complete(HealthResult result) {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    done.complete(new ComponentHealth(spec.name(), spec.isCritical(), spec.groups(), result,
        time.now(), Duration.ZERO));
    onDone.run();
    return true;
  }

  /** The spec being run. */
  public CheckSpec spec() {
    return spec;
  }

  /**
   * The check's line, waiting at most until its deadline; an overrun is cancelled and reported
   * DOWN "timed out after X".
   *
   * @throws InterruptedException if the waiting thread is interrupted (the check is cancelled)
   */
  public ComponentHealth await() throws InterruptedException {
    try {
      long waitNanos = deadline.remaining().toNanos();
      if (finished.get() || waitNanos <= 0) {
        return finished.get() ? done.join() : timedOut();
      }
      return done.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return timedOut();
    } catch (InterruptedException e) {
      cancel("the runner was interrupted");
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: the future never completes exceptionally", e);
    }
  }

  private ComponentHealth timedOut() {
    cancel(timeoutReason);
    return done.join();
  }

  /** Cancels the check if it has not finished, reporting it DOWN with {@code reason}. */
  public void cancel(String reason) {
    if (complete(HealthResult.down(reason)
        .withLatency(Duration.ofNanos(time.nanoTime() - startNanos)))) {
      thread.interrupt();
      // Closing sockets may block for a moment; the report must not wait for it.
      threads.newThread(context::cancel).start();
    }
  }
}
