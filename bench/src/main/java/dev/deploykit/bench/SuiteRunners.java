package dev.deploykit.bench;

import dev.deploykit.bench.peers.ActuatorSuite;
import dev.deploykit.bench.peers.DropwizardSuite;
import dev.deploykit.bench.peers.SmallRyeSuite;
import dev.deploykit.bench.peers.SuiteRunner;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Builds the runner a benchmark method is named after ({@code deploykit}, {@code actuator},
 * {@code smallrye}, {@code smallrye_async}, {@code dropwizard}) and prints what one run of it
 * answers, so the log shows how each library reported the suite (and the hung check).
 */
final class SuiteRunners {
  private SuiteRunners() {}

  /** The runner for the benchmark method of {@code params}, over {@code checks}. */
  static SuiteRunner forBenchmark(BenchmarkParams params, List<SuiteCheck> checks)
      throws Exception {
    String method = params.getBenchmark().replaceFirst("^.*\\.", "");
    SuiteRunner runner = switch (method) {
      case "deploykit" -> new DeploykitSuite(checks);
      case "actuator" -> new ActuatorSuite(checks);
      case "smallrye" -> new SmallRyeSuite(checks, SmallRyeSuite.Mode.SYNC);
      case "smallrye_async" -> new SmallRyeSuite(checks, SmallRyeSuite.Mode.ASYNC);
      case "dropwizard" -> new DropwizardSuite(checks);
      default -> throw new IllegalArgumentException("no runner named after " + method);
    };
    long start = System.nanoTime();
    SuiteRunner.Outcome o = runner.outcome();
    double ms = (System.nanoTime() - start) / 1e6;
    String checksLine = o.checks().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    System.out.println("# outcome " + params.getBenchmark().replaceFirst("^.*\\.bench\\.", "")
        + " [" + params.getParam("latency") + "]: " + o.overall() + " in "
        + String.format(Locale.ROOT, "%.1f", ms) + " ms; " + checksLine);
    return runner;
  }
}
