package dev.deploykit.llm.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The runners of the models in use, one per model name, and the timer that unloads them when
 * their keep-alive runs out.
 *
 * <p>Thread safety: safe for concurrent use. Close it to unload every model and stop the timer.
 */
public final class Runners implements AutoCloseable {
  private final Map<String, Runner> runners = new ConcurrentHashMap<>();
  private final int contextLength;
  private final int threads;
  private final int maxQueue;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  public Runners(int contextLength, int threads, int maxQueue, Clock clock) {
    this.contextLength = contextLength;
    this.threads = threads;
    this.maxQueue = maxQueue;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ollama-keep-alive");
      t.setDaemon(true);
      return t;
    });
  }

  /** The runner of this model file; a replaced file (new digest) gets a fresh runner. */
  public Runner of(ModelStore.Entry entry) {
    return runners.compute(entry.name(), (name, existing) -> {
      if (existing != null && existing.entry().digest().equals(entry.digest())) {
        return existing;
      }
      if (existing != null) {
        existing.close();
      }
      long declared = entry.metadata().contextLength().orElse((long) contextLength);
      int ctx = (int) Math.min(contextLength, declared);
      return new Runner(entry, ctx, threads, maxQueue, clock, timer);
    });
  }

  /** The runners whose model is loaded now. */
  public List<Runner> loaded() {
    return runners.values().stream().filter(Runner::loaded).toList();
  }

  /** Unloads and drops the runner of that name, if any (its file was replaced or deleted). */
  public void forget(String name) {
    remove(name);
  }

  /** Unloads and drops the runner of that name, if any. */
  public void remove(String name) {
    Runner r = runners.remove(name);
    if (r != null) {
      r.close();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    runners.values().forEach(Runner::close);
    runners.clear();
  }
}
