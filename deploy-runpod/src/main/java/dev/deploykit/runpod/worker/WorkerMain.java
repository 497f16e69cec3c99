package dev.deploykit.runpod.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The worker image's program. {@code serve} (the default): wait for the local Ollama, check that
 * the baked-in model is listed, then speak RunPod's queue protocol until SIGTERM, which drains
 * the job in hand. {@code import-model FILE NAME}: at image build time, import a GGUF file into
 * the running Ollama the way its CLI does (upload the blob, then {@code /api/create}).
 *
 * <p>Exit codes: 0 after a drain, 1 when the worker cannot start (its reason is the last line
 * of its log), 2 for a bad command line.
 */
public final class WorkerMain {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    List<String> a = List.of(args);
    String command = a.isEmpty() ? "serve" : a.getFirst();
    Map<String, String> env = System.getenv();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI ollama = URI.create(env.getOrDefault("DEPLOYKIT_OLLAMA_URL", "http://127.0.0.1:11434"));
    Duration wait = Duration.ofSeconds(Long.parseLong(env.getOrDefault("DEPLOYKIT_OLLAMA_WAIT", "120")));
    switch (command) {
      case "serve" -> serve(env, http, wait);
      case "import-model" -> {
        if (a.size() != 3) {
          System.err.println("usage: import-model FILE NAME");
          System.exit(2);
        }
        awaitOllama(http, ollama, wait);
        importModel(http, ollama, Path.of(a.get(1)), a.get(2));
      }
      default -> {
        System.err.println("unknown command " + command + ": use serve or import-model FILE NAME");
        System.exit(2);
      }
    }
  }

  private static void serve(Map<String, String> env, HttpClient http, Duration wait) {
    WorkerSettings settings;
    try {
      settings = WorkerSettings.fromEnvironment(env);
      awaitOllama(http, settings.ollama(), wait);
      List<String> models = models(http, settings.ollama());
      String wanted = settings.model().contains(":") ? settings.model() : settings.model() + ":latest";
      if (!models.contains(wanted)) {
        throw new IllegalStateException("model " + settings.model() + " (DEPLOYKIT_MODEL) is not in"
            + " Ollama's /api/tags (it lists " + (models.isEmpty() ? "none" : String.join(", ", models))
            + "): name a model the image imported at build time");
      }
    } catch (Exception e) {
      System.err.println("worker: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    QueueWorker worker = new QueueWorker(settings, http);
    Runtime.getRuntime().addShutdownHook(new Thread(worker::drain, "runpod-drain"));
    QueueWorker.log("ready: worker " + settings.workerId() + ", model " + settings.model());
    try {
      worker.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    QueueWorker.log("stopped");
  }

  static void awaitOllama(HttpClient http, URI ollama, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(ollama.resolve("/"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
        last = "HTTP " + answer.statusCode();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("Ollama did not answer on " + ollama + " within "
        + wait.toSeconds() + " s (" + last + ")");
  }

  static List<String> models(HttpClient http, URI ollama) throws IOException, InterruptedException {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(ollama.resolve("/api/tags"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    List<String> names = new ArrayList<>();
    for (JsonNode m : JSON.readTree(answer.body()).path("models")) {
      names.add(m.path("name").asText());
    }
    return names;
  }

  private static void importModel(HttpClient http, URI ollama, Path file, String name)
      throws IOException, InterruptedException {
    String digest = "sha256:" + sha256(file);
    HttpResponse<String> blob = http.send(HttpRequest.newBuilder(ollama.resolve("/api/blobs/" + digest))
        .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (blob.statusCode() != 200 && blob.statusCode() != 201) {
      throw new IllegalStateException("Ollama refused the blob of " + file + ": HTTP "
          + blob.statusCode() + " " + blob.body());
    }
    String body = JSON.createObjectNode().put("model", name).put("stream", false)
        .set("files", JSON.createObjectNode().put(file.getFileName().toString(), digest)).toString();
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(ollama.resolve("/api/create"))
        .timeout(Duration.ofMinutes(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 200) {
      throw new IllegalStateException("Ollama could not create model " + name + ": HTTP "
          + created.statusCode() + " " + created.body());
    }
    List<String> models = models(http, ollama);
    String wanted = name.contains(":") ? name : name + ":latest";
    if (!models.contains(wanted)) {
      throw new IllegalStateException("model " + wanted + " is not listed after the import: " + models);
    }
    System.out.println("imported " + file + " as " + wanted + " (" + digest + ")");
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file),
        MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
