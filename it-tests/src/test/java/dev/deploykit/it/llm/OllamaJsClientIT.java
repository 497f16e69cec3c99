package dev.deploykit.it.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.llm.OllamaServer;
import dev.deploykit.llm.TinyModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.ollama.OllamaContainer;

/**
 * The official JavaScript client (npm package {@code ollama}, pinned), run by this machine's
 * Node.js against {@code ollama/ollama} as Testcontainers starts it: list, generate streamed and
 * not, chat, import a GGUF model, and Ollama's errors.
 */
@ExtendWith(DockerRequired.class)
class OllamaJsClientIT {
  /** The client version under test. */
  static final String OLLAMA_JS = "0.6.4";
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration NODE_TIMEOUT = Duration.ofMinutes(2);

  @Test
  void theOfficialJavaScriptClientWorksAgainstIt(@TempDir Path work) throws Exception {
    Path client = installClient();
    Path script = client.resolve("ollama-js-client.mjs");
    try (InputStream in = getClass().getResourceAsStream("ollama-js-client.mjs")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path gguf = work.resolve("imported.gguf");
    TinyModel.DEFAULT.withSeed(77).writeTo(gguf);

    JsonNode out;
    try (OllamaContainer ollama = OllamaImages.started()) {
      out = run(List.of("node", script.toString()), client, NODE_TIMEOUT,
          "OLLAMA_URL", ollama.getEndpoint(), "GGUF_PATH", gguf.toString());
    }

    assertThat(out.path("version").asText()).isEqualTo(OllamaServer.VERSION);
    assertThat(names(out.path("models"))).contains("tiny:latest");

    JsonNode first = out.path("generate").path(0);
    assertThat(first.path("response").asText()).isNotEmpty()
        .isEqualTo(out.path("generate").path(1).path("response").asText());
    assertThat(first.path("done").asBoolean()).isTrue();
    assertThat(first.path("eval_count").asInt()).isPositive().isLessThanOrEqualTo(24);
    assertThat(first.path("prompt_eval_count").asInt()).isGreaterThan(1);
    assertThat(first.path("eval_duration").asLong()).isPositive();
    assertThat(first.path("total_duration").asLong()).isGreaterThanOrEqualTo(first.path("eval_duration").asLong());

    JsonNode streamed = out.path("generateStreamed");
    assertThat(streamed.path("text").asText()).isEqualTo(first.path("response").asText());
    assertThat(streamed.path("chunks").asInt()).isGreaterThan(1);
    assertThat(streamed.path("last").path("eval_count").asInt()).isEqualTo(first.path("eval_count").asInt());

    assertThat(out.path("chat").path("role").asText()).isEqualTo("assistant");
    assertThat(out.path("chat").path("content").asText()).isNotEmpty();
    assertThat(out.path("chatStreamed").asText()).isEqualTo(out.path("chat").path("content").asText());

    assertThat(out.path("blobBefore").asInt()).isEqualTo(404);
    assertThat(out.path("blobUpload").asInt()).isEqualTo(201);
    assertThat(out.path("create").asText()).isEqualTo("success");
    assertThat(names(out.path("modelsAfterCreate"))).contains("imported-js:v1");
    assertThat(out.path("importedGenerate").path("response").asText()).isNotEqualTo(first.path("response").asText());
    assertThat(out.path("show").path("family").asText()).isEqualTo("llama");
    assertThat(out.path("pullPresent").asText()).isEqualTo("success");
    assertThat(names(out.path("modelsAfterDelete"))).doesNotContain("imported-js:v1");

    assertThat(out.path("unknownModel").path("status").asInt()).isEqualTo(404);
    assertThat(out.path("unknownModel").path("error").asText()).isEqualTo("model 'no-such-model' not found");
    assertThat(out.path("pullMissing").path("error").asText()).isEqualTo("pull model manifest: file does not exist");
    assertThat(out.path("deleteMissing").path("status").asInt()).isEqualTo(404);
    assertThat(out.path("afterErrors").path("done").asBoolean()).isTrue();
  }

  /** Installs the pinned client once into target/ (npm registry), reusing an earlier install. */
  private static Path installClient() throws Exception {
    Path dir = Path.of("target", "ollama-js-" + OLLAMA_JS).toAbsolutePath();
    if (Files.isRegularFile(dir.resolve("node_modules/ollama/package.json"))) {
      return dir;
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("package.json"), "{\"private\":true,\"type\":\"module\"}\n");
    run(List.of("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
        "--save-exact", "ollama@" + OLLAMA_JS), dir, NPM_TIMEOUT);
    return dir;
  }

  private static JsonNode run(List<String> command, Path dir, Duration timeout, String... env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    for (int i = 0; i + 1 < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    Path log = Files.createTempFile(dir, "process-", ".log");
    pb.redirectErrorStream(false).redirectError(log.toFile());
    Process process = pb.start();
    byte[] stdout;
    try (InputStream in = process.getInputStream()) {
      stdout = in.readAllBytes();
    }
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within " + timeout);
    }
    String err = Files.readString(log);
    Files.deleteIfExists(log);
    String text = new String(stdout, StandardCharsets.UTF_8).strip();
    assertThat(process.exitValue()).as("%s failed:\n%s\n%s", command, text, err).isZero();
    if (command.getFirst().equals("npm")) {
      return null;
    }
    String lastLine = text.substring(text.lastIndexOf('\n') + 1);
    System.out.println("ollama-js " + OLLAMA_JS + " saw: " + lastLine);
    return new ObjectMapper().readTree(lastLine);
  }

  private static List<String> names(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
