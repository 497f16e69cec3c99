package dev.deploykit.it.llm;

import static dev.deploykit.it.llm.OllamaImages.post;
import static dev.deploykit.it.llm.OllamaImages.postBytes;
import static dev.deploykit.it.llm.OllamaImages.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.llm.OllamaServer;
import dev.deploykit.llm.TinyModel;
import io.github.ollama4j.Ollama;
import io.github.ollama4j.exceptions.OllamaException;
import io.github.ollama4j.models.chat.OllamaChatMessageRole;
import io.github.ollama4j.models.chat.OllamaChatRequest;
import io.github.ollama4j.models.chat.OllamaChatResult;
import io.github.ollama4j.models.generate.OllamaGenerateRequest;
import io.github.ollama4j.models.generate.OllamaGenerateStreamObserver;
import io.github.ollama4j.models.request.CustomModelRequest;
import io.github.ollama4j.models.request.ThinkMode;
import io.github.ollama4j.models.response.Model;
import io.github.ollama4j.models.response.OllamaResult;
import io.github.ollama4j.utils.OptionsBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.ollama.OllamaContainer;

/**
 * {@code ollama/ollama} as Testcontainers' Ollama module starts it (deploykit's stand-in where the
 * official image cannot be pulled), driven by the Java client ollama4j, which nobody here wrote.
 */
