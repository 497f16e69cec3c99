package dev.deploykit.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The demo's steady traffic: a few clients, each sending {@code GET} requests one after the
 * other with a short pause, counting every answer. A request fails when it gets no answer or an
 * answer other than 2xx. Each client runs on its own virtual thread; {@link #close()} stops them.
 *
 * <p>Thread safety: counters may be read from any thread while it runs.
 */
final class LoadGenerator implements AutoCloseable {
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

  private final URI url;
  private final Duration pause;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();
  private final LongAdder served = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> versions = new ConcurrentHashMap<>();
  private final AtomicReference<@Nullable String> lastFailure = new AtomicReference<>();
  private final List<Thread> clients = new ArrayList<>();
  private final AtomicLong started = new AtomicLong();
  private volatile boolean running = true;

  LoadGenerator(URI url, int clients, Duration pause) {
    this.url = url;
    this.pause = pause;
    started.set(System.nanoTime());
    for (int i = 0; i < clients; i++) {
      this.clients.add(Thread.ofVirtual().name("deploykit-demo-load-" + i).start(this::client));
    }
  }

  private void client() {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build();
    while (running) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          served.increment();
          Matcher m = VERSION.matcher(response.body());
          versions.computeIfAbsent(m.find() ? m.group(1) : "?", v -> new LongAdder()).increment();
        } else {
          failed.increment();
          lastFailure.set("HTTP " + response.statusCode() + ": " + response.body().strip());
        }
      } catch (IOException e) {
        if (!running) {
          return;
        }
        failed.increment();
        lastFailure.set(e.getClass().getSimpleName() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  long served() {
    return served.sum();
  }

  long failed() {
    return failed.sum();
  }

  /** How many answers each release's {@code /version} gave. */
  Map<String, Long> versions() {
    Map<String, Long> out = new TreeMap<>();
    versions.forEach((v, n) -> out.put(v, n.sum()));
    return out;
  }

  @Nullable String lastFailure() {
    return lastFailure.get();
  }

  /** Requests per second since the start. */
  double rate() {
    double seconds = (System.nanoTime() - started.get()) / 1e9;
    return seconds <= 0 ? 0 : (served() + failed()) / seconds;
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : clients) {
      try {
        // A request in flight ends within its own timeout; do not cut it (it would count as failed).
        t.join(Duration.ofSeconds(12));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    http.close();
  }
}
