package dev.deploykit.llm.internal;

import static dev.deploykit.llm.internal.Http.JSON;
import static dev.deploykit.llm.internal.Http.body;
import static dev.deploykit.llm.internal.Http.obj;
import static dev.deploykit.llm.internal.Http.sendError;
import static dev.deploykit.llm.internal.Http.sendJson;
import static dev.deploykit.llm.internal.Http.sendOpenAiError;
import static dev.deploykit.llm.internal.Http.sendText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP routes of the Ollama API, with Ollama's field names, status codes and
 * {@code {"error": "..."}} bodies; {@code /v1} goes to {@link OpenAiRoutes}.
 *
 * <p>Thread safety: safe for concurrent use; each exchange runs on its own virtual thread.
 */
public final class OllamaApi implements HttpHandler {
  private static final System.Logger log = System.getLogger(OllamaApi.class.getName());
  /** The chat template this server applies, as {@code /api/show} reports it. */
  static final String CHAT_TEMPLATE = "{{- range .Messages }}<|{{ .Role }}|>\n{{ .Content }}\n"
      + "{{ end }}<|assistant|>\n";

  private final ModelStore store;
  private final Runners runners;
  private final String version;
  private final Duration defaultKeepAlive;
  private final Clock clock;
  private final OpenAiRoutes openAi;

