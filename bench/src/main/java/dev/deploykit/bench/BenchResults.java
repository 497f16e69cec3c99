package dev.deploykit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * JMH's JSON results of one or more runs, by benchmark ({@code Class.method}) and latency
 * parameter, plus the {@code # ...} lines the benchmarks printed. Immutable once read.
 */
final class BenchResults {
  /**
   * One benchmark's figures, in microseconds; {@code cpu} is the benchmark JVM's CPU time per
   * operation ({@link CpuTimeProfiler}), NaN when the run did not measure it.
   */
  record Row(String benchmark, String latency, double p50, double p99, double mean,
      double error, long samples, double cpu) {}

  private final Map<String, Row> rows;
  private final List<String> notes;
  private final String jvm;
  private final Instant finishedAt;

  private BenchResults(Map<String, Row> rows, List<String> notes, String jvm,
      Instant finishedAt) {
    this.rows = rows;
    this.notes = notes;
    this.jvm = jvm;
    this.finishedAt = finishedAt;
  }

  /** Reads every JSON file and the log (missing log: no notes). */
  static BenchResults read(List<Path> jsonFiles, Path log) throws IOException {
    Map<String, Row> rows = new LinkedHashMap<>();
    String jvm = "";
    Instant finishedAt = Instant.EPOCH;
    ObjectMapper json = new ObjectMapper();
    for (Path file : jsonFiles) {
      Instant written = Files.getLastModifiedTime(file).toInstant();
      finishedAt = written.isAfter(finishedAt) ? written : finishedAt;
      for (JsonNode r : json.readTree(file.toFile())) {
        String name = r.path("benchmark").asText().replaceFirst("^.*\\.bench\\.", "");
        String latency = r.path("params").path("latency").asText("");
        JsonNode m = r.path("primaryMetric");
        JsonNode pct = m.path("scorePercentiles");
        long samples = 0;
        for (JsonNode fork : m.path("rawDataHistogram")) {
          for (JsonNode iteration : fork) {
            for (JsonNode bucket : iteration) {
              samples += bucket.path(1).asLong();
            }
          }
        }
        JsonNode cpu = r.path("secondaryMetrics").path("cpu");
        rows.put(key(name, latency), new Row(name, latency, pct.path("50.0").asDouble(),
            pct.path("99.0").asDouble(), m.path("score").asDouble(),
            m.path("scoreError").asDouble(), samples,
            cpu.isMissingNode() ? Double.NaN : cpu.path("score").asDouble()));
        jvm = r.path("vmName").asText() + " " + r.path("jdkVersion").asText();
      }
    }
    List<String> notes = Files.exists(log)
        ? Files.readAllLines(log).stream().filter(l -> l.startsWith("# bench stack")
            || l.startsWith("# latency") || l.startsWith("# shell check")
            || l.startsWith("# outcome"))
            // Each fork picks its own ports; one line per kind is enough.
            .map(l -> l.replaceAll("(-p |127\\.0\\.0\\.1:)\\d{2,5}", "$1<port>"))
            .distinct().collect(Collectors.toList())
        : List.of();
    return new BenchResults(rows, List.copyOf(notes), jvm, finishedAt);
  }

  private static String key(String benchmark, String latency) {
    return benchmark + "[" + latency + "]";
  }

  /** The row of {@code benchmark} ({@code Class.method}) at {@code latency}, if it ran. */
  Optional<Row> get(String benchmark, String latency) {
    return Optional.ofNullable(rows.get(key(benchmark, latency)));
  }

  /** The slowest by p50 of the single-check benchmarks at {@code latency}. */
  @Nullable Row slowestCheck(String latency) {
    return rows.values().stream()
        .filter(r -> r.latency().equals(latency)
            && r.benchmark().startsWith("HealthBenchmarks.check_"))
        .max((a, b) -> Double.compare(a.p50(), b.p50())).orElse(null);
  }

  /** The single-check benchmarks at {@code latency}, in run order. */
  List<Row> checks(String latency) {
    return rows.values().stream().filter(r -> r.latency().equals(latency)
        && r.benchmark().startsWith("HealthBenchmarks.check_")).toList();
  }

  /** The {@code # ...} lines of the log, without their {@code # }, each once. */
  List<String> notes() {
    return notes.stream().map(n -> n.substring(2)).toList();
  }

  /** When the last of the results was written: the end of the run. */
  Instant finishedAt() {
    return finishedAt;
  }

  /** The JVM the benchmarks ran on. */
  String jvm() {
    return jvm;
  }
}
