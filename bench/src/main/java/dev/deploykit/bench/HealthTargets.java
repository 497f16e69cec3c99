package dev.deploykit.bench;

import static dev.deploykit.bench.HealthSection.ms;
import static dev.deploykit.bench.HealthSection.times;
import static dev.deploykit.bench.HealthSection.us;

import dev.deploykit.bench.BenchResults.Row;
import java.util.Locale;
import java.util.Optional;

/** The health issue's targets as rows of a markdown table, each figure against its target. */
final class HealthTargets {
  private static final String SUITE = "HealthBenchmarks.suite_concurrent";
  private static final String SEQUENTIAL = "HealthBenchmarks.suite_sequential";

  private final BenchResults results;

  HealthTargets(BenchResults results) {
    this.results = results;
  }

  /** Suite p50 at most 1.3 times its slowest check's p50. */
  void slowestRatio(StringBuilder md, String latency, boolean target) {
    Optional<Row> suite = results.get(SUITE, latency);
    Row slowest = results.slowestCheck(latency);
    if (suite.isEmpty() || slowest == null) {
      return;
    }
    double ratio = suite.get().p50() / slowest.p50();
    md.append("| Suite p50 <= 1.3 x its slowest check (").append(latency).append("; slowest `")
        .append(name(slowest)).append("` ").append(ms(slowest.p50())).append(" ms) | ")
        .append(ms(suite.get().p50())).append(" ms = ").append(times(ratio)).append(" | ")
        .append(met(ratio <= 1.3, target)).append(" |\n");
  }

  /** Concurrent at least 3 times faster than the same checks in sequence, with the ceiling. */
  void speedup(StringBuilder md, String latency, boolean target) {
    Optional<Row> suite = results.get(SUITE, latency);
    Optional<Row> sequential = results.get(SEQUENTIAL, latency);
    Row slowest = results.slowestCheck(latency);
    if (suite.isEmpty() || sequential.isEmpty() || slowest == null) {
      return;
    }
    double sum = results.checks(latency).stream().mapToDouble(Row::p50).sum();
    double speedup = sequential.get().p50() / suite.get().p50();
    md.append("| Concurrent >= 3 x faster than in sequence (").append(latency).append(", p50) | ")
        .append("sequential ").append(ms(sequential.get().p50())).append(" ms / concurrent ")
        .append(ms(suite.get().p50())).append(" ms = ").append(times(speedup))
        .append("; the most any runner can get here is the checks' sum over the slowest, ")
        .append(ms(sum)).append(" / ").append(ms(slowest.p50())).append(" ms = ")
        .append(times(sum / slowest.p50())).append(" | ").append(met(speedup >= 3, target))
        .append(" |\n");
  }

  /** A hung check costs its deadline, plus or minus 5 ms. */
  void hung(StringBuilder md) {
    Optional<Row> hung = results.get("HungCheckBenchmarks.deploykit", "realistic");
    if (hung.isEmpty()) {
      return;
    }
    double deadline = HungCheck.DEADLINE.toNanos() / 1000.0;
    double over = hung.get().p50() - deadline;
    md.append("| A hung check costs its deadline (").append(HungCheck.DEADLINE.toMillis())
        .append(" ms) ± 5 ms (realistic) | p50 ").append(ms(hung.get().p50())).append(" ms (")
        .append(String.format(Locale.ROOT, "%+.2f", over / 1000)).append(" ms), p99 ")
        .append(ms(hung.get().p99())).append(" ms | ").append(met(Math.abs(over) <= 5000, true))
        .append(" |\n");
  }

  /** At zero latency, suite p50 minus slowest check p50 at most 0.3 ms. */
  void overhead(StringBuilder md) {
    Optional<Row> suite = results.get(SUITE, "zero");
    Row slowest = results.slowestCheck("zero");
    if (suite.isEmpty() || slowest == null) {
      return;
    }
    double overhead = suite.get().p50() - slowest.p50();
    md.append("| The runner's own overhead at zero latency (suite p50 - slowest check p50) <= 0.3"
        + " ms | ").append(us(suite.get().p50())).append(" us - ").append(us(slowest.p50()))
        .append(" us (`").append(name(slowest)).append("`) = ").append(us(overhead)).append(" us");
    results.get("HealthBenchmarks.runner_noop", "").ifPresent(n -> md.append(
        "; the runner over six checks that do nothing: ").append(us(n.p50())).append(" us p50"));
    if (!Double.isNaN(suite.get().cpu())) {
      int cores = Runtime.getRuntime().availableProcessors();
      md.append("; the suite's CPU in this JVM alone, ").append(us(suite.get().cpu()))
          .append(" us per run over ").append(cores).append(" cores, is on average a floor of ")
          .append(us(suite.get().cpu() / cores)).append(" us before the servers' CPU");
    }
    md.append(" | ").append(met(overhead <= 300, true)).append(" |\n");
  }

  /** For information: the checks one after another against the sum of each alone. */
  void together(StringBuilder md, String latency) {
    Optional<Row> sequential = results.get(SEQUENTIAL, latency);
    double sum = results.checks(latency).stream().mapToDouble(Row::p50).sum();
    if (sequential.isEmpty() || sum == 0) {
      return;
    }
    md.append("| What the checks cost together (").append(latency).append(", p50): in sequence"
        + " on one thread vs the sum of each alone | ").append(ms(sequential.get().p50()))
        .append(" ms vs ").append(ms(sum)).append(" ms = ")
        .append(times(sequential.get().p50() / sum)).append(" | (for information) |\n");
  }

  private static String name(Row r) {
    return r.benchmark().replaceFirst("^HealthBenchmarks\\.", "");
  }

  private static String met(boolean met, boolean target) {
    if (!target) {
      return met ? "(for information: would be met)" : "(for information: would not be met)";
    }
    return met ? "yes" : "**no**";
  }
}
