package dev.deploykit.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as the image runs it: a JVM of its own on exactly {@link OllamaServer#classPath()},
 * configured through Ollama's environment variables, ended by SIGTERM.
 */
class OllamaProcessTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void runsOnItsDeclaredClassPathAndEndsPromptlyOnSigterm(@TempDir Path dir) throws Exception {
    Path models = dir.resolve("models");
    TinyModel.DEFAULT.writeTo(models.resolve("tiny.gguf"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1",
        "-Dde.kherud.llama.tmpdir=" + dir.resolve("jni"), "-cp",
        OllamaServer.classPath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
        "dev.deploykit.llm.internal.Main", "serve"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile());
    pb.environment().put("OLLAMA_HOST", "127.0.0.1:" + port);
    pb.environment().put("OLLAMA_MODELS", models.toString());
    long started = System.nanoTime();
    Process process = pb.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + port);
      awaitReady(base.resolve("/api/version"), process, Duration.ofSeconds(30));
      long ready = System.nanoTime();
      HttpResponse<String> generated = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/generate"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny\",\"prompt\":\"hi\","
              + "\"stream\":false,\"options\":{\"num_predict\":8}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(generated.statusCode()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(generated.body()).path("eval_count").asInt()).isEqualTo(8);

      long stopping = System.nanoTime();
      process.destroy(); // SIGTERM
      boolean exited = process.waitFor(10, TimeUnit.SECONDS);
      long stopped = System.nanoTime();
      assertThat(exited).as("exited within 10 s of SIGTERM; log:\n%s",
          Files.readString(dir.resolve("server.log"))).isTrue();
      assertThat(process.exitValue()).isZero();
      System.out.printf("server process: ready %.0f ms after start, exit %.0f ms after SIGTERM%n",
          (ready - started) / 1e6, (stopped - stopping) / 1e6);
    } finally {
      process.destroyForcibly();
    }
  }

  private static void awaitReady(URI uri, Process process, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // not listening yet
      }
      assertThat(process.isAlive()).as("server process alive").isTrue();
      assertThat(System.nanoTime()).as("ready within " + timeout).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
