package dev.deploykit.llm.internal;

import dev.deploykit.llm.OllamaServer;
import dev.deploykit.llm.TinyModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The command of the {@code deploykit.local/ollama} image, configured like Ollama through its
 * environment variables.
 *
 * <pre>
 * serve                              OLLAMA_HOST (0.0.0.0:11434), OLLAMA_MODELS, OLLAMA_KEEP_ALIVE,
 *                                    OLLAMA_CONTEXT_LENGTH, OLLAMA_MAX_QUEUE, OLLAMA_NUM_THREADS
 * list | ps | pull MODEL            asks the running server, like Ollama's CLI
 * generate-model FILE [--seed N]     writes the tiny model (TinyModel.DEFAULT, another seed if given)
 * --version                          prints the version
 * </pre>
 */
public final class Main {
  /** How long a SIGTERM waits for running requests and model unloads before the process ends. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format",
          "time=%1$tFT%1$tT.%1$tLZ level=%4$s source=%3$s msg=\"%5$s\"%6$s%n");
    }
    List<String> a = List.of(args);
    String command = a.isEmpty() ? "serve" : a.getFirst();
    switch (command) {
      case "serve" -> serve(System.getenv());
      case "generate-model" -> generateModel(a.subList(1, a.size()));
      case "--version", "-v", "version" -> System.out.println("ollama version is " + OllamaServer.VERSION);
      case "list", "ls" -> System.exit(cli().list());
      case "ps" -> System.exit(cli().ps());
      case "pull" -> {
        if (a.size() != 2) {
          System.err.println("usage: pull MODEL");
          System.exit(2);
        }
        System.exit(cli().pull(a.get(1)));
      }
      default -> {
        System.err.println("unknown command " + command
            + ": use serve, list, ps, pull MODEL, generate-model FILE or --version");
        System.exit(2);
      }
    }
  }

  private static Cli cli() {
    return new Cli(System.getenv().getOrDefault("OLLAMA_HOST", "127.0.0.1:" + OllamaServer.DEFAULT_PORT),
        System.out, System.err);
  }

  private static void generateModel(List<String> args) {
    if (args.isEmpty()) {
      System.err.println("usage: generate-model FILE [--seed N]");
      System.exit(2);
    }
    TinyModel model = TinyModel.DEFAULT;
    int seedAt = args.indexOf("--seed");
    if (seedAt >= 0 && seedAt + 1 < args.size()) {
      model = model.withSeed(Long.parseLong(args.get(seedAt + 1)));
    }
    Path file = Path.of(args.getFirst());
    model.writeTo(file);
    System.out.println("wrote " + file + " (" + model.parameterCount() + " parameters, sha256 "
        + model.sha256() + ")");
  }

  private static void serve(Map<String, String> env) throws InterruptedException {
    String hostPort = env.getOrDefault("OLLAMA_HOST", "127.0.0.1:" + OllamaServer.DEFAULT_PORT);
    hostPort = hostPort.replaceFirst("^https?://", "");
    int colon = hostPort.lastIndexOf(':');
    String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    int port = colon < 0 ? OllamaServer.DEFAULT_PORT : Integer.parseInt(hostPort.substring(colon + 1));
    Path models = Path.of(env.getOrDefault("OLLAMA_MODELS",
        System.getProperty("user.home") + "/.ollama/models"));
    OllamaServer.Builder builder = OllamaServer.builder(models)
        .host(host.isEmpty() ? "0.0.0.0" : host)
        .port(port);
    if (env.containsKey("OLLAMA_KEEP_ALIVE")) {
      Duration k = KeepAlive.parse(env.get("OLLAMA_KEEP_ALIVE"));
      builder.keepAlive(k.isNegative() ? KeepAlive.FOREVER : k);
    }
    if (env.containsKey("OLLAMA_CONTEXT_LENGTH")) {
      builder.contextLength(Integer.parseInt(env.get("OLLAMA_CONTEXT_LENGTH")));
    }
    if (env.containsKey("OLLAMA_MAX_QUEUE")) {
      builder.maxQueue(Integer.parseInt(env.get("OLLAMA_MAX_QUEUE")));
    }
    if (env.containsKey("OLLAMA_NUM_THREADS")) {
      builder.threads(Integer.parseInt(env.get("OLLAMA_NUM_THREADS")));
    }
    OllamaServer server = builder.start();
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Thread closing = Thread.ofPlatform().daemon().start(server::close);
      try {
        closing.join(SHUTDOWN_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // llama.cpp leaves a non-daemon native thread behind (java-llama.cpp issue #116), and a
      // generation stuck in native code must not hold the container past its stop grace period:
      // end the process here instead of waiting for a JVM exit that might never come.
      Runtime.getRuntime().halt(closing.isAlive() ? 1 : 0);
    }, "ollama-shutdown"));
    forever.await();
  }
}
