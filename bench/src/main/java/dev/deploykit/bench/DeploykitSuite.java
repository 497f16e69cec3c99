package dev.deploykit.bench;

import dev.deploykit.bench.peers.SuiteRunner;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthRunner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * deploykit's {@link HealthRunner} over the suite, as a {@link SuiteRunner} beside the peers:
 * every check concurrently on its own thread under its own deadline, a 5 s run deadline
 * ({@link BenchStack#runner}).
 */
final class DeploykitSuite implements SuiteRunner {
  private final HealthRunner runner;

  DeploykitSuite(List<SuiteCheck> checks) {
    this.runner = BenchStack.runner(checks);
  }

  @Override
  public HealthReport run() throws InterruptedException {
    return runner.run();
  }

  @Override
  public Outcome outcome() throws InterruptedException {
    HealthReport r = run();
    Map<String, String> byName = new LinkedHashMap<>();
    for (ComponentHealth c : r.checks()) {
      byName.put(c.name(), c.status() + " (" + c.result().detail() + ")");
    }
    return new Outcome(r.status().toString(), byName);
  }

  @Override
  public void close() {
    runner.close();
  }
}
