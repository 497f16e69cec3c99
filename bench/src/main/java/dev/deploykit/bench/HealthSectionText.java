package dev.deploykit.bench;

/** The fixed prose of the {@code ## health} section: what runs, and how to read the figures. */
final class HealthSectionText {
  private HealthSectionText() {}

  static final String SETUP = """
      What runs: `bench/run.sh` starts real servers once per run, in a JVM of their own \
      (`bench.BenchHost`; a fork run without it starts its own): PostgreSQL 18.1 (zonky \
      embedded), a JDK HTTP server on loopback with TCP_NODELAY serving the app's `/up` and an \
      Ollama-like API, and a container on the local Docker engine to inspect, one set per \
      latency set. The suite is six \
      checks: PostgreSQL connection, the app's HTTP `/up`, the worker heartbeat (a query), Ollama \
      (version, tags, ps), the container inspect and the host's resources.

      Two latency sets (JMH parameter `latency`; any `postgres=Nms,app=Nms,ollama=Nms` works too):
      - **realistic**: PostgreSQL 2 ms per round trip (a TCP delay proxy in front of the real \
      server hands each answer over 2 ms after it arrives, so both PostgreSQL checks cost one \
      round trip more), the app 5 ms (its handler answers after 5 ms), Ollama 20 ms per check \
      (each of its three requests answers after 6.67 ms); the container inspect and the host \
      resources check as they are.
      - **zero**: no proxy, no added latency, every server as fast as it can on loopback (the \
      set of the previous runs).

      The peers, versions pinned in the parent pom and resolved from Maven Central: Spring Boot \
      4.0.7 (`spring-boot-health`, `spring-boot-actuator`), SmallRye Health 4.3.0 (4.3.1 could \
      not be resolved), Dropwizard `metrics-healthchecks` 4.2.39 (4.2.40 could not be resolved: \
      Central had no `metrics-healthchecks` 4.2.40). They run the same check objects, each wrapped as that library expects and registered \
      by name: Actuator a `HealthIndicator` each in a `DefaultHealthContributorRegistry` under \
      `HealthEndpoint` (no application context); SmallRye a MicroProfile `HealthCheck` each (or an \
      `AsyncHealthCheck` whose `Uni` is subscribed on a cached pool of platform threads, with \
      `ifNoItem().after(deadline)`) in `HealthRegistries.getHealthGroupRegistry(...)`, read with \
      `SmallRyeHealthReporter.getHealthGroup(...)`; Dropwizard a `HealthCheck` each in a \
      `HealthCheckRegistry`, run with `runHealthChecks(executor)` on a cached pool of platform \
      threads. deploykit's runner runs each check on a new virtual thread, the container check \
      on a platform thread that it keeps for the next run (docker-java's socket reads through \
      JNA, which pins a virtual thread's carrier). Every check gets a context with its 2 s \
      deadline, whoever runs it. The hung check \
      blocks 1 s (it stands in for "never answers" and keeps the run bounded) and has a 100 ms \
      deadline where the runner has per-check deadlines: a runner without them shows the 1 s, \
      and would show any hang in full. "JVM CPU" is the CPU time the benchmark's JVM spent per \
      operation, all its threads (`bench.CpuTimeProfiler`; the servers run in another JVM and \
      processes and are not in it); unlike wall time it barely grows when other builds keep the \
      cores busy. It is shown at zero latency only: at realistic latency a run takes about \
      25 ms, and the JIT's leftover compiling per second, divided over so few runs, outweighs \
      the runs' own CPU. Raw JMH JSON: `docs/benchmarks/health.json` and \
      `docs/benchmarks/health-hung.json`.
      """;

  static final String READING = """
      How to read it: the targets were set for the realistic set, where the checks wait on \
      servers and concurrency pays; the ratios at zero latency are shown for information. The \
      "3 x faster than in sequence" target is bounded by the latencies themselves: a concurrent \
      run takes at least as long as its slowest check, so no runner can beat the sequence by more \
      than the sum of the checks over the slowest one, shown beside the figure. At zero latency \
      the checks are work for the CPU (client and server sides of every check, on 2 cores), so \
      "suite minus slowest check" there holds the checks' own competition for the cores as well \
      as the runner's overhead; the runner over six checks that do nothing measures the runner \
      alone, and "what the checks cost together" shows how much more the same checks cost run \
      one after another than each alone in its own fork (so the sum-over-slowest ceiling at \
      zero latency is low). Each fork warms up for the time in the configuration line; on 2 shared cores the \
      JIT is still compiling then (docker-java's path the longest, `-prof comp` shows 0.2-0.8 s \
      of compiling per second after 15 s), and both the wall and the CPU figures hold some of \
      it. One fork per benchmark: the same runner's realistic suite p50 spread over 23.7-25.5 ms \
      in four forks on a quiet machine, so differences of a ms or two between runners there are \
      within that spread. The machine is shared with other builds: read every figure with the load average \
      above in mind.
      """;
}
