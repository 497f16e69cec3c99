package dev.deploykit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the benchmark's servers once for a whole run, one {@link BenchServers} per latency set,
 * writes their {@link BenchEndpoints} to a properties file and serves until the process is
 * stopped (SIGTERM), then closes them (the containers are removed). {@code bench/run.sh} starts
 * it and names the file in {@value BenchEndpoints#HOST_FILE} for the forks.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.deploykit.bench.BenchHost endpoints.properties
 * realistic zero}.
 */
public final class BenchHost {
  private BenchHost() {}

  /** Starts, writes the file, serves; arguments as in the class comment. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Files.deleteIfExists(file);
    List<BenchServers> started = new ArrayList<>();
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (BenchServers s : started) {
        try {
          s.close();
        } catch (Exception e) {
          System.err.println("closing bench servers: " + e);
        }
      }
      closed.countDown();
    }));
    Properties endpoints = new Properties();
    for (int i = 1; i < args.length; i++) {
      BenchServers servers = BenchServers.start(BenchLatency.parse(args[i]));
      started.add(servers);
      servers.endpoints().store(endpoints, args[i]);
    }
    BenchEndpoints.write(endpoints, file);
    System.out.println("bench host: servers for " + (args.length - 1) + " latency set(s) in "
        + file);
    closed.await();
  }
}
