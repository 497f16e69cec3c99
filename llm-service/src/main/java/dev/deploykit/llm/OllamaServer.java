package dev.deploykit.llm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import dev.deploykit.llm.internal.ModelStore;
import dev.deploykit.llm.internal.OllamaApi;
import dev.deploykit.llm.internal.Runners;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A server that speaks the Ollama HTTP API and runs real llama.cpp inference (through
 * {@code de.kherud:llama}) on the GGUF models of one directory.
 *
 * <pre>{@code
 * TinyModel.DEFAULT.writeTo(models.resolve("tiny.gguf"));
 * try (OllamaServer server = OllamaServer.builder(models).port(0).start()) {
 *   URI api = server.uri();            // http://127.0.0.1:<port>/, model "tiny:latest"
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code GET /}, {@code /api/version}, {@code /api/tags}, {@code /api/ps},
 * {@code POST /api/show}, {@code /api/generate}, {@code /api/chat} (streamed NDJSON or one JSON),
 * {@code HEAD|POST /api/blobs/sha256:<hex>}, {@code POST /api/create}, {@code /api/copy},
 * {@code /api/pull}, {@code DELETE /api/delete}, {@code POST /v1/chat/completions} (plain or
 * server-sent events) and {@code GET /v1/models}.
 *
 * <p>Thread safety: safe for concurrent use; each request runs on a virtual thread; each model
 * serves one request at a time and queues the rest, like Ollama with one parallel request.
 */
public final class OllamaServer implements AutoCloseable {
  /** The Ollama version this server reports and whose API it follows. */
  public static final String VERSION = "0.12.6";
  /** Ollama's port. */
  public static final int DEFAULT_PORT = 11434;

  private static final System.Logger log = System.getLogger(OllamaServer.class.getName());

  static {
    // Small NDJSON lines must leave at once, not wait for Nagle's algorithm. The JDK server reads
    // this property once, when its first instance starts; a value set by the user wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer http;
  private final ExecutorService executor;
  private final Runners runners;
  private final ModelStore store;

  private OllamaServer(Builder b) throws IOException {
    prepareNativeLibraryFolder();
    LlamaModel.setLogger(LogFormat.TEXT, OllamaServer::llamaLog);
    this.store = new ModelStore(b.modelsDirectory);
    this.runners = new Runners(b.contextLength, b.threads, b.maxQueue, b.clock);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    this.http = HttpServer.create(new InetSocketAddress(b.host, b.port), 128);
    http.setExecutor(executor);
    http.createContext("/", new OllamaApi(store, runners, b.version, b.keepAlive, b.clock));
    http.start();
    log.log(System.Logger.Level.INFO, "Listening on {0}:{1} (version {2}), models in {3}: {4}",
        address().getAddress().getHostAddress(), String.valueOf(address().getPort()), b.version,
        b.modelsDirectory, store.list().stream().map(ModelStore.Entry::name).toList());
  }

  /**
   * A builder for a server over the GGUF files in {@code modelsDirectory} (created if missing).
   */
  public static Builder builder(Path modelsDirectory) {
    return new Builder(modelsDirectory);
  }

  /** The bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  /** {@code http://host:port/} of the API. */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    try {
      return new URI("http", null, host, a.getPort(), "/", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names of the models the server holds now. */
  public List<String> models() {
    return store.list().stream().map(ModelStore.Entry::name).toList();
  }

  /**
   * Stops accepting requests, ends open connections, and unloads every model. Running generations
   * see their client gone and stop at the next token.
   */
  @Override
  public void close() {
    http.stop(0);
    runners.close();
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        log.log(System.Logger.Level.WARNING, "requests still running after 5 s at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The class path a separate JVM needs to run this server ({@code dev.deploykit.llm.internal.Main}):
   * this module's jar (or classes folder) and the jars of llama.cpp's binding and Jackson, as
   * this JVM loaded them. The image recipe copies these into the image.
   */
  public static List<Path> classPath() {
    List<Path> entries = new ArrayList<>();
    for (Class<?> c : List.of(OllamaServer.class, LlamaModel.class, ObjectMapper.class,
        JsonFactory.class, JsonProperty.class)) {
      var source = c.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        throw new IllegalStateException("Cannot locate the class-path entry of " + c.getName()
            + ": it was not loaded from a jar or class folder");
      }
      try {
        Path p = Path.of(source.getLocation().toURI());
        if (!entries.contains(p)) {
          entries.add(p);
        }
      } catch (URISyntaxException e) {
        throw new IllegalStateException("Cannot locate the class-path entry of " + c.getName(), e);
      }
    }
    return List.copyOf(entries);
  }

  /**
   * The llama.cpp binding's loader deletes {@code llama*} entries of {@code java.io.tmpdir} when it
   * extracts its native library, unless {@code de.kherud.llama.tmpdir} names a folder of its own.
   */
  private static void prepareNativeLibraryFolder() throws IOException {
    String dir = System.getProperty("de.kherud.llama.tmpdir");
    if (dir == null) {
      Path own = Files.createTempDirectory("deploykit-jni-");
      System.setProperty("de.kherud.llama.tmpdir", own.toString());
    } else {
      Files.createDirectories(Path.of(dir));
    }
  }

  private static void llamaLog(LogLevel level, String message) {
    System.Logger.Level l = switch (level) {
      case ERROR -> System.Logger.Level.ERROR;
      case WARN -> System.Logger.Level.WARNING;
      default -> System.Logger.Level.DEBUG;
    };
    System.getLogger("llama.cpp").log(l, message.stripTrailing());
  }

  /**
   * Settings of an {@link OllamaServer}; every one but the models directory has a default.
   * Not thread-safe.
   */
  public static final class Builder {
    private final Path modelsDirectory;
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private Duration keepAlive = Duration.ofMinutes(5);
    private int contextLength = 4096;
    private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private int maxQueue = 512;
    private String version = VERSION;
    private Clock clock = Clock.systemUTC();

    private Builder(Path modelsDirectory) {
      this.modelsDirectory = Objects.requireNonNull(modelsDirectory, "modelsDirectory");
    }

    /** The address to bind; default {@code 127.0.0.1} (use {@code 0.0.0.0} in a container). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The port; default 11434, 0 for any free port.
     *
     * @throws IllegalArgumentException when outside 0..65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * How long a model stays loaded after its last request when the request names no
     * {@code keep_alive}; default 5 minutes (Ollama's). Zero unloads at once.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder keepAlive(Duration keepAlive) {
      Objects.requireNonNull(keepAlive, "keepAlive");
      if (keepAlive.isNegative()) {
        throw new IllegalArgumentException("keepAlive must not be negative, was " + keepAlive);
      }
      this.keepAlive = keepAlive;
      return this;
    }

    /**
     * The context length a model runs with, at most what the model declares; default 4096.
     *
     * @throws IllegalArgumentException when below 16
     */
    public Builder contextLength(int contextLength) {
      if (contextLength < 16) {
        throw new IllegalArgumentException("contextLength must be at least 16, was " + contextLength);
      }
      this.contextLength = contextLength;
      return this;
    }

    /**
     * llama.cpp's CPU threads per model; default the processors, at most 4.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder threads(int threads) {
      if (threads <= 0) {
        throw new IllegalArgumentException("threads must be positive, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * How many requests may wait for a busy model before the server answers 503; default 512
     * (Ollama's {@code OLLAMA_MAX_QUEUE}).
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder maxQueue(int maxQueue) {
      if (maxQueue < 0) {
        throw new IllegalArgumentException("maxQueue must not be negative, was " + maxQueue);
      }
      this.maxQueue = maxQueue;
      return this;
    }

    /** The version {@code /api/version} reports; default {@link #VERSION}. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** The clock for timestamps and keep-alive expiry; default the system clock in UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws UncheckedIOException when the port cannot be bound or the directory not created
     */
    public OllamaServer start() {
      try {
        return new OllamaServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start the Ollama server on " + host + ":" + port, e);
      }
    }
  }
}
