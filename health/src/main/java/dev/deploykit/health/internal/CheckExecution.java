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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one check on its own thread, with its deadline; {@link #await()} returns its line
 * by that deadline, cancelling the check (interrupt plus {@link CheckContext#cancel()}) if it
 * overruns. Thread-safe: the check's thread and the waiting thread race to complete it once (the
 * first {@link CompletableFuture#complete} wins).
 */
public final class CheckExecution {
  private static final Logger log = LoggerFactory.getLogger(CheckExecution.class);
  /** An answer this close to the deadline came from I/O that the deadline ended. */
  private static final long DEADLINE_SLACK_NANOS = Duration.ofMillis(2).toNanos();

  private final CheckSpec spec;
  private final TimeSource time;
  private final CheckThreads threads;
  private final Deadline deadline;
  private final Duration overallTimeout;
  private final boolean ownTimeout;
  private final CheckContext context;
  private final CompletableFuture<ComponentHealth> done = new CompletableFuture<>();
  private final long startNanos;
  /** The running task, once its thread is known; guarded by {@code this}. */
  private CheckThreads.Started started = () -> {};
  /** Whether the runner cut the check; guarded by {@code this}. */
  private boolean cancelled;
  private final Runnable onDone;

  private CheckExecution(CheckSpec spec, Deadline overall, TimeSource time, CheckThreads threads,
      Runnable onDone) {
    this.spec = spec;
    this.onDone = onDone;
    this.time = time;
    this.threads = threads;
    this.ownTimeout = spec.timeout().compareTo(overall.remaining()) <= 0;
    this.overallTimeout = overall.timeout();
    this.deadline = overall.narrow(spec.timeout());
    this.context = CheckContext.of(deadline);
    this.startNanos = time.nanoTime();
  }

  /** Starts {@code spec}'s check on a thread from {@code threads}. */
  public static CheckExecution start(
      CheckSpec spec, Deadline overall, TimeSource time, CheckThreads threads) {
    return start(spec, overall, time, threads, () -> {});
  }

  /**
   * Starts {@code spec}'s check on a thread from {@code threads}; {@code onDone} runs once when
   * its line is decided (answer, failure or cancellation).
   */
  public static CheckExecution start(CheckSpec spec, Deadline overall, TimeSource time,
      CheckThreads threads, Runnable onDone) {
    CheckExecution execution = new CheckExecution(spec, overall, time, threads, onDone);
    CheckThreads.Started started = threads.start(execution::runCheck);
    boolean cutAlready;
    synchronized (execution) {
      execution.started = started;
      cutAlready = execution.cancelled;
    }
    if (cutAlready) {
      // Cut before its thread was known (a run interrupted at once): interrupt it now.
      started.interrupt();
    }
    return execution;
  }

  /** Whether the check's line is decided. */
  public boolean isDone() {
    return done.isDone();
  }

  /** The check's deadline (its timeout within the run's deadline). */
  public Deadline deadline() {
    return deadline;
  }

  /**
   * Why an overrun check is DOWN: its own timeout, or the run's deadline if that came first.
   * Built only when a check times out, not on every run.
   */
  private String timeoutReason() {
    return ownTimeout
        ? "timed out after " + ReportRenderer.human(spec.timeout())
        : "timed out after " + ReportRenderer.human(overallTimeout) + " (the run's deadline)";
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
    if (!result.isUp() && deadline.remaining().toNanos() < DEADLINE_SLACK_NANOS) {
      // The check's own I/O gave up at the deadline (its timeouts are set from it): it was cut
      // by the deadline, so it reads the same as one the runner cut.
      result = HealthResult.down(timeoutReason());
    }
    complete(result.withLatency(Duration.ofNanos(time.nanoTime() - startNanos)));
    if (fatal instanceof VirtualMachineError e) {
      throw e;
    }
  }

  private boolean complete(HealthResult result) {
    if (done.isDone()) {
      return false;
    }
    boolean won = done.complete(new ComponentHealth(spec.name(), spec.isCritical(),
        spec.groups(), result, time.now(), Duration.ZERO));
    if (won) {
      onDone.run();
    }
    return won;
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
      if (done.isDone()) {
        return done.join();
      }
      long waitNanos = deadline.remaining().toNanos();
      return waitNanos <= 0 ? timedOut() : done.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return timedOut();
    } catch (InterruptedException e) {
      cancel("the runner was interrupted");
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: the future never completes exceptionally", e);
    }
  }

  /** Cuts the check at its deadline if it has not answered: DOWN "timed out after X". */
  public void timeOut() {
    cancel(timeoutReason());
  }

  private ComponentHealth timedOut() {
    timeOut();
    return done.join();
  }

  /** Cancels the check if it has not finished, reporting it DOWN with {@code reason}. */
  public void cancel(String reason) {
    if (complete(HealthResult.down(reason)
        .withLatency(Duration.ofNanos(time.nanoTime() - startNanos)))) {
      CheckThreads.Started toInterrupt;
      synchronized (this) {
        cancelled = true;
        toInterrupt = started;
      }
      toInterrupt.interrupt();
      // Closing sockets may block for a moment; the report must not wait for it.
      threads.start(context::cancel);
    }
  }
}
