package dev.deploykit.it.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Only the old constructor of the suite's load generator, for the one IT that still imports it
 * ({@code deploy/CrashRecoveryIT}); everything it counts is {@link dev.deploykit.cli.LoadGenerator}'s,
 * which the demo uses too. Delete this file when that IT imports {@code dev.deploykit.cli.LoadGenerator}.
 */
@Deprecated(forRemoval = true)
public final class LoadGenerator implements AutoCloseable {
  private final dev.deploykit.cli.LoadGenerator load;

  public LoadGenerator(URI uri, int clients, Duration limit) {
    load = dev.deploykit.cli.LoadGenerator.builder(uri).clients(clients).timeLimit(limit).start();
  }

  public long served() {
    return load.served();
  }

  public long failed() {
    return load.failed();
  }

  public List<String> failures() {
    return load.failures();
  }

  @Override
  public void close() {
    load.close();
  }
}
