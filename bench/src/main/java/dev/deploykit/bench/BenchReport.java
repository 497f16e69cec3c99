package dev.deploykit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON results of {@link HealthBenchmarks} into the {@code ## health} section of
 * {@code docs/benchmarks.md}: a table of every benchmark and the targets with the figures
 * against them. Targets are reported, never asserted. Other sections of the file are kept.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.deploykit.bench.BenchReport results.json
 * docs/benchmarks.md run.log "configuration line"}.
 */
public final class BenchReport {
  private BenchReport() {}

  private record Row(String name, double p50, double p99, double mean, double error,
      String unit) {}

  /** Writes the section; arguments as in the class comment. */
  public static void main(String[] args) throws IOException {
    Path json = Path.of(args[0]);
    Path markdown = Path.of(args[1]);
    Path log = Path.of(args[2]);
    String configuration = args.length > 3 ? args[3] : "";
    JsonNode results = new ObjectMapper().readTree(json.toFile());
    Map<String, Row> rows = new LinkedHashMap<>();
    String jvm = "";
    for (JsonNode r : results) {
      String name = r.path("benchmark").asText().replaceFirst("^.*\\.", "");
      JsonNode m = r.path("primaryMetric");
      JsonNode pct = m.path("scorePercentiles");
      rows.put(name, new Row(name, pct.path("50.0").asDouble(), pct.path("99.0").asDouble(),
          m.path("score").asDouble(), m.path("scoreError").asDouble(),
          m.path("scoreUnit").asText()));
      jvm = r.path("vmName").asText() + " " + r.path("jdkVersion").asText();
    }
    List<String> notes = Files.exists(log)
        ? Files.readAllLines(log).stream().filter(l -> l.startsWith("# bench stack")
            || l.startsWith("# shell check"))
            // Each fork picks its own ports; one line per kind is enough.
            .map(l -> l.replaceAll("(-p |127\\.0\\.0\\.1:)\\d{2,5}", "$1<port>"))
            .distinct().toList()
        : List.of();

    StringBuilder md = new StringBuilder();
    md.append("## health\n\n");
    md.append("Written by `bench/run.sh` on ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" (").append(jvm)
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores");
    md.append("). ").append(configuration).append("\n\n");
    md.append("The benchmark starts its own real servers: PostgreSQL 18.1 (zonky embedded), a JDK"
        + " HTTP server on loopback with TCP_NODELAY serving the app's `/up` and an Ollama-like"
        + " API, and a container on the local Docker engine to inspect. Sample time; all"
        + " figures in microseconds per operation. Raw JMH JSON: `docs/benchmarks/health.json`."
        + "\n\n");
    for (String note : notes) {
      md.append("- `").append(note.substring(2)).append("`\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
    }
    md.append("| Benchmark | p50 (us) | p99 (us) | mean ± 99.9% error (us) |\n");
    md.append("|---|---:|---:|---:|\n");
    for (Row r : rows.values()) {
      md.append("| `").append(r.name()).append("` | ").append(fmt(r.p50())).append(" | ")
          .append(fmt(r.p99())).append(" | ").append(fmt(r.mean())).append(" ± ")
          .append(fmt(r.error())).append(" |\n");
    }
    md.append("\n### Targets (reported, never asserted)\n\n");
    md.append("| Target | Figure | Met |\n|---|---|---|\n");
    target(md, rows, "check_postgres", "Warm PostgreSQL check p50 <= 150 us", 150);
    target(md, rows, "check_http", "Warm HTTP check p50 <= 150 us", 150);
    Row suite = rows.get("suite_concurrent");
    Row sequential = rows.get("suite_sequential");
    if (suite != null) {
      md.append("| Six-check suite p50 <= 2 ms | ").append(ms(suite.p50())).append(" | ")
          .append(yes(suite.p50() <= 2000)).append(" |\n");
      Row slowest = null;
      for (String c : List.of("check_postgres", "check_http", "check_heartbeat", "check_ollama",
          "check_container", "check_resources")) {
        Row r = rows.get(c);
        if (r != null && (slowest == null || r.p50() > slowest.p50())) {
          slowest = r;
        }
      }
      if (slowest != null) {
        double ratio = suite.p50() / slowest.p50();
        md.append("| Suite p50 <= 1.3 x its slowest check's p50 (`").append(slowest.name())
            .append("`, ").append(fmt(slowest.p50())).append(" us) | ")
            .append(String.format(Locale.ROOT, "%.2f x", ratio)).append(" | ")
            .append(yes(ratio <= 1.3)).append(" |\n");
      }
      if (sequential != null) {
        double speedup = sequential.p50() / suite.p50();
        md.append("| Concurrent >= 3 x faster than sequential (p50, same run) | sequential ")
            .append(ms(sequential.p50())).append(" / concurrent ").append(ms(suite.p50()))
            .append(String.format(Locale.ROOT, " = %.2f x", speedup)).append(" | ")
            .append(yes(speedup >= 3)).append(" |\n");
      }
    }
    Row hung = rows.get("suite_with_hung_check");
    if (hung != null) {
      double deadlineUs = BenchStack.HUNG_DEADLINE.toNanos() / 1000.0;
      double over = hung.p50() - deadlineUs;
      md.append("| A hung check costs its deadline (")
          .append(BenchStack.HUNG_DEADLINE.toMillis()).append(" ms) ± 5 ms | p50 ")
          .append(ms(hung.p50())).append(String.format(Locale.ROOT, " (%+.2f ms)", over / 1000))
          .append(", p99 ").append(ms(hung.p99())).append(" | ")
          .append(yes(Math.abs(over) <= 5000)).append(" |\n");
    }
    Row shell = rows.get("shell_check");
    if (shell != null && suite != null) {
      md.append("| Seed-style shell check vs the concurrent suite (p50, same run) | shell ")
          .append(ms(shell.p50())).append(" vs suite ").append(ms(suite.p50()))
          .append(String.format(Locale.ROOT, " = suite %.0f x faster", shell.p50() / suite.p50()))
          .append(" | (comparison) |\n");
    }
    md.append("\nHow to read the suite figures: the concurrent runner hands work between threads (the"
        + " caller, one thread per check, the in-process HTTP server's threads), and each hand-off"
        + " needs a free core. On 2 cores shared with other builds (see the load average above)"
        + " a woken thread can wait milliseconds for a CPU, which the sequential loop, staying on"
        + " one thread, mostly avoids; single-check figures are far less affected. The hung-check"
        + " figure does not depend on free cores: the runner answers at the deadline.\n\n");

    String existing = Files.exists(markdown)
        ? Files.readString(markdown, StandardCharsets.UTF_8)
        : "# Benchmarks\n\nFigures from the JMH benchmarks in `bench/`; each section is written by"
            + " its run script.\n\n";
    Files.createDirectories(markdown.toAbsolutePath().getParent());
    Files.writeString(markdown, replaceSection(existing, md.toString()), StandardCharsets.UTF_8);
    System.out.print(md);
  }

  static String replaceSection(String document, String section) {
    int start = document.startsWith("## health\n") ? 0 : document.indexOf("\n## health\n");
    if (start < 0) {
      return document.endsWith("\n\n") ? document + section
          : document + (document.endsWith("\n") ? "\n" : "\n\n") + section;
    }
    if (start > 0) {
      start++;
    }
    int end = document.indexOf("\n## ", start + 1);
    String after = end < 0 ? "" : document.substring(end + 1);
    return document.substring(0, start) + section + after;
  }

  private static void target(StringBuilder md, Map<String, Row> rows, String name, String what,
      double limitUs) {
    Row r = rows.get(name);
    if (r != null) {
      md.append("| ").append(what).append(" | ").append(fmt(r.p50())).append(" us (p99 ")
          .append(fmt(r.p99())).append(" us) | ").append(yes(r.p50() <= limitUs)).append(" |\n");
    }
  }

  private static String yes(boolean met) {
    return met ? "yes" : "**no**";
  }

  private static String fmt(double us) {
    return us >= 100 ? String.format(Locale.ROOT, "%,.0f", us)
        : String.format(Locale.ROOT, "%.1f", us);
  }

  private static String ms(double us) {
    return String.format(Locale.ROOT, "%.2f ms", us / 1000);
  }
}