  public OllamaApi(ModelStore store, Runners runners, String version, Duration defaultKeepAlive,
      Clock clock) {
    this.store = store;
    this.runners = runners;
    this.version = version;
    this.defaultKeepAlive = defaultKeepAlive;
    this.clock = clock;
    this.openAi = new OpenAiRoutes(store, runners, defaultKeepAlive, clock);
  }


  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    try (exchange) {
      try {
        route(exchange, method, path, started);
      } catch (ApiError e) {
        if (path.startsWith("/v1/")) {
          sendOpenAiError(exchange, e.status, e.getMessage());
        } else {
          sendError(exchange, e.status, e.getMessage());
        }
      } catch (Runner.BusyException e) {
        sendError(exchange, 503, e.getMessage());
      } catch (Http.ClientGone e) {
        log.log(System.Logger.Level.INFO, "{0} {1}: client went away, generation cancelled",
            method, path);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sendError(exchange, 500, "server shutting down");
      } catch (RuntimeException e) {
        log.log(System.Logger.Level.ERROR, method + " " + path + " failed", e);
        if (exchange.getResponseCode() < 0) {
          sendError(exchange, 500, String.valueOf(e.getMessage()));
        }
      }
    } catch (IOException e) {
      // The client closed the connection; nothing left to tell it.
    }
    log.log(System.Logger.Level.DEBUG, () -> String.format(Locale.ROOT, "%d %s %s %.1f ms",
        exchange.getResponseCode(), method, path, (System.nanoTime() - started) / 1e6));
  }

  private void route(HttpExchange ex, String method, String path, long started)
      throws IOException, InterruptedException {
    switch (method + " " + path) {
      case "GET /", "HEAD /" -> sendText(ex, 200, "Ollama is running", method.equals("HEAD"));
      case "GET /api/version", "HEAD /api/version" -> sendJson(ex, 200, obj().put("version", version));
      case "GET /api/tags", "HEAD /api/tags" -> tags(ex);
      case "GET /api/ps" -> ps(ex);
      case "POST /api/show" -> show(ex, body(ex));
      case "POST /api/generate" -> generate(ex, body(ex), started);
      case "POST /api/chat" -> chat(ex, body(ex), started);
      case "POST /api/create" -> create(ex, body(ex));
      case "DELETE /api/delete" -> delete(ex, body(ex));
      case "POST /api/pull" -> pull(ex, body(ex));
      case "POST /api/copy" -> copy(ex, body(ex));
      case "POST /v1/chat/completions" -> openAi.chat(ex, body(ex));
      case "GET /v1/models" -> openAi.models(ex);
      default -> {
        if (path.startsWith("/api/blobs/") && (method.equals("HEAD") || method.equals("POST"))) {
          blob(ex, method, path.substring("/api/blobs/".length()));
        } else {
          sendText(ex, 404, "404 page not found", false);
        }
      }
    }
  }

  // ---- listing ----

  private void tags(HttpExchange ex) throws IOException {
    ArrayNode models = JSON.createArrayNode();
    for (ModelStore.Entry e : store.list()) {
      models.addObject()
          .put("name", e.name())
          .put("model", e.name())
          .put("modified_at", e.modifiedAt().toString())
          .put("size", e.size())
          .put("digest", e.digest())
          .set("details", details(e));
    }
    sendJson(ex, 200, obj().set("models", models));
  }

  private void ps(HttpExchange ex) throws IOException {
    ArrayNode models = JSON.createArrayNode();
    for (Runner r : runners.loaded()) {
      ModelStore.Entry e = r.entry();
      Instant expires = r.expiresAt();
      ObjectNode m = models.addObject()
          .put("name", e.name())
          .put("model", e.name())
          .put("size", e.size())
          .put("digest", e.digest());
      m.set("details", details(e));
      m.put("expires_at", expires == null ? clock.instant().toString() : expires.toString())
          .put("size_vram", 0)
          .put("context_length", r.contextLength());
    }
    sendJson(ex, 200, obj().set("models", models));
  }

  private void show(HttpExchange ex, JsonNode req) throws IOException {
    String name = modelName(req);
    ModelStore.Entry e = existing(name);
    ObjectNode info = obj();
    for (Map.Entry<String, Object> kv : e.metadata().values().entrySet()) {
      Object v = kv.getValue();
      if (v instanceof List<?> list && !req.path("verbose").asBoolean(false)) {
        info.putNull(kv.getKey()); // Ollama leaves big arrays out unless asked (verbose)
      } else {
        info.set(kv.getKey(), JSON.valueToTree(v));
      }
    }
    info.put("general.parameter_count", e.metadata().parameterCount());
    ObjectNode out = obj()
        .put("license", "")
        .put("modelfile", "# Modelfile generated by \"ollama show\"\nFROM " + e.file()
            + "\nTEMPLATE \"\"\"" + CHAT_TEMPLATE + "\"\"\"\n")
        .put("parameters", "")
        .put("template", CHAT_TEMPLATE);
    out.set("details", details(e));
    out.set("model_info", info);
    out.set("capabilities", JSON.createArrayNode().add("completion"));
    out.put("modified_at", e.modifiedAt().toString());
    sendJson(ex, 200, out);
  }

  private ObjectNode details(ModelStore.Entry e) {
    ObjectNode d = obj()
        .put("parent_model", "")
        .put("format", "gguf")
        .put("family", e.metadata().architecture());
    d.set("families", JSON.createArrayNode().add(e.metadata().architecture()));
    d.put("parameter_size", humanNumber(e.metadata().parameterCount()))
        .put("quantization_level", fileType(e.metadata().number("general.file_type").orElse(0L)));
    return d;
  }

  // ---- generation ----

  private void generate(HttpExchange ex, JsonNode req, long started)
      throws IOException, InterruptedException {
    String name = modelName(req);
    ModelStore.Entry e = existing(name);
    Duration keepAlive = keepAlive(req);
    Runner runner = runners.of(e);
    String prompt = req.path("prompt").asText("");
    if (prompt.isEmpty() && !req.path("images").isArray()) {
      loadOrUnload(ex, e, runner, keepAlive, started, false);
      return;
    }
    String system = req.path("system").asText("");
    // The generate template: {{ if .System }}{{ .System }}\n\n{{ end }}{{ .Prompt }}; raw skips it.
    String text = req.path("raw").asBoolean(false) || system.isEmpty()
        ? prompt
        : system + "\n\n" + prompt;
    Runner.Request request = request(req, text, req.path("options"));
    boolean stream = req.path("stream").asBoolean(true);
    Http.Ndjson out = new Http.Ndjson(ex, stream);
    Runner.Result r = runGenerate(runner, request, keepAlive, token -> out.line(
        chunk(e.name()).put("response", token).put("done", false)));
    ObjectNode last = chunk(e.name()).put("response", stream ? "" : r.text()).put("done", true)
        .put("done_reason", r.doneReason());
    ArrayNode context = last.putArray("context");
    r.context().forEach(context::add);
    stats(last, r, started);
    out.finish(last);
  }

  private void chat(HttpExchange ex, JsonNode req, long started)
      throws IOException, InterruptedException {
    String name = modelName(req);
    ModelStore.Entry e = existing(name);
    Duration keepAlive = keepAlive(req);
    Runner runner = runners.of(e);
    JsonNode messages = req.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      loadOrUnload(ex, e, runner, keepAlive, started, true);
      return;
    }
    Runner.Request request = request(req, renderChat(messages), req.path("options"));
    boolean stream = req.path("stream").asBoolean(true);
    Http.Ndjson out = new Http.Ndjson(ex, stream);
    Runner.Result r = runGenerate(runner, request, keepAlive, token -> {
      ObjectNode c = chunk(e.name());
      c.set("message", message(token));
      out.line(c.put("done", false));
    });
    ObjectNode last = chunk(e.name());
    last.set("message", message(stream ? "" : r.text()));
    last.put("done", true).put("done_reason", r.doneReason());
    stats(last, r, started);
    out.finish(last);
  }

  private void loadOrUnload(HttpExchange ex, ModelStore.Entry e, Runner runner, Duration keepAlive,
      long started, boolean chat) throws IOException, InterruptedException {
    boolean unload = keepAlive.isZero();
    if (unload) {
      runner.unload();
    } else {
      runner.load(keepAlive);
    }
    ObjectNode out = chunk(e.name());
    if (chat) {
      out.set("message", message(""));
    } else {
      out.put("response", "");
    }
    out.put("done", true).put("done_reason", unload ? "unload" : "load");
    sendJson(ex, 200, out);
  }

  static Runner.Result runGenerate(Runner runner, Runner.Request request, Duration keepAlive,
      Consumer<String> onToken) throws InterruptedException {
    try {
      return runner.generate(request, keepAlive, onToken);
    } catch (Runner.InputTooLongException e) {
      throw new ApiError(400, e.getMessage());
    }
  }

  static Runner.Request request(JsonNode req, String prompt, JsonNode options) {
    List<String> stop = new ArrayList<>();
    options.path("stop").forEach(s -> stop.add(s.asText()));
    JsonNode truncate = req.path("truncate");
    return new Runner.Request(
        prompt,
        options.path("num_predict").asInt(-1),
        floatOption(options, "temperature"),
        options.has("seed") ? options.path("seed").asInt() : null,
        stop,
        !truncate.isBoolean() || truncate.asBoolean(),
        floatOption(options, "top_p"),
        options.has("top_k") ? options.path("top_k").asInt() : null,
        floatOption(options, "repeat_penalty"));
  }

  private static @Nullable Float floatOption(JsonNode options, String name) {
    JsonNode n = options.path(name);
    return n.isNumber() ? (float) n.asDouble() : null;
  }

  /** Applies {@link #CHAT_TEMPLATE}. */
  static String renderChat(JsonNode messages) {
    StringBuilder b = new StringBuilder();
    for (JsonNode m : messages) {
      b.append("<|").append(m.path("role").asText("user")).append("|>\n")
          .append(m.path("content").asText("")).append('\n');
    }
    return b.append("<|assistant|>\n").toString();
  }

  private void stats(ObjectNode out, Runner.Result r, long started) {
    out.put("total_duration", System.nanoTime() - started)
        .put("load_duration", r.loadDuration().toNanos())
        .put("prompt_eval_count", r.promptTokens())
        .put("prompt_eval_duration", r.promptEvalDuration().toNanos())
        .put("eval_count", r.evalCount())
        .put("eval_duration", r.evalDuration().toNanos());
  }

  private ObjectNode chunk(String model) {
    return obj().put("model", model).put("created_at", clock.instant().toString());
  }

  private static ObjectNode message(String content) {
    return obj().put("role", "assistant").put("content", content);
  }

  // ---- models: blobs, create, copy, delete, pull ----

  private void blob(HttpExchange ex, String method, String digest) throws IOException {
    if (ModelStore.digestHex(digest).isEmpty()) {
      throw new ApiError(400, "invalid digest format");
    }
    if (method.equals("HEAD")) {
      ex.sendResponseHeaders(store.hasBlob(digest) ? 200 : 404, -1);
      return;
    }
    if (store.hasBlob(digest)) {
      ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ModelStore.BlobResult result;
    try (InputStream in = ex.getRequestBody()) {
      result = store.putBlob(digest, in);
    }
    switch (result) {
      case ModelStore.BlobResult.Stored s -> ex.sendResponseHeaders(201, -1);
      case ModelStore.BlobResult.Mismatch m -> throw new ApiError(400, "digest mismatch, expected \""
          + digest + "\", got \"sha256:" + m.actual() + "\"");
    }
  }

  private void create(HttpExchange ex, JsonNode req) throws IOException {
    String name = modelName(req);
    if (!ModelStore.validName(name)) {
      throw new ApiError(400, "invalid model name");
    }
    if (req.path("quantize").isTextual() && !req.path("quantize").asText().isEmpty()) {
      throw new ApiError(400, "quantization is not supported by this server");
    }
    List<ObjectNode> statuses = new ArrayList<>();
    Path source;
    JsonNode files = req.path("files");
    if (files.isObject() && !files.isEmpty()) {
      String digest = null;
      for (Map.Entry<String, JsonNode> f : files.properties()) {
        if (f.getKey().endsWith(".gguf") || files.size() == 1) {
          digest = f.getValue().asText();
        }
      }
      if (digest == null) {
        throw new ApiError(400, "no GGUF file among the files");
      }
      String blobDigest = digest;
      source = store.blob(blobDigest).orElseThrow(
          () -> new ApiError(400, "blob " + blobDigest + " not found: upload it first"));
      statuses.add(obj().put("status", "parsing GGUF"));
      statuses.add(obj().put("status", "using existing layer " + blobDigest.replace('-', ':')));
    } else if (req.path("from").isTextual()) {
      String from = req.path("from").asText();
      source = existing(from).file();
      statuses.add(obj().put("status", "using existing layer sha256:" + existing(from).digest()));
    } else {
      throw new ApiError(400, "neither 'from' or 'files' was specified");
    }
    try {
      ModelStore.Entry created = store.create(name, source);
      runners.forget(created.name());
    } catch (IOException e) {
      throw new ApiError(400, "invalid GGUF file: " + e.getMessage());
    }
    statuses.add(obj().put("status", "writing manifest"));
    statuses.add(obj().put("status", "success"));
    sendStatuses(ex, req, statuses);
  }

  private void copy(HttpExchange ex, JsonNode req) throws IOException {
    String source = req.path("source").asText("");
    String destination = req.path("destination").asText("");
    if (!ModelStore.validName(destination)) {
      throw new ApiError(400, "invalid destination name");
    }
    ModelStore.Entry e = existing(source);
    store.create(destination, e.file());
    runners.forget(ModelStore.normalize(destination));
    ex.sendResponseHeaders(200, -1);
  }

  private void delete(HttpExchange ex, JsonNode req) throws IOException, InterruptedException {
    String name = modelName(req);
    ModelStore.Entry e = existing(name);
    runners.remove(e.name());
    if (!store.delete(e.name())) {
      throw notFound(name);
    }
    ex.sendResponseHeaders(200, -1);
  }

  private void pull(HttpExchange ex, JsonNode req) throws IOException {
    String name = modelName(req);
    Optional<ModelStore.Entry> e = store.find(name);
    boolean stream = req.path("stream").asBoolean(true);
    String error = "pull model manifest: file does not exist";
    if (e.isEmpty()) {
      if (!stream) {
        throw new ApiError(500, error);
      }
      Http.Ndjson out = new Http.Ndjson(ex, true);
      out.line(obj().put("status", "pulling manifest"));
      out.finish(obj().put("error", error));
      return;
    }
    String digest = "sha256:" + e.get().digest();
    sendStatuses(ex, req, List.of(
        obj().put("status", "pulling manifest"),
        obj().put("status", "pulling " + e.get().digest().substring(0, 12))
            .put("digest", digest).put("total", e.get().size()).put("completed", e.get().size()),
        obj().put("status", "verifying sha256 digest"),
        obj().put("status", "writing manifest"),
        obj().put("status", "success")));
  }

  private void sendStatuses(HttpExchange ex, JsonNode req, List<ObjectNode> statuses)
      throws IOException {
    if (!req.path("stream").asBoolean(true)) {
      sendJson(ex, 200, statuses.getLast());
      return;
    }
    Http.Ndjson out = new Http.Ndjson(ex, true);
    for (int i = 0; i < statuses.size() - 1; i++) {
      out.line(statuses.get(i));
    }
    out.finish(statuses.getLast());
  }

  private static String modelName(JsonNode req) {
    String name = req.path("model").asText("");
    if (name.isEmpty()) {
      name = req.path("name").asText("");
    }
    if (name.isEmpty()) {
      throw new ApiError(400, "model is required");
    }
    return name;
  }

  private ModelStore.Entry existing(String name) {
    return store.find(name).orElseThrow(() -> notFound(name));
  }

  private static ApiError notFound(String name) {
    return new ApiError(404, "model '" + name + "' not found");
  }

  private Duration keepAlive(JsonNode req) {
    JsonNode k = req.path("keep_alive");
    if (k.isNumber()) {
      return KeepAlive.ofSeconds(k.asDouble());
    }
    if (k.isTextual() && !k.asText().isBlank()) {
      try {
        return KeepAlive.parse(k.asText());
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, e.getMessage());
      }
    }
    return defaultKeepAlive;
  }

  // ---- formatting ----

  /** Ollama's parameter_size style: 122.30K, 1.24B. */
  static String humanNumber(long n) {
    if (n >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2fB", n / 1e9);
    }
    if (n >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.2fM", n / 1e6);
    }
    if (n >= 1_000L) {
      return String.format(Locale.ROOT, "%.2fK", n / 1e3);
    }
    return Long.toString(n);
  }

  private static String fileType(long type) {
    return switch ((int) type) {
      case 0 -> "F32";
      case 1 -> "F16";
      case 2 -> "Q4_0";
      case 3 -> "Q4_1";
      case 7 -> "Q8_0";
      case 8 -> "Q5_0";
      case 9 -> "Q5_1";
      case 10 -> "Q2_K";
      case 12 -> "Q3_K_M";
      case 15 -> "Q4_K_M";
      case 17 -> "Q5_K_M";
      case 18 -> "Q6_K";
      case 32 -> "BF16";
      default -> "unknown";
    };
  }
}
