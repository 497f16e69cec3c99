package dev.deploykit.it.llm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.llm.OllamaServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.ollama.OllamaContainer;
import org.testcontainers.utility.DockerImageName;

/** What the Ollama ITs share: the official image name they ask for, and small measurements. */
final class OllamaImages {
  /**
   * The official image the suite asks for; deploykit's stand-in replaces it where it cannot be
   * pulled (through {@code StandInImageSubstitutor}).
   */
  static final DockerImageName OLLAMA = DockerImageName.parse("ollama/ollama:" + OllamaServer.VERSION);
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private OllamaImages() {}

  /** Starts the container and prints what it took until the API answered. */
  static OllamaContainer started() {
    // Build the stand-in first (once; reused while its inputs are unchanged) so that the figures
    // below are the container's own start, not the image build.
    StandInImageSubstitutor.resolve(OLLAMA.asCanonicalNameString());
    OllamaContainer ollama = new OllamaContainer(OLLAMA);
    long t0 = System.nanoTime();
    ollama.start();
    long started = System.nanoTime();
    try {
      // Testcontainers' Ollama module waits for the port only; poll the API as a client would.
      HttpResponse<String> version = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (version == null) {
        try {
          version = HTTP.send(HttpRequest.newBuilder(
              java.net.URI.create(ollama.getEndpoint() + "/api/version")).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException notYet) {
          if (System.nanoTime() > deadline || !ollama.isRunning()) {
            throw notYet;
          }
          Thread.sleep(20);
        }
      }
      long answered = System.nanoTime();
      DockerClient docker = DockerClientFactory.instance().client();
      Long size = docker.inspectImageCmd(ollama.getDockerImageName()).exec().getSize();
      System.out.printf(Locale.ROOT, "%s ran as %s (image %.1f MB): started in %.0f ms,"
          + " /api/version answered %s after %.0f ms%n", OLLAMA, ollama.getDockerImageName(),
          size == null ? -1 : size / 1e6, (started - t0) / 1e6, version.body(), (answered - t0) / 1e6);
      ensureTinyModel(ollama);
    } catch (Exception e) {
      ollama.stop();
      throw new IllegalStateException("The Ollama container does not answer", e);
    }
    return ollama;
  }

  /**
   * The stand-in has {@code tiny:latest} baked in; the official image (where it can be pulled)
   * has no model, so the suite imports the same generated model into it the way Ollama's CLI
   * does: upload the GGUF blob, then create the model from it.
   */
  private static void ensureTinyModel(OllamaContainer ollama) throws Exception {
    HttpResponse<String> tags = HTTP.send(HttpRequest.newBuilder(
        java.net.URI.create(ollama.getEndpoint() + "/api/tags")).build(), HttpResponse.BodyHandlers.ofString());
    if (tags.body().contains("\"tiny:latest\"")) {
      return;
    }
    byte[] gguf = dev.deploykit.llm.TinyModel.DEFAULT.toBytes();
    String digest = sha256(gguf);
    postBytes(ollama, "/api/blobs/" + digest, gguf);
    HttpResponse<String> created = post(ollama, "/api/create",
        "{\"model\":\"tiny\",\"files\":{\"tiny.gguf\":\"" + digest + "\"},\"stream\":false}");
    if (created.statusCode() != 200) {
      throw new IllegalStateException("Could not import the tiny model: " + created.body());
    }
  }

  /** Stops the container with SIGTERM (docker stop) and returns its exit code. */
  static long stopWithSigterm(OllamaContainer ollama) {
    DockerClient docker = DockerClientFactory.instance().client();
    long t0 = System.nanoTime();
    docker.stopContainerCmd(ollama.getContainerId()).withTimeout(10).exec();
    long stopped = System.nanoTime();
    InspectContainerResponse state = docker.inspectContainerCmd(ollama.getContainerId()).exec();
    long exit = state.getState().getExitCodeLong();
    System.out.printf(Locale.ROOT, "docker stop (SIGTERM) took %.0f ms, exit code %d%n",
        (stopped - t0) / 1e6, exit);
    return exit;
  }

  static String sha256(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static HttpResponse<String> post(OllamaContainer ollama, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(java.net.URI.create(ollama.getEndpoint() + path))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> postBytes(OllamaContainer ollama, String path, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(java.net.URI.create(ollama.getEndpoint() + path))
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
