package dev.deploykit.health.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a check run gets its thread, and how the runner interrupts it: a new thread per run from
 * a factory ({@link #newThreadEach}, for virtual threads, which cost little to start), or a
 * platform thread kept for reuse ({@link Reused}, since starting one costs far more than the
 * runner's other work per check). Either way an interrupt reaches the check's task while it
 * runs and never a later task on the same thread. Implementations are thread-safe.
 */
public interface CheckThreads {
  /** A started task the runner may interrupt to cancel it. */
  @FunctionalInterface
  interface Started {
    /** Interrupts the task if it is still running (or keeps it from starting); then nothing. */
    void interrupt();
  }

  /** Starts {@code task} now on a thread of its own. */
  Started start(Runnable task);

  /** A new, started thread from {@code factory} per task; the thread itself is interrupted. */
  static CheckThreads newThreadEach(ThreadFactory factory) {
    return task -> {
      Thread t = factory.newThread(task);
      t.start();
      return t::interrupt;
    };
  }

  /**
   * Platform threads kept for reuse: a task takes an idle one or starts a new one (never waits
   * for one); a thread idle for {@code keepAlive} ends. Cancellation is {@code Future.cancel(true)},
   * which interrupts only the task it was given, and the pool clears a thread's interrupt status
   * before its next task. After {@link #close()} tasks get a new thread each.
   */
  final class Reused implements CheckThreads, AutoCloseable {
    private final ThreadFactory factory;
    private final ThreadPoolExecutor pool;

    /** Daemon platform threads named {@code prefix0}, {@code prefix1}, ... */
    public Reused(String prefix, Duration keepAlive) {
      this.factory = Thread.ofPlatform().daemon().name(prefix, 0).factory();
      this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, keepAlive.toNanos(),
          TimeUnit.NANOSECONDS, new SynchronousQueue<>(), factory);
    }

    @Override
    public Started start(Runnable task) {
      try {
        Future<?> f = pool.submit(task);
        return () -> f.cancel(true);
      } catch (RejectedExecutionException closed) {
        return newThreadEach(factory).start(task);
      }
    }

    /** How many threads the pool holds now, running or idle. */
    public int threads() {
      return pool.getPoolSize();
    }

    /** Ends idle threads now and running ones when their task returns. */
    @Override
    public void close() {
      pool.shutdown();
    }
  }
}
