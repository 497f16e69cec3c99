package dev.deploykit.health;

import dev.deploykit.health.internal.CheckExecution;
import dev.deploykit.health.internal.CheckThreads;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs health checks concurrently, one virtual thread each, every check under its own timeout and
 * all under an overall deadline, and returns one {@link HealthReport} by that deadline, always. A
 * check that overruns is cancelled (its thread interrupted, the resources it registered with
 * {@link CheckContext#onCancel(AutoCloseable)} closed) and reported DOWN "timed out after X".
 *
 * <pre>{@code
 * try (HealthRunner runner = HealthRunner.builder()
 *     .add(CheckSpec.of("db", postgres).groups("readiness"))
 *     .add(CheckSpec.of("app", http).groups("readiness", "liveness"))
 *     .add(CheckSpec.of("llm", generate).critical(false).background(Duration.ofMinutes(1)))
 *     .deadline(Duration.ofSeconds(3))
 *     .build()) {
 *   HealthReport all = runner.run();
 *   HealthReport ready = runner.run("readiness");
 * }
 * }</pre>
 *
 * <p><b>Background mode.</b> A spec with {@link CheckSpec#background(Duration)} is not run on every
 * call: runs serve its last result with its age. With a {@link
 * Builder#backgroundScheduler(ScheduledExecutorService) scheduler}, the runner refreshes it every
 * period on that scheduler; without one, a run refreshes it when its result is older than the
 * period. Before its first result exists, a run runs it like any other check.
 *
 * <p><b>Threads.</b> Each check run gets a new thread from the {@linkplain
 * Builder#threadFactory(ThreadFactory) thread factory} (virtual by default), or a daemon platform
 * thread if its spec asks for one ({@link CheckSpec#platformThread(boolean)}). Platform threads
 * cost far more to start than the rest of a run, so the runner keeps them for the next run: one
 * waits idle at most 30 s and {@link #close()} ends them. A cancelled check's interrupt reaches
 * only that check, never a later one on the same thread.
 *
 * <p><b>Time.</b> The {@link TimeSource} supplies timestamps, latencies and the checks'
 * deadlines; waiting for overrunning checks uses the real clock (a fake time source does not make
 * a hung check time out sooner).
 *
 * <p>Thread-safe: runs may overlap. {@link #close()} stops background refresh; it does not shut
 * down the scheduler, which belongs to the caller.
 */
public final class HealthRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthRunner.class);

  private record Cached(ComponentHealth line, long observedNanos) {}

  /** How long a platform thread waits idle for the next run before it ends. */
  static final Duration PLATFORM_KEEP_ALIVE = Duration.ofSeconds(30);

  private final List<CheckSpec> specs;
  private final Duration deadline;
  private final TimeSource time;
  private final CheckThreads threads;
  private final CheckThreads.Reused platformThreads;
  private final @Nullable ScheduledExecutorService scheduler;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> refreshes = new ArrayList<>();

  private HealthRunner(Builder b) {
    this.specs = List.copyOf(b.specs.values());
    this.deadline = b.deadline;
    this.time = b.time;
    this.threads = CheckThreads.newThreadEach(b.threads != null
        ? b.threads
        : Thread.ofVirtual().name("deploykit-health-", 0).factory());
    this.platformThreads = new CheckThreads.Reused("deploykit-health-p", PLATFORM_KEEP_ALIVE);
    this.scheduler = b.scheduler;
    if (scheduler != null) {
      for (CheckSpec spec : specs) {
        spec.refreshPeriod().ifPresent(period -> refreshes.add(scheduler.scheduleWithFixedDelay(
            () -> refreshQuietly(spec), 0, period.toNanos(), TimeUnit.NANOSECONDS)));
      }
    }
  }

  /** A builder with a 5 s overall deadline, the system time source and virtual threads. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every check.
   *
   * @throws InterruptedException if the calling thread is interrupted (running checks are
   *     cancelled)
   */
  public HealthReport run() throws InterruptedException {
    return runSpecs(specs);
  }

  /**
   * Runs the checks of {@code group} (for example {@code readiness}).
   *
   * @throws IllegalArgumentException if no check belongs to {@code group}
   * @throws InterruptedException if the calling thread is interrupted (running checks are
   *     cancelled)
   */
  public HealthReport run(String group) throws InterruptedException {
    List<CheckSpec> selected = specs.stream().filter(s -> s.groups().contains(group)).toList();
    if (selected.isEmpty()) {
      throw new IllegalArgumentException("no check belongs to group '" + group + "'");
    }
    return runSpecs(selected);
  }

  /**
   * Runs every background check now and stores the results, whatever their age.
   *
   * @throws InterruptedException if the calling thread is interrupted
   */
  public void refresh() throws InterruptedException {
    List<CheckExecution> running = new ArrayList<>();
    Deadline overall = Deadline.after(deadline, time);
    for (CheckSpec spec : specs) {
      if (spec.refreshPeriod().isPresent()) {
        running.add(CheckExecution.start(spec, overall, time, threadsFor(spec)));
      }
    }
    for (CheckExecution e : running) {
      store(e.await());
    }
  }

  /** The specs, in registration order. */
  public List<CheckSpec> specs() {
    return specs;
  }

  /**
   * Stops background refresh (the scheduler itself is the caller's) and ends the idle platform
   * threads kept for reuse. Runs after close still work; their platform threads are not kept.
   */
  @Override
  public void close() {
    synchronized (refreshes) {
      refreshes.forEach(f -> f.cancel(true));
      refreshes.clear();
    }
    platformThreads.close();
  }

  /** How many platform threads the runner keeps now (running a check or idle); for tests. */
  int platformThreadCount() {
    return platformThreads.threads();
  }

  private HealthReport runSpecs(List<CheckSpec> selected) throws InterruptedException {
    Instant startedAt = time.now();
    long start = time.nanoTime();
    Deadline overall = Deadline.after(deadline, time);
    int n = selected.size();
    ComponentHealth[] lines = new ComponentHealth[n];
    int toRun = 0;
    for (int i = 0; i < n; i++) {
      lines[i] = servable(selected.get(i));
      toRun += lines[i] == null ? 1 : 0;
    }
    // One latch for the whole run: the caller sleeps once until every check has answered (or
    // the earliest deadline), instead of waking up once per check.
    CountDownLatch allDone = new CountDownLatch(toRun);
    CheckExecution[] running = new CheckExecution[n];
    try {
      for (int i = 0; i < n; i++) {
        if (lines[i] == null) {
          CheckSpec spec = selected.get(i);
          running[i] = CheckExecution.start(spec, overall, time, threadsFor(spec),
              allDone::countDown);
        }
      }
      awaitAll(running, allDone);
    } catch (InterruptedException e) {
      for (CheckExecution r : running) {
        if (r != null) {
          r.cancel("the health run was interrupted");
        }
      }
      throw e;
    }
    for (int i = 0; i < n; i++) {
      if (running[i] != null) {
        lines[i] = running[i].await();
        if (running[i].spec().refreshPeriod().isPresent()) {
          store(lines[i]);
        }
      }
    }
    List<ComponentHealth> all = List.of(lines);
    return new HealthReport(HealthReport.overall(all), all, startedAt,
        Duration.ofNanos(time.nanoTime() - start));
  }

  /**
   * Waits until every execution has answered or been cut at its deadline. Deadlines are turned
   * into real-clock instants once, when the wait starts: waiting uses the real clock whatever
   * the time source (a fake one does not make a hung check time out sooner, nor never).
   */
  private static void awaitAll(CheckExecution[] running, CountDownLatch allDone)
      throws InterruptedException {
    long now = System.nanoTime();
    long[] cutAt = new long[running.length];
    for (int i = 0; i < running.length; i++) {
      if (running[i] != null) {
        cutAt[i] = now + running[i].deadline().remaining().toNanos();
      }
    }
    while (allDone.getCount() > 0) {
      now = System.nanoTime();
      long wait = Long.MAX_VALUE;
      for (int i = 0; i < running.length; i++) {
        CheckExecution e = running[i];
        if (e != null && !e.isDone()) {
          if (cutAt[i] - now <= 0) {
            e.timeOut();
          } else {
            wait = Math.min(wait, cutAt[i] - now);
          }
        }
      }
      if (wait == Long.MAX_VALUE) {
        allDone.await(); // every line is decided; the last count-down is a moment away
      } else {
        allDone.await(wait, TimeUnit.NANOSECONDS);
      }
    }
  }

  private @Nullable ComponentHealth servable(CheckSpec spec) {
    Duration period = spec.refreshPeriod().orElse(null);
    if (period == null) {
      return null;
    }
    Cached c = cache.get(spec.name());
    if (c == null) {
      return null;
    }
    Duration age = Duration.ofNanos(time.nanoTime() - c.observedNanos());
    if (scheduler == null && age.compareTo(period) >= 0) {
      return null;
    }
    return new ComponentHealth(c.line().name(), c.line().critical(), c.line().groups(),
        c.line().result(), c.line().observedAt(), age);
  }

  private CheckThreads threadsFor(CheckSpec spec) {
    return spec.onPlatformThread() ? platformThreads : threads;
  }

  private void store(ComponentHealth line) {
    cache.put(line.name(), new Cached(line, time.nanoTime()));
  }

  private void refreshQuietly(CheckSpec spec) {
    try {
      Deadline deadline = Deadline.after(spec.timeout(), time);
      store(CheckExecution.start(spec, deadline, time, threadsFor(spec)).await());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; keep refreshing.
      log.warn("background refresh of {} failed: {}", spec.name(), e.toString());
    }
  }

  /**
   * Collects checks and settings for a {@link HealthRunner}.
   *
   * <p>Not thread-safe; build on one thread.
   */
  public static final class Builder {
    private final Map<String, CheckSpec> specs = new LinkedHashMap<>();
    private Duration deadline = Duration.ofSeconds(5);
    private TimeSource time = TimeSource.system();
    private @Nullable ThreadFactory threads;
    private @Nullable ScheduledExecutorService scheduler;

    private Builder() {}

    /**
     * Adds a check.
     *
     * @throws IllegalArgumentException if a check with the same name was added before
     */
    public Builder add(CheckSpec spec) {
      Objects.requireNonNull(spec, "spec");
      if (specs.putIfAbsent(spec.name(), spec) != null) {
        throw new IllegalArgumentException("a check named '" + spec.name() + "' was added twice");
      }
      return this;
    }

    /**
     * Adds a critical check with the default timeout.
     *
     * @throws IllegalArgumentException if the name is invalid or already used
     */
    public Builder add(String name, HealthCheck check) {
      return add(CheckSpec.of(name, check));
    }

    /**
     * The overall deadline of a run; the report comes back by then even if checks hang.
     *
     * @throws IllegalArgumentException if {@code deadline} is zero or negative
     */
    public Builder deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive: " + deadline);
      }
      this.deadline = deadline;
      return this;
    }

    /** Where timestamps, latencies and deadlines come from. */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Where check threads come from; the default makes a virtual thread per check run. Threads
     * must be new and unstarted: the runner interrupts them to cancel checks.
     */
    public Builder threadFactory(ThreadFactory threads) {
      this.threads = Objects.requireNonNull(threads, "threads");
      return this;
    }

    /**
     * A scheduler that refreshes background checks every period, starting when the runner is
     * built. It stays the caller's: the runner never shuts it down.
     */
    public Builder backgroundScheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The runner. */
    public HealthRunner build() {
      return new HealthRunner(this);
    }
  }
}
