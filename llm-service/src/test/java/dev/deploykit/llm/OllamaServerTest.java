package dev.deploykit.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server in-process, against the generated model, through plain HTTP as clients speak it. */
class OllamaServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path models;
  private static OllamaServer server;

  @BeforeAll
  static void start() {
    TinyModel.DEFAULT.writeTo(models.resolve("tiny.gguf"));
    server = OllamaServer.builder(models).port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void answersLikeOllamaAtTheRootAndReportsItsVersion() throws Exception {
    HttpResponse<String> root = get("/");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.body()).isEqualTo("Ollama is running");
    assertThat(json(get("/api/version")).path("version").asText()).isEqualTo(OllamaServer.VERSION);
    assertThat(get("/api/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void listsTheModelsOfItsDirectoryWithDigestAndDetails() throws Exception {
    JsonNode tiny = model(json(get("/api/tags")), "tiny:latest");
    assertThat(tiny.path("model").asText()).isEqualTo("tiny:latest");
    assertThat(tiny.path("size").asLong()).isEqualTo(Files.size(models.resolve("tiny.gguf")));
    assertThat(tiny.path("digest").asText()).isEqualTo(TinyModel.DEFAULT.sha256());
    assertThat(Instant.parse(tiny.path("modified_at").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(tiny.path("details").path("format").asText()).isEqualTo("gguf");
    assertThat(tiny.path("details").path("family").asText()).isEqualTo("llama");
    assertThat(tiny.path("details").path("quantization_level").asText()).isEqualTo("F32");

    JsonNode show = json(post("/api/show", "{\"model\":\"tiny\"}"));
    assertThat(show.path("model_info").path("general.architecture").asText()).isEqualTo("llama");
    assertThat(show.path("model_info").path("llama.context_length").asInt()).isEqualTo(256);
    assertThat(show.path("template").asText()).contains(".Messages");
    assertThat(show.path("capabilities").toString()).contains("completion");
  }

  @Test
  void sameSeedAtTemperatureZeroGivesTheSameTextWithMeasuredCounts() throws Exception {
    String body = "{\"model\":\"tiny\",\"prompt\":\"Why is the sky blue?\",\"stream\":false,"
        + "\"options\":{\"seed\":42,\"temperature\":0,\"num_predict\":24}}";
    JsonNode first = json(post("/api/generate", body));
    JsonNode second = json(post("/api/generate", body));
    assertThat(first.path("response").asText()).isNotEmpty()
        .isEqualTo(second.path("response").asText());
    assertThat(first.path("done").asBoolean()).isTrue();
    assertThat(first.path("done_reason").asText()).isEqualTo("length");
    assertThat(first.path("eval_count").asInt()).isEqualTo(24);
    // BOS plus the prompt's pieces: more than one token, fewer than its characters + 1.
    assertThat(first.path("prompt_eval_count").asInt()).isBetween(2, "Why is the sky blue?".length() + 1);
    long total = first.path("total_duration").asLong();
    long eval = first.path("eval_duration").asLong();
    long promptEval = first.path("prompt_eval_duration").asLong();
    assertThat(eval).isPositive();
    assertThat(promptEval).isPositive();
    assertThat(total).isGreaterThanOrEqualTo(eval + promptEval);
    assertThat(first.path("context").size()).isGreaterThan(first.path("prompt_eval_count").asInt());
    System.out.printf("in-process: %d tokens in %.2f ms = %.0f tokens/s%n",
        first.path("eval_count").asInt(), eval / 1e6, first.path("eval_count").asInt() / (eval / 1e9));
  }

  @Test
  void streamedGenerationSendsOneLinePerTokenThenTheTotals() throws Exception {
    String options = "\"options\":{\"seed\":7,\"temperature\":0,\"num_predict\":12}";
    HttpResponse<String> streamed = post("/api/generate",
        "{\"model\":\"tiny\",\"prompt\":\"hello\"," + options + "}");
    assertThat(streamed.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    List<JsonNode> lines = ndjson(streamed.body());
    JsonNode last = lines.getLast();
    StringBuilder text = new StringBuilder();
    for (JsonNode line : lines.subList(0, lines.size() - 1)) {
      assertThat(line.path("done").asBoolean()).isFalse();
      assertThat(line.path("model").asText()).isEqualTo("tiny:latest");
      text.append(line.path("response").asText());
    }
    assertThat(last.path("done").asBoolean()).isTrue();
    assertThat(last.path("eval_count").asInt()).isEqualTo(12).isGreaterThanOrEqualTo(lines.size() - 1);
    JsonNode whole = json(post("/api/generate",
        "{\"model\":\"tiny\",\"prompt\":\"hello\",\"stream\":false," + options + "}"));
    assertThat(text.toString()).isEqualTo(whole.path("response").asText());
  }

  @Test
  void withoutNumPredictItGeneratesUntilTheContextIsFull() throws Exception {
    JsonNode r = json(post("/api/generate", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"stream\":false,"
        + "\"options\":{\"seed\":1,\"temperature\":0}}"));
    assertThat(r.path("done_reason").asText()).isEqualTo("length");
    assertThat(r.path("prompt_eval_count").asInt() + r.path("eval_count").asInt()).isEqualTo(256);
  }

  @Test
  void differentSeedsSampleDifferentText() throws Exception {
    String a = json(post("/api/generate", "{\"model\":\"tiny\",\"prompt\":\"x\",\"stream\":false,"
        + "\"options\":{\"seed\":1,\"temperature\":1.0,\"num_predict\":32}}")).path("response").asText();
    String b = json(post("/api/generate", "{\"model\":\"tiny\",\"prompt\":\"x\",\"stream\":false,"
        + "\"options\":{\"seed\":2,\"temperature\":1.0,\"num_predict\":32}}")).path("response").asText();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void chatsStreamedAndNot() throws Exception {
    String messages = "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"Grüße! Wie geht's? 🚀\"}],"
        + "\"options\":{\"seed\":3,\"temperature\":0,\"num_predict\":10}";
    JsonNode whole = json(post("/api/chat", "{\"model\":\"tiny:latest\",\"stream\":false," + messages + "}"));
    assertThat(whole.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(whole.path("message").path("content").asText()).isNotEmpty();
    assertThat(whole.path("eval_count").asInt()).isEqualTo(10);
    List<JsonNode> lines = ndjson(post("/api/chat", "{\"model\":\"tiny\"," + messages + "}").body());
    StringBuilder text = new StringBuilder();
    lines.forEach(l -> text.append(l.path("message").path("content").asText()));
    assertThat(text.toString()).isEqualTo(whole.path("message").path("content").asText());
    assertThat(lines.getLast().path("done_reason").asText()).isEqualTo("length");
  }

  @Test
  void badRequestsGetOllamasStatusAndErrorBodyAndTheServerKeepsServing() throws Exception {
    assertError(post("/api/generate", "{\"model\":\"nope\",\"prompt\":\"hi\"}"), 404,
        "model 'nope' not found");
    assertError(post("/api/chat", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        404, "model 'nope' not found");
    assertError(post("/api/show", "{\"model\":\"nope\"}"), 404, "model 'nope' not found");
    assertError(post("/api/generate", "{\"prompt\":\"hi\"}"), 400, "model is required");
    assertError(post("/api/generate", "{not json"), 400, null);
    assertThat(json(post("/api/generate", "xyz")).path("error").asText())
        .isEqualTo("invalid character 'x' looking for beginning of value");
    assertError(post("/api/generate", ""), 400, "missing request body");
    assertError(post("/api/generate", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"keep_alive\":\"soon\"}"),
        400, "time: invalid duration \"soon\"");
    String longPrompt = "word ".repeat(400);
    HttpResponse<String> tooLong = post("/api/generate", "{\"model\":\"tiny\",\"prompt\":\""
        + longPrompt + "\",\"truncate\":false,\"stream\":false}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(json(tooLong).path("error").asText()).contains("exceeds the model's context length (256 tokens)");
    // Ollama's default truncates the prompt and answers.
    JsonNode truncated = json(post("/api/generate", "{\"model\":\"tiny\",\"prompt\":\"" + longPrompt
        + "\",\"stream\":false,\"options\":{\"num_predict\":4,\"temperature\":0}}"));
    assertThat(truncated.path("prompt_eval_count").asInt()).isLessThan(256);
    assertThat(truncated.path("eval_count").asInt()).isEqualTo(4);

    JsonNode ok = json(post("/api/generate", "{\"model\":\"tiny\",\"prompt\":\"still there?\","
        + "\"stream\":false,\"options\":{\"num_predict\":3}}"));
    assertThat(ok.path("eval_count").asInt()).isEqualTo(3);
  }

  @Test
  void aModelFileLlamaCppCannotLoadGetsAServerErrorAndOthersStillServe(@TempDir Path dir) throws Exception {
    byte[] tiny = TinyModel.DEFAULT.toBytes();
    // The header is intact (the store lists it), the tensor data is cut short.
    Files.write(dir.resolve("cut.gguf"), java.util.Arrays.copyOf(tiny, tiny.length / 2));
    TinyModel.DEFAULT.writeTo(dir.resolve("tiny.gguf"));
    try (OllamaServer other = OllamaServer.builder(dir).port(0).start()) {
      assertThat(other.models()).containsExactly("cut:latest", "tiny:latest");
      HttpResponse<String> failed = HTTP.send(HttpRequest.newBuilder(other.uri().resolve("/api/generate"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"cut\",\"prompt\":\"hi\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertError(failed, 500, null);
      assertThat(json(failed).path("error").asText()).startsWith("error loading model").contains("cut.gguf");
      HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(other.uri().resolve("/api/generate"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny\",\"prompt\":\"hi\",\"stream\":false,"
              + "\"options\":{\"num_predict\":2}}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void keepAliveLoadsKeepsAndUnloads() throws Exception {
    JsonNode load = json(post("/api/generate", "{\"model\":\"tiny\",\"keep_alive\":\"1h\"}"));
    assertThat(load.path("done_reason").asText()).isEqualTo("load");
    JsonNode ps = model(json(get("/api/ps")), "tiny:latest");
    Instant expires = Instant.parse(ps.path("expires_at").asText());
    assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
    assertThat(ps.path("context_length").asInt()).isEqualTo(256);

    JsonNode unload = json(post("/api/chat", "{\"model\":\"tiny\",\"messages\":[],\"keep_alive\":0}"));
    assertThat(unload.path("done_reason").asText()).isEqualTo("unload");
    assertThat(json(get("/api/ps")).path("models").size()).isZero();

    // keep_alive 0 on a real request: answer, then unload.
    JsonNode answered = json(post("/api/generate", "{\"model\":\"tiny\",\"prompt\":\"hi\",\"stream\":false,"
        + "\"keep_alive\":0,\"options\":{\"num_predict\":2}}"));
    assertThat(answered.path("eval_count").asInt()).isEqualTo(2);
    assertThat(answered.path("load_duration").asLong()).isPositive();
    assertThat(json(get("/api/ps")).path("models").size()).isZero();

    // A short keep-alive runs out by itself.
    json(post("/api/generate", "{\"model\":\"tiny\",\"keep_alive\":\"200ms\"}"));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (json(get("/api/ps")).path("models").size() > 0) {
      assertThat(System.nanoTime()).as("unloaded after its keep-alive").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void requestsArrivingWhileTheModelLoadsWaitForItAndAllAnswer() throws Exception {
    post("/api/generate", "{\"model\":\"tiny\",\"keep_alive\":0}");
    String body = "{\"model\":\"tiny\",\"prompt\":\"together\",\"stream\":false,"
        + "\"options\":{\"seed\":5,\"temperature\":0,\"num_predict\":8}}";
    List<Callable<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(() -> json(post("/api/generate", body)));
    }
    List<JsonNode> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<JsonNode> f : pool.invokeAll(calls)) {
        answers.add(f.get());
      }
    }
    assertThat(answers).extracting(a -> a.path("response").asText()).containsOnly(
        answers.getFirst().path("response").asText());
    assertThat(answers).filteredOn(a -> a.path("load_duration").asLong() > 0).hasSize(1);
  }

  @Test
  void aClientThatLeavesMidStreamCancelsItsGenerationAndTheNextRequestIsServed() throws Exception {
    String body = "{\"model\":\"tiny\",\"prompt\":\"go on\",\"options\":{\"num_predict\":-1}}";
    try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/generate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      String line;
      while ((line = in.readLine()) != null && !line.contains("\"done\":false")) {
        // headers and chunk sizes
      }
      assertThat(line).contains("\"response\"");
    }
    JsonNode next = json(post("/api/generate", "{\"model\":\"tiny\",\"prompt\":\"next\",\"stream\":false,"
        + "\"options\":{\"num_predict\":5}}"));
    assertThat(next.path("eval_count").asInt()).isEqualTo(5);
  }

  @Test
  void importsAGgufModelFromABlobCheckingItsDigest() throws Exception {
    byte[] gguf = TinyModel.DEFAULT.withSeed(7).toBytes();
    String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gguf));
    String wrong = "sha256:" + "0".repeat(64);
    assertThat(head("/api/blobs/" + digest)).isEqualTo(404);
    HttpResponse<String> mismatch = postBytes("/api/blobs/" + wrong, gguf);
    assertError(mismatch, 400, "digest mismatch, expected \"" + wrong + "\", got \"" + digest + "\"");
    assertError(postBytes("/api/blobs/sha256:abc", gguf), 400, "invalid digest format");
    assertThat(head("/api/blobs/" + wrong)).isEqualTo(404);
    assertThat(postBytes("/api/blobs/" + digest, gguf).statusCode()).isEqualTo(201);
    assertThat(head("/api/blobs/" + digest)).isEqualTo(200);

    assertError(post("/api/create", "{\"model\":\"imported:v1\",\"files\":{\"m.gguf\":\"" + wrong
        + "\"},\"stream\":false}"), 400, null);
    List<JsonNode> statuses = ndjson(post("/api/create", "{\"model\":\"imported:v1\",\"files\":{\"m.gguf\":\""
        + digest + "\"}}").body());
    assertThat(statuses.getLast().path("status").asText()).isEqualTo("success");
    assertThat(model(json(get("/api/tags")), "imported:v1").path("digest").asText())
        .isEqualTo(digest.substring("sha256:".length()));

    String request = "\"prompt\":\"same prompt\",\"stream\":false,\"options\":{\"seed\":1,\"temperature\":0,\"num_predict\":16}}";
    String imported = json(post("/api/generate", "{\"model\":\"imported:v1\"," + request)).path("response").asText();
    String tiny = json(post("/api/generate", "{\"model\":\"tiny\"," + request)).path("response").asText();
    assertThat(imported).isNotEmpty().isNotEqualTo(tiny);

    assertThat(delete("{\"model\":\"imported:v1\"}").statusCode()).isEqualTo(200);
    assertError(delete("{\"model\":\"imported:v1\"}"), 404, "model 'imported:v1' not found");
    assertThat(json(get("/api/tags")).toString()).doesNotContain("imported:v1");
  }

  @Test
  void pullAnswersWithOllamasStatusLinesForAModelItHasAndOllamasErrorOtherwise() throws Exception {
    List<JsonNode> lines = ndjson(post("/api/pull", "{\"model\":\"tiny\"}").body());
    assertThat(lines).extracting(l -> l.path("status").asText())
        .startsWith("pulling manifest").endsWith("success");
    assertThat(json(post("/api/pull", "{\"model\":\"tiny\",\"stream\":false}")).path("status").asText())
        .isEqualTo("success");
    List<JsonNode> missing = ndjson(post("/api/pull", "{\"model\":\"llama3\"}").body());
    assertThat(missing.getLast().path("error").asText()).isEqualTo("pull model manifest: file does not exist");
    assertError(post("/api/pull", "{\"model\":\"llama3\",\"stream\":false}"), 500,
        "pull model manifest: file does not exist");
  }

  @Test
  void openAiChatCompletionsPlainAndStreamed() throws Exception {
    String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}],\"max_tokens\":6,\"seed\":9,\"temperature\":0";
    JsonNode plain = json(post("/v1/chat/completions", "{\"model\":\"tiny\"," + messages + "}"));
    assertThat(plain.path("object").asText()).isEqualTo("chat.completion");
    JsonNode choice = plain.path("choices").path(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
    assertThat(plain.path("usage").path("completion_tokens").asInt()).isEqualTo(6);
    assertThat(plain.path("usage").path("total_tokens").asInt())
        .isEqualTo(6 + plain.path("usage").path("prompt_tokens").asInt());

    HttpResponse<String> sse = post("/v1/chat/completions", "{\"model\":\"tiny\",\"stream\":true," + messages + "}");
    assertThat(sse.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    List<String> events = sse.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    assertThat(events.getLast()).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    for (String e : events.subList(0, events.size() - 1)) {
      JsonNode c = JSON.readTree(e);
      assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
      text.append(c.path("choices").path(0).path("delta").path("content").asText());
    }
    assertThat(text.toString()).isEqualTo(choice.path("message").path("content").asText());

    HttpResponse<String> missing = post("/v1/chat/completions", "{\"model\":\"nope\"," + messages + "}");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("error").path("type").asText()).isEqualTo("not_found_error");
  }

  @Test
  void aFullQueueIsAnsweredWith503WhileTheRunningRequestFinishes(@TempDir Path dir) throws Exception {
    // A long context keeps the first request busy for thousands of tokens; it cannot finish
    // before this test reads its stream anyway, since an unread stream blocks the writer.
    new TinyModel("long", 42, 64, 2, 4, 2, 128, 2048).writeTo(dir.resolve("tiny.gguf"));
    try (OllamaServer busy = OllamaServer.builder(dir).port(0).maxQueue(0).start()) {
      String body = "{\"model\":\"tiny\",\"prompt\":\"long\",\"options\":{\"num_predict\":-1,"
          + "\"temperature\":0}}";
      HttpRequest long1 = HttpRequest.newBuilder(busy.uri().resolve("/api/generate"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<java.util.stream.Stream<String>> running =
          HTTP.send(long1, HttpResponse.BodyHandlers.ofLines());
      var lines = running.body().iterator();
      assertThat(lines.next()).contains("\"done\":false"); // the first request holds the model
      HttpResponse<String> rejected = HTTP.send(HttpRequest.newBuilder(busy.uri().resolve("/api/generate"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny\",\"prompt\":\"me too\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertError(rejected, 503, "server busy, please try again.  maximum pending requests exceeded");
      String last = null;
      while (lines.hasNext()) {
        last = lines.next();
      }
      JsonNode done = JSON.readTree(last);
      assertThat(done.path("done").asBoolean()).isTrue();
      assertThat(done.path("eval_count").asInt() + done.path("prompt_eval_count").asInt())
          .isLessThanOrEqualTo(2048);
    }
  }

  // ---- helpers ----

  private static void assertError(HttpResponse<String> response, int status, String message) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.fieldNames()).toIterable().containsExactly("error");
    if (message != null) {
      assertThat(body.path("error").asText()).isEqualTo(message);
    } else {
      assertThat(body.path("error").asText()).isNotBlank();
    }
  }

  private static JsonNode model(JsonNode list, String name) {
    for (JsonNode m : list.path("models")) {
      if (m.path("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError(name + " not in " + list);
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  static List<JsonNode> ndjson(String body) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  private static URI uri(String path) {
    return server.uri().resolve(path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int head(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> postBytes(String path, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> delete(String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri("/api/delete")).timeout(Duration.ofSeconds(30))
        .method("DELETE", HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

}
