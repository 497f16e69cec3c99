package dev.deploykit.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps steady HTTP/1.1 keep-alive traffic on a URL from a few client threads and counts every
 * response: served (200), failed (any other status, or an I/O error), and which body (release
 * version) answered when. Bounded: it runs until {@link #close()} or its time limit.
 */
public final class LoadGenerator implements AutoCloseable {
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();
  private final ExecutorService threads;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final LongAdder served = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> byVersion = new ConcurrentHashMap<>();
  private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong lastVersionChange = new AtomicLong();
  private volatile String lastVersion = "";
  private final long started = System.nanoTime();

  public LoadGenerator(URI uri, int clients, Duration limit) {
    threads = Executors.newFixedThreadPool(clients);
    long stopAt = System.nanoTime() + limit.toNanos();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
    for (int i = 0; i < clients; i++) {
      threads.submit(() -> {
        while (running.get() && System.nanoTime() < stopAt) {
          try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
              served.increment();
              String version = response.body();
              byVersion.computeIfAbsent(version, v -> new LongAdder()).increment();
              firstSeen.putIfAbsent(version, System.nanoTime());
              if (!version.equals(lastVersion)) {
                lastVersion = version;
                lastVersionChange.set(System.nanoTime());
              }
            } else {
              failed.increment();
              failures.add("HTTP " + response.statusCode() + ": " + response.body());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } catch (Exception e) {
            failed.increment();
            failures.add(e.toString());
          }
        }
      });
    }
  }

  public long served() {
    return served.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures.subList(0, Math.min(10, failures.size())));
    }
  }

  public Map<String, Long> byVersion() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    byVersion.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** When a body was first answered ({@link System#nanoTime()}), if it was. */
  public java.util.Optional<Long> firstSeen(String body) {
    return java.util.Optional.ofNullable(firstSeen.get(body));
  }

  public double requestsPerSecond() {
    return served() / ((System.nanoTime() - started) / 1e9);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    threads.shutdown();
    if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
      threads.shutdownNow();
    }
    client.close();
  }
}
