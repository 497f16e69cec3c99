package dev.deploykit.bench;

import dev.deploykit.bench.peers.SuiteRunner;
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
 * The suite of {@link BenchStack} through the health libraries users would otherwise run, in the
 * same run and mode as {@link HealthBenchmarks#suite_concurrent}: Spring Boot Actuator's {@code
 * HealthEndpoint}, SmallRye Health's reporter with plain and with asynchronous checks, and
 * Dropwizard's {@code runHealthChecks} on an executor.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Dsun.net.httpserver.nodelay=true", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class PeerBenchmarks {

  /** The runner the benchmark method is named after, over the suite. */
  @State(Scope.Benchmark)
  public static class Peer {
    SuiteRunner runner;

    @Setup(Level.Trial)
    public void build(BenchStack s, BenchmarkParams params) throws Exception {
      runner = SuiteRunners.forBenchmark(params, s.suite);
    }

    @TearDown(Level.Trial)
    public void close() {
      runner.close();
    }
  }

  /** Spring Boot Actuator 4.0: {@code HealthEndpoint.health()}, indicators in sequence. */
  @Benchmark
  public Object actuator(Peer p) throws Exception {
    return p.runner.run();
  }

  /** SmallRye Health 4.3, plain {@code HealthCheck}s registered by name. */
  @Benchmark
  public Object smallrye(Peer p) throws Exception {
    return p.runner.run();
  }

  /** SmallRye Health 4.3, {@code AsyncHealthCheck}s on an executor, each with its deadline. */
  @Benchmark
  public Object smallrye_async(Peer p) throws Exception {
    return p.runner.run();
  }

  /** Dropwizard Metrics 4.2: {@code runHealthChecks(executor)}. */
  @Benchmark
  public Object dropwizard(Peer p) throws Exception {
    return p.runner.run();
  }
}
