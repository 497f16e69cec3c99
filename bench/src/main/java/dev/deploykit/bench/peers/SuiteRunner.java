package dev.deploykit.bench.peers;

import java.util.Map;

/**
 * A health library running the benchmark suite, wrapped as that library expects its checks.
 * {@link #run()} is what the benchmark times; {@link #outcome()} runs once more and reads the
 * library's answer back, for the run's log.
 *
 * <p>Implementations are safe for one caller at a time.
 */
public interface SuiteRunner extends AutoCloseable {
  /** What one run answered: the overall status and each check's, as the library spells them. */
  record Outcome(String overall, Map<String, String> checks) {
    /** Copies. */
    public Outcome {
      checks = Map.copyOf(checks);
    }
  }

  /** Runs every check once and returns the library's own answer. */
  Object run() throws Exception;

  /** Runs every check once and reads the answer back. */
  Outcome outcome() throws Exception;

  /** Releases what the runner holds (executors, registrations); not the checks. */
  @Override
  void close();
}
