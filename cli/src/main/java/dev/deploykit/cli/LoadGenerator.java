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
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Steady HTTP/1.1 keep-alive traffic on one URL, for the demo and the integration suite: a few
 * clients, each sending {@code GET} after {@code GET} (with an optional pause between), counting
 * every answer.
 *
 * <p><b>The one definition of a served request:</b> an answer with a 2xx status. Any other status,
 * no answer within the request timeout, or an I/O error is a failed request, and its description
 * is kept. A served answer counts for the version that gave it: the {@code "version"} field of a
 * JSON body, else the whole body, stripped.
 *
 * <pre>{@code
 * try (LoadGenerator load = LoadGenerator.builder(URI.create("http://127.0.0.1:3000/version"))
 *     .clients(4).pause(Duration.ofMillis(20)).timeLimit(Duration.ofMinutes(5)).start()) {
 *   deployer.deploy(stack, "v2");
 *   System.out.println(load.served() + " served, " + load.failed() + " failed: " + load.byVersion());
 * }
 * }</pre>
 *
 * <p>Each client runs on a virtual thread of its own until {@link #close()} or the time limit.
 * A request that fails with an I/O error after {@link #close()} began is not counted: the stop
 * cut it, not the server. Thread safety: the counters may be read from any thread while it runs;
 * close it once.
 */
public final class LoadGenerator implements AutoCloseable {
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
  /** How many failure descriptions are kept (the first ones: later ones are usually their echo). */
  private static final int KEPT_FAILURES = 10;

  private final URI url;
  private final Duration pause;
  private final Duration requestTimeout;
  private final long started = System.nanoTime();
  private final long stopAt;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();
  private final LongAdder served = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> byVersion = new ConcurrentHashMap<>();
  private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private final AtomicReference<@Nullable String> lastFailure = new AtomicReference<>();
  private final List<Thread> clients = new ArrayList<>();
  private volatile boolean running = true;

  private LoadGenerator(Builder b) {
    this.url = b.url;
    this.pause = b.pause;
    this.requestTimeout = b.requestTimeout;
    this.stopAt = started + b.timeLimit.toNanos();
    for (int i = 0; i < b.clients; i++) {
      clients.add(Thread.ofVirtual().name("deploykit-load-" + i).start(this::client));
    }
  }

  /**
   * A builder for traffic on {@code url}: 4 clients, no pause, a 10 minute time limit, 10 s per
   * request.
   */
  public static Builder builder(URI url) {
    return new Builder(url);
  }

  private void client() {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build();
    while (running && System.nanoTime() < stopAt) {
      try {
        count(http.send(request, HttpResponse.BodyHandlers.ofString()));
      } catch (IOException e) {
        if (!running) {
          return;
        }
        fail(e.getClass().getSimpleName() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        return;
      }
      if (!pause.isZero()) {
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void count(HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) {
      fail("HTTP " + response.statusCode() + ": " + response.body().strip());
      return;
    }
    served.increment();
    Matcher m = VERSION.matcher(response.body());
    String version = m.find() ? m.group(1) : response.body().strip();
    byVersion.computeIfAbsent(version, v -> new LongAdder()).increment();
    firstSeen.putIfAbsent(version, System.nanoTime());
  }

  private void fail(String description) {
    failed.increment();
    lastFailure.set(description);
    synchronized (failures) {
      if (failures.size() < KEPT_FAILURES) {
        failures.add(description);
      }
    }
  }

  /** Requests answered with a 2xx status so far. */
  public long served() {
    return served.sum();
  }

  /** Requests that failed so far: another status, no answer in time, or an I/O error. */
  public long failed() {
    return failed.sum();
  }

  /** How many served answers each version gave, by version. */
  public Map<String, Long> byVersion() {
    Map<String, Long> out = new TreeMap<>();
    byVersion.forEach((v, n) -> out.put(v, n.sum()));
    return out;
  }

  /**
   * When a version first answered, on {@link System#nanoTime()}'s scale (to compare with other
   * readings of it, such as when a health gate passed), if it did.
   */
  public OptionalLong firstSeen(String version) {
    Long at = firstSeen.get(version);
    return at == null ? OptionalLong.empty() : OptionalLong.of(at);
  }

  /** The descriptions of the first ten failed requests. */
  public List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  /** The description of the latest failed request, if one failed. */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  /** Requests (served or failed) per second since the start. */
  public double requestsPerSecond() {
    double seconds = (System.nanoTime() - started) / 1e9;
    return seconds <= 0 ? 0 : (served() + failed()) / seconds;
  }

  /**
   * Stops the clients. A request in flight is let finish within its timeout (cutting it would
   * count it as failed); when the calling thread is interrupted, the clients are cut at once and
   * the interrupt is kept.
   */
  @Override
  public void close() {
    running = false;
    for (Thread t : clients) {
      try {
        t.join(requestTimeout.plusSeconds(2));
      } catch (InterruptedException e) {
        clients.forEach(Thread::interrupt);
        http.shutdownNow();
        Thread.currentThread().interrupt();
        return;
      }
    }
    http.close();
  }

  /** Settings of a {@link LoadGenerator}; each setter validates its value. Not thread safe. */
  public static final class Builder {
    private final URI url;
    private int clients = 4;
    private Duration pause = Duration.ZERO;
    private Duration timeLimit = Duration.ofMinutes(10);
    private Duration requestTimeout = Duration.ofSeconds(10);

    private Builder(URI url) {
      this.url = Objects.requireNonNull(url, "url");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("url must be http(s), was " + url);
      }
    }

    /**
     * How many clients send requests at once; default 4.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder clients(int clients) {
      if (clients < 1) {
        throw new IllegalArgumentException("clients must be at least 1, was " + clients);
      }
      this.clients = clients;
      return this;
    }

    /**
     * How long each client waits after an answer before its next request; default none.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder pause(Duration pause) {
      if (pause.isNegative()) {
        throw new IllegalArgumentException("pause must not be negative, was " + pause);
      }
      this.pause = pause;
      return this;
    }

    /**
     * When the clients stop by themselves if nobody closes the generator; default 10 minutes.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder timeLimit(Duration timeLimit) {
      this.timeLimit = positive(timeLimit, "timeLimit");
      return this;
    }

    /**
     * How long one request may take before it counts as failed; default 10 s.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** Starts the clients. */
    public LoadGenerator start() {
      return new LoadGenerator(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