@ExtendWith(DockerRequired.class)
class OllamaJavaClientIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static OllamaContainer container;
  private static Ollama ollama;

  @BeforeAll
  static void start() {
    container = OllamaImages.started();
    ollama = new Ollama(container.getEndpoint());
    ollama.setRequestTimeoutSeconds(60);
  }

  @AfterAll
  static void stop() {
    if (container != null) {
      container.stop();
    }
  }

  @Test
  void answersAsTheOllamaVersionItStandsForAndListsItsBakedInModel() throws Exception {
    assertThat(ollama.ping()).isTrue();
    assertThat(ollama.getVersion()).isEqualTo(OllamaServer.VERSION);
    List<Model> models = ollama.listModels();
    assertThat(models).extracting(Model::getName).contains("tiny:latest");
    Model tiny = models.stream().filter(m -> m.getName().equals("tiny:latest")).findFirst().orElseThrow();
    assertThat(tiny.getDigest()).isEqualTo(TinyModel.DEFAULT.sha256());
    assertThat(tiny.getSize()).isEqualTo(TinyModel.DEFAULT.toBytes().length);
    assertThat(ollama.getModelDetails("tiny").getTemplate()).isNotBlank();
  }

  @Test
  void generatesTheSameTextForTheSameSeedWithRealCountsStreamedOrNot() throws Exception {
    OllamaResult first = ollama.generate(generate("Why is the sky blue?", 11, 32), null);
    OllamaResult second = ollama.generate(generate("Why is the sky blue?", 11, 32), null);
    assertThat(first.getResponse()).isNotEmpty().isEqualTo(second.getResponse());
    assertCounted(first.getDoneReason(), first.getEvalCount(), 32);
    assertThat(first.getPromptEvalCount()).isGreaterThan(1);
    assertThat(first.getEvalDuration()).isPositive();
    assertThat(first.getTotalDuration()).isGreaterThanOrEqualTo(first.getEvalDuration() + first.getPromptEvalDuration());

    List<String> tokens = new ArrayList<>();
    OllamaResult streamed = ollama.generate(generate("Why is the sky blue?", 11, 32).withStreaming(true),
        new OllamaGenerateStreamObserver(null, tokens::add));
    assertThat(tokens.size()).isGreaterThan(1);
    assertThat(String.join("", tokens)).isEqualTo(first.getResponse());
    assertThat(streamed.getResponse()).isEqualTo(first.getResponse());

    OllamaResult other = ollama.generate(generate("Why is the sky blue?", 11, 32)
        .withOptions(new OptionsBuilder().setSeed(12).setTemperature(1.0f).setNumPredict(32).build()), null);
    assertThat(other.getResponse()).isNotEqualTo(first.getResponse());
  }

  @Test
  void chatsStreamedAndNot() throws Exception {
    OllamaChatResult whole = ollama.chat(chat(), null);
    assertThat(whole.getResponseModel().getMessage().getRole().getRoleName()).isEqualTo("assistant");
    String answer = whole.getResponseModel().getMessage().getResponse();
    assertThat(answer).isNotEmpty();
    assertCounted(whole.getResponseModel().getDoneReason(), whole.getResponseModel().getEvalCount(), 12);
    assertThat(whole.getChatHistory()).hasSize(3);

    StringBuilder streamed = new StringBuilder();
    OllamaChatResult viaStream = ollama.chat(chat().withStreaming(), part -> {
      if (part.getMessage() != null && part.getMessage().getResponse() != null) {
        streamed.append(part.getMessage().getResponse());
      }
    });
    assertThat(streamed.toString()).isEqualTo(answer);
    assertThat(viaStream.getResponseModel().isDone()).isTrue();
  }

  @Test
  void importsAGgufModelAsOllamaDoesThenDeletesIt() throws Exception {
    byte[] gguf = TinyModel.DEFAULT.withSeed(2024).toBytes();
    String digest = sha256(gguf);
    assertThat(postBytes(container, "/api/blobs/" + digest, gguf).statusCode()).isEqualTo(201);
    ollama.createModel(CustomModelRequest.builder().model("imported-java:v1")
        .files(Map.of("model.gguf", digest)).build());
    assertThat(ollama.listModels()).extracting(Model::getName).contains("imported-java:v1");

    OllamaResult imported = ollama.generate(generate("hello", 5, 16).withModel("imported-java:v1"), null);
    OllamaResult tiny = ollama.generate(generate("hello", 5, 16), null);
    assertCounted(imported.getDoneReason(), imported.getEvalCount(), 16);
    assertThat(imported.getResponse()).isNotEqualTo(tiny.getResponse());

    ollama.pullModel("imported-java:v1"); // present: Ollama's status lines end in success
    ollama.deleteModel("imported-java:v1", false);
    assertThat(ollama.listModels()).extracting(Model::getName).doesNotContain("imported-java:v1");
    ollama.setNumberOfRetriesForModelPull(0);
    assertThatThrownBy(() -> ollama.pullModel("llama3")).isInstanceOf(OllamaException.class);
  }

  @Test
  void badInputGetsOllamasStatusAndErrorAndTheServerKeepsServing() throws Exception {
    assertThatThrownBy(() -> ollama.generate(generate("hi", 1, 4).withModel("no-such-model"), null))
        .isInstanceOf(OllamaException.class).hasMessageContaining("not found");
    assertError(post(container, "/api/generate", "{\"model\":\"tiny\",\"prompt\":"), 400);
    assertError(post(container, "/api/chat", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 404);
    byte[] gguf = TinyModel.DEFAULT.withSeed(5).toBytes();
    String wrong = "sha256:" + "ab".repeat(32);
    JsonNode mismatch = assertError(postBytes(container, "/api/blobs/" + wrong, gguf), 400);
    assertThat(mismatch.path("error").asText()).startsWith("digest mismatch");
    JsonNode tooLong = assertError(post(container, "/api/generate", "{\"model\":\"tiny\",\"prompt\":\""
        + "word ".repeat(400) + "\",\"truncate\":false,\"stream\":false}"), 400);
    assertThat(tooLong.path("error").asText()).contains("context length");

    // A client that goes away mid-stream: the server cancels the generation and serves on.
    URI api = URI.create(container.getEndpoint());
    String body = "{\"model\":\"tiny\",\"prompt\":\"go\",\"options\":{\"num_predict\":-1}}";
    try (Socket socket = new Socket(api.getHost(), api.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/generate HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
          + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.contains("\"done\":false")) {
        // status line, headers, chunk sizes
      }
      assertThat(line).isNotNull();
    }
    OllamaResult after = ollama.generate(generate("still serving?", 1, 6), null);
    assertCounted(after.getDoneReason(), after.getEvalCount(), 6);
  }

  @Test
  void measuresLoadTimeAndTokensPerSecond() throws Exception {
    ollama.unloadModel("tiny");
    OllamaResult loaded = ollama.generate(generate("Measure me", 1, 8), null);
    // No num_predict: generate until the context (256 tokens) is full.
    OllamaResult run = ollama.generate(generate("hi", 1, -1), null);
    assertThat(loaded.getLoadDuration()).isPositive();
    assertThat(run.getEvalCount() + run.getPromptEvalCount()).isLessThanOrEqualTo(256);
    System.out.printf(Locale.ROOT, "in the container: model %d bytes loaded in %.1f ms;"
        + " %d tokens in %.1f ms = %.0f tokens/s (prompt %d tokens in %.2f ms)%n",
        TinyModel.DEFAULT.toBytes().length, loaded.getLoadDuration() / 1e6, run.getEvalCount(),
        run.getEvalDuration() / 1e6, run.getEvalCount() / (run.getEvalDuration() / 1e9),
        run.getPromptEvalCount(), run.getPromptEvalDuration() / 1e6);
  }

  @Test
  void openAiCompatibleChatCompletionsPlainAndStreamed() throws Exception {
    String request = "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"max_tokens\":5,\"temperature\":0,\"seed\":3";
    JsonNode plain = JSON.readTree(post(container, "/v1/chat/completions", request + "}").body());
    assertThat(plain.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(plain.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    String sse = post(container, "/v1/chat/completions", request + ",\"stream\":true}").body();
    assertThat(sse).startsWith("data: {").endsWith("data: [DONE]\n\n");
  }

  /**
   * The model samples until num_predict ("length") or until it samples its end-of-sequence token
   * ("stop"), which a model with random weights may do at any step.
   */
  private static void assertCounted(String doneReason, Integer evalCount, int numPredict) {
    assertThat(doneReason).isIn("length", "stop");
    if (doneReason.equals("length")) {
      assertThat(evalCount).isEqualTo(numPredict);
    } else {
      assertThat(evalCount).isPositive().isLessThan(numPredict);
    }
  }

  private static JsonNode assertError(java.net.http.HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.fieldNames()).toIterable().containsExactly("error");
    return body;
  }

  private static OllamaGenerateRequest generate(String prompt, int seed, int numPredict) {
    return OllamaGenerateRequest.builder().withModel("tiny").withPrompt(prompt)
        .withThink(ThinkMode.DISABLED)
        .withOptions(new OptionsBuilder().setSeed(seed).setTemperature(0f).setNumPredict(numPredict).build())
        .build();
  }

  private static OllamaChatRequest chat() {
    return OllamaChatRequest.builder().withModel("tiny")
        .withMessage(OllamaChatMessageRole.SYSTEM, "You are terse.")
        .withMessage(OllamaChatMessageRole.USER, "What is deploykit? Ünïcödé ✓")
        .withOptions(new OptionsBuilder().setSeed(4).setTemperature(0f).setNumPredict(12).build())
        .build();
  }
}
