package dev.deploykit.bench.peers;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import dev.deploykit.bench.SuiteCheck;
import dev.deploykit.health.HealthResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Dropwizard Metrics' {@link HealthCheckRegistry#runHealthChecks(ExecutorService)}: each check a
 * {@link HealthCheck} registered by name, all submitted to an executor (a cached pool of daemon
 * platform threads) and awaited one by one. The registry has no deadline: it waits for every
 * check's future.
 */
public final class DropwizardSuite implements SuiteRunner {
  private final HealthCheckRegistry registry = new HealthCheckRegistry();
  private final ExecutorService executor = Executors.newCachedThreadPool(
      Thread.ofPlatform().daemon().name("dropwizard-", 0).factory());

  /** The registry over {@code checks}. */
  public DropwizardSuite(List<SuiteCheck> checks) {
    for (SuiteCheck c : checks) {
      registry.register(c.name(), new HealthCheck() {
        @Override
        protected Result check() throws Exception {
          HealthResult r = c.call();
          return r.isUp() ? Result.healthy(r.detail()) : Result.unhealthy(r.detail());
        }
      });
    }
  }

  @Override
  public SortedMap<String, HealthCheck.Result> run() {
    return registry.runHealthChecks(executor);
  }

  @Override
  public Outcome outcome() {
    Map<String, String> byName = new LinkedHashMap<>();
    boolean all = true;
    for (Map.Entry<String, HealthCheck.Result> e : run().entrySet()) {
      byName.put(e.getKey(), e.getValue().isHealthy() ? "healthy" : "unhealthy");
      all &= e.getValue().isHealthy();
    }
    return new Outcome(all ? "healthy" : "unhealthy", byName);
  }

  @Override
  public void close() {
    registry.shutdown();
    executor.shutdownNow();
  }
}
