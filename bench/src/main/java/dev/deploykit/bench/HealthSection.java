package dev.deploykit.bench;

import dev.deploykit.bench.BenchResults.Row;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ## health} section of {@code docs/benchmarks.md} from {@link BenchResults}: the
 * suite through every runner side by side, each check alone, and the targets with the
 * figures against them (reported, never asserted).
 */
final class HealthSection {
  private static final String REAL = "realistic";
  private static final String ZERO = "zero";
  private static final Pattern HUNG = Pattern.compile("hung=([A-Za-z]+)");

  /** One row of the side-by-side table. */
  private record Runner(String label, String how, String suite, String hung) {}

  private final BenchResults results;
  private final Properties versions;
  private final String configuration;
  private final StringBuilder md = new StringBuilder();

  HealthSection(BenchResults results, Properties versions, String configuration) {
    this.results = results;
    this.versions = versions;
    this.configuration = configuration;
  }

  /** The whole section, ending with a blank line. */
  String render() {
    header();
    runners();
    checks();
    targets();
    md.append(HealthSectionText.READING).append('\n');
    return md.toString();
  }

  private void header() {
    md.append("## health\n\n");
    md.append("Written by `bench/run.sh` from the run that ended ")
        .append(results.finishedAt().truncatedTo(ChronoUnit.SECONDS))
        .append(" (").append(results.jvm()).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores). ")
        .append(configuration).append("\n\n");
    md.append(HealthSectionText.SETUP).append('\n');
    for (String note : results.notes()) {
      if (!note.startsWith("outcome")) {
        md.append("- `").append(note).append("`\n");
      }
    }
    md.append('\n');
  }

  private List<Runner> runnerRows() {
    String v = "Spring Boot Actuator " + versions.getProperty("actuator", "?");
    String s = "SmallRye Health " + versions.getProperty("smallrye", "?");
    String d = "Dropwizard metrics-healthchecks " + versions.getProperty("dropwizard", "?");
    return List.of(
        new Runner("deploykit `HealthRunner`", "concurrent, a thread each, per-check deadlines",
            "HealthBenchmarks.suite_concurrent", "HungCheckBenchmarks.deploykit"),
        new Runner("one after another", "a plain loop on the calling thread, no deadlines",
            "HealthBenchmarks.suite_sequential", ""),
        new Runner(v + " `HealthEndpoint`", "indicators in sequence on the caller, no deadline",
            "PeerBenchmarks.actuator", "HungCheckBenchmarks.actuator"),
        new Runner(s + ", `HealthCheck`", "in sequence on the caller, no per-check deadline",
            "PeerBenchmarks.smallrye", "HungCheckBenchmarks.smallrye"),
        new Runner(s + ", `AsyncHealthCheck`",
            "on an executor, `ifNoItem().after(deadline)` each",
            "PeerBenchmarks.smallrye_async", "HungCheckBenchmarks.smallrye_async"),
        new Runner(d + " `runHealthChecks(executor)`", "on an executor, no deadline",
            "PeerBenchmarks.dropwizard", "HungCheckBenchmarks.dropwizard"));
  }

  private void runners() {
    md.append("### The suite through each runner (ms)\n\n");
    md.append("| Runner | How it runs the checks | realistic p50 | p99 | p50 / slowest check"
        + " | zero p50 | p99 | JVM CPU per run, zero | with a hung check p50"
        + " | the hung check reported |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    Row slowest = results.slowestCheck(REAL);
    for (Runner r : runnerRows()) {
      Optional<Row> real = results.get(r.suite(), REAL);
      Optional<Row> zero = results.get(r.suite(), ZERO);
      Optional<Row> hung = r.hung().isEmpty() ? Optional.empty() : results.get(r.hung(), REAL);
      md.append("| ").append(r.label()).append(" | ").append(r.how()).append(" | ")
          .append(real.map(x -> ms(x.p50())).orElse("-")).append(" | ")
          .append(real.map(x -> ms(x.p99())).orElse("-")).append(" | ")
          .append(real.filter(x -> slowest != null)
              .map(x -> times(x.p50() / slowest.p50())).orElse("-")).append(" | ")
          .append(zero.map(x -> ms(x.p50())).orElse("-")).append(" | ")
          .append(zero.map(x -> ms(x.p99())).orElse("-")).append(" | ")
          .append(cpu(zero)).append(" | ")
          .append(hung.map(x -> ms(x.p50())).orElse("-")).append(" | ")
          .append(r.hung().isEmpty() ? "-" : hungStatus(r.hung())).append(" |\n");
    }
    md.append('\n');
  }

  private static String cpu(Optional<Row> row) {
    return row.filter(r -> !Double.isNaN(r.cpu())).map(r -> ms(r.cpu())).orElse("-");
  }

  private String hungStatus(String benchmark) {
    for (String note : results.notes()) {
      if (note.startsWith("outcome " + benchmark + " ")) {
        Matcher m = HUNG.matcher(note);
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return "?";
  }

  private void checks() {
    md.append("### Each check alone, and the runner with nothing to run (us)\n\n");
    md.append("| Benchmark | realistic p50 | p99 | zero p50 | p99 | JVM CPU, zero |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    List<String> names = results.checks(REAL).stream().map(Row::benchmark).toList();
    for (String name : concat(names, "HealthBenchmarks.runner_noop",
        "HealthBenchmarks.shell_check")) {
      Optional<Row> real = results.get(name, REAL);
      // The runner over no-op checks has no servers, so no latency: it goes in both columns.
      Optional<Row> zero = results.get(name, ZERO).or(() -> results.get(name, ""));
      if (real.isEmpty() && zero.isEmpty()) {
        continue;
      }
      md.append("| `").append(name.replaceFirst("^HealthBenchmarks\\.", "")).append("` | ")
          .append(real.map(x -> us(x.p50())).orElse("-")).append(" | ")
          .append(real.map(x -> us(x.p99())).orElse("-")).append(" | ")
          .append(zero.map(x -> us(x.p50())).orElse("-")).append(" | ")
          .append(zero.map(x -> us(x.p99())).orElse("-")).append(" | ")
          .append(zero.filter(x -> !Double.isNaN(x.cpu())).map(x -> us(x.cpu())).orElse("-"))
          .append(" |\n");
    }
    md.append('\n');
  }

  private void targets() {
    md.append("### Targets (reported, never asserted)\n\n| Target | Figure | Met |\n|---|---|---|\n");
    HealthTargets t = new HealthTargets(results);
    t.slowestRatio(md, REAL, true);
    t.speedup(md, REAL, true);
    t.hung(md);
    t.overhead(md);
    t.together(md, ZERO);
    t.slowestRatio(md, ZERO, false);
    t.speedup(md, ZERO, false);
    md.append('\n');
  }

  private static List<String> concat(List<String> first, String... more) {
    return java.util.stream.Stream.concat(first.stream(), java.util.Arrays.stream(more)).toList();
  }

  static String ms(double us) {
    return String.format(Locale.ROOT, us >= 100_000 ? "%.0f" : us >= 10_000 ? "%.1f" : "%.2f",
        us / 1000);
  }

  static String us(double us) {
    return us >= 100 ? String.format(Locale.ROOT, "%,.0f", us)
        : String.format(Locale.ROOT, "%.1f", us);
  }

  static String times(double ratio) {
    return String.format(Locale.ROOT, "%.2f x", ratio);
  }
}
