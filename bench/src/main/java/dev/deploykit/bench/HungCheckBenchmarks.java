package dev.deploykit.bench;

import dev.deploykit.bench.peers.SuiteRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The suite plus a {@link HungCheck} (blocks {@link HungCheck#HANG}, deadline {@link
 * HungCheck#DEADLINE} where the runner has one) through deploykit's runner and each peer: a
 * runner with per-check deadlines answers at the deadline, one without waits for the hang.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dsun.net.httpserver.nodelay=true", "-Xmx512m"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class HungCheckBenchmarks {

  /** The runner the benchmark method is named after, over the suite and the hung check. */
  @State(Scope.Benchmark)
  public static class WithHungCheck {
    SuiteRunner runner;

    @Setup(Level.Trial)
    public void build(BenchStack s, BenchmarkParams params) throws Exception {
      List<SuiteCheck> checks = new ArrayList<>(s.suite);
      checks.add(HungCheck.member());
      runner = SuiteRunners.forBenchmark(params, checks);
    }

    @TearDown(Level.Trial)
    public void close() {
      runner.close();
    }
  }

  /** deploykit's runner: the hung check is cut at its deadline and reported DOWN. */
  @Benchmark
  public Object deploykit(WithHungCheck h) throws Exception {
    return h.runner.run();
  }

  /** Spring Boot Actuator 4.0: no deadline. */
  @Benchmark
  public Object actuator(WithHungCheck h) throws Exception {
    return h.runner.run();
  }

  /** SmallRye Health 4.3, plain checks: called on the caller's thread, no deadline per check. */
  @Benchmark
  public Object smallrye(WithHungCheck h) throws Exception {
    return h.runner.run();
  }

  /** SmallRye Health 4.3, asynchronous checks each with {@code ifNoItem().after(deadline)}. */
  @Benchmark
  public Object smallrye_async(WithHungCheck h) throws Exception {
    return h.runner.run();
  }

  /** Dropwizard Metrics 4.2: {@code runHealthChecks(executor)} waits for every future. */
  @Benchmark
  public Object dropwizard(WithHungCheck h) throws Exception {
    return h.runner.run();
  }
}
