package dev.deploykit.bench;

import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Health-check latency in sample-time mode (p50/p99 from JMH's histogram): each check alone, the
 * suite through deploykit's concurrent runner and one after another on the calling thread, the
 * runner over six checks that do nothing, and a seed-style shell check. The peers are in {@link
 * PeerBenchmarks}, the hung check in {@link HungCheckBenchmarks}. The defaults here are overridden
 * by {@code bench/run.sh}'s command line.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Dsun.net.httpserver.nodelay=true", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class HealthBenchmarks {

  private static HealthResult run(HealthCheck check) throws InterruptedException {
    return check.check(BenchStack.context());
  }

  /** Warm PostgreSQL check: {@code isValid} on the kept connection. */
  @Benchmark
  public HealthResult check_postgres(BenchStack s) throws InterruptedException {
    return run(s.postgres);
  }

  /** Warm HTTP check: GET over the kept HTTP/1.1 connection. */
  @Benchmark
  public HealthResult check_http(BenchStack s) throws InterruptedException {
    return run(s.app);
  }

  /** Warm worker-heartbeat check: one prepared query on the kept connection. */
  @Benchmark
  public HealthResult check_heartbeat(BenchStack s) throws InterruptedException {
    return run(s.heartbeat);
  }

  /** Warm Ollama check against an Ollama-like server: version, tags, ps. */
  @Benchmark
  public HealthResult check_ollama(BenchStack s) throws InterruptedException {
    return run(s.ollama);
  }

  /** Container inspect through the Docker engine (UP-less result if no engine answered). */
  @Benchmark
  public HealthResult check_container(BenchStack s) throws InterruptedException {
    return s.container == null ? HealthResult.down("no Docker engine") : run(s.container);
  }

  /** Host resources through OSHI. */
  @Benchmark
  public HealthResult check_resources(BenchStack s) throws InterruptedException {
    return run(s.resources);
  }

  /** The six-check suite through the concurrent runner. */
  @Benchmark
  public HealthReport suite_concurrent(BenchStack s) throws InterruptedException {
    return s.concurrent.run();
  }

  /** The same checks one after another on the calling thread (Actuator's model). */
  @Benchmark
  public void suite_sequential(BenchStack s, Blackhole bh) throws InterruptedException {
    for (SuiteCheck check : s.suite) {
      bh.consume(check.call());
    }
  }

  /**
   * Six checks that return at once, through the concurrent runner, in the suite's thread mix
   * (five virtual threads, one platform thread): what the runner itself costs (threads,
   * hand-offs, the report), with no check work to hide it.
   */
  @Benchmark
  public HealthReport runner_noop(NoopSuite n) throws InterruptedException {
    return n.runner.run();
  }

  /** Six checks that answer at once, through deploykit's runner; needs no server. */
  @State(Scope.Benchmark)
  public static class NoopSuite {
    HealthRunner runner;

    @Setup
    public void build() {
      List<SuiteCheck> nothing = new ArrayList<>();
      for (int i = 1; i <= 6; i++) {
        // The same thread mix as the suite: the sixth, like the container check, on a platform
        // thread.
        nothing.add(new SuiteCheck("noop-" + i, context -> HealthResult.up("nothing to do"),
            BenchStack.CHECK_TIMEOUT, i == 6));
      }
      runner = BenchStack.runner(nothing);
    }

    @TearDown
    public void close() {
      runner.close();
    }
  }

  /** The seed's way: {@code pg_isready} + {@code curl} + {@code docker ps} in a shell. */
  @State(Scope.Benchmark)
  public static class Shell {
    List<String> command;

    @Setup
    public void prepare(BenchStack s) {
      List<String> parts = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      if (onPath("pg_isready")) {
        parts.add("pg_isready -q -h 127.0.0.1 -p " + s.endpoints.pgPort());
      } else {
        skipped.add("pg_isready");
      }
      if (onPath("curl")) {
        parts.add("curl -fsS -o /dev/null " + s.endpoints.httpBase() + "/up");
      } else {
        skipped.add("curl");
      }
      if (onPath("docker") && s.docker != null) {
        parts.add("docker ps -q > /dev/null");
      } else {
        skipped.add("docker ps");
      }
      if (parts.isEmpty()) {
        parts.add("true");
      }
      command = List.of("sh", "-c", String.join(" && ", parts));
      System.out.println("# shell check: " + String.join(" && ", parts)
          + (skipped.isEmpty() ? "" : " (skipped, not installed: " + skipped + ")"));
    }

    private static boolean onPath(String tool) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
          return true;
        }
      }
      return false;
    }

    @TearDown
    public void done() {}
  }

  /** The seed-style shell check, timed in the same run as the suites. */
  @Benchmark
  public int shell_check(Shell shell) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(shell.command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("shell check failed with exit " + exit);
    }
    return exit;
  }
}
