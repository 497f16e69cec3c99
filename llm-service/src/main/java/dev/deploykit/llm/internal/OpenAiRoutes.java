package dev.deploykit.llm.internal;

import static dev.deploykit.llm.internal.Http.obj;
import static dev.deploykit.llm.internal.Http.sendJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI-compatible endpoints Ollama offers under {@code /v1} ({@code POST /v1/chat/completions},
 * plain or as server-sent events, and {@code GET /v1/models}), which RunPod's Ollama workers
 * proxy to. Safe for concurrent use.
 */
final class OpenAiRoutes {
  private final ModelStore store;
  private final Runners runners;
  private final Duration defaultKeepAlive;
  private final Clock clock;
  private final AtomicLong completionIds = new AtomicLong();

  OpenAiRoutes(ModelStore store, Runners runners, Duration defaultKeepAlive, Clock clock) {
    this.store = store;
    this.runners = runners;
    this.defaultKeepAlive = defaultKeepAlive;
    this.clock = clock;
  }
  void chat(HttpExchange ex, JsonNode req) throws IOException, InterruptedException {
    String name = req.path("model").asText("");
    if (name.isEmpty()) {
      throw new ApiError(400, "model is required");
    }
    JsonNode messages = req.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new ApiError(400, "[] is too short - 'messages'");
    }
    ModelStore.Entry e = store.find(name).orElseThrow(() -> new ApiError(404,
        "model '" + name + "' not found"));
    ObjectNode options = obj();
    JsonNode max = req.has("max_completion_tokens") ? req.path("max_completion_tokens")
        : req.path("max_tokens");
    if (max.isNumber()) {
      options.put("num_predict", max.asInt());
    }
    for (String f : List.of("temperature", "seed", "top_p")) {
      if (req.path(f).isNumber()) {
        options.set(f, req.path(f));
      }
    }
    if (req.path("stop").isTextual()) {
      options.putArray("stop").add(req.path("stop").asText());
    } else if (req.path("stop").isArray()) {
      options.set("stop", req.path("stop"));
    }
    if (!options.has("temperature")) {
      options.put("temperature", 1.0); // OpenAI's default
    }
    Runner runner = runners.of(e);
    Runner.Request request = OllamaApi.request(req, OllamaApi.renderChat(messages), options);
    String id = "chatcmpl-" + completionIds.incrementAndGet();
    long created = clock.instant().getEpochSecond();
    boolean stream = req.path("stream").asBoolean(false);
    if (!stream) {
      Runner.Result r = OllamaApi.runGenerate(runner, request, defaultKeepAlive, token -> { });
      ObjectNode out = completion(id, "chat.completion", created, e.name());
      ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
      choice.set("message", obj().put("role", "assistant").put("content", r.text()));
      choice.put("finish_reason", r.doneReason());
      out.set("usage", usage(r));
      sendJson(ex, 200, out);
      return;
    }
    Http.Sse sse = new Http.Sse(ex);
    Runner.Result r = OllamaApi.runGenerate(runner, request, defaultKeepAlive, token -> {
      ObjectNode c = completion(id, "chat.completion.chunk", created, e.name());
      ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
      choice.set("delta", obj().put("role", "assistant").put("content", token));
      choice.putNull("finish_reason");
      sse.event(c);
    });
    ObjectNode last = completion(id, "chat.completion.chunk", created, e.name());
    ObjectNode choice = last.putArray("choices").addObject().put("index", 0);
    choice.set("delta", obj().put("role", "assistant").put("content", ""));
    choice.put("finish_reason", r.doneReason());
    sse.event(last);
    if (req.path("stream_options").path("include_usage").asBoolean(false)) {
      ObjectNode u = completion(id, "chat.completion.chunk", created, e.name());
      u.putArray("choices");
      u.set("usage", usage(r));
      sse.event(u);
    }
    sse.done();
  }

  void models(HttpExchange ex) throws IOException {
    ObjectNode out = obj().put("object", "list");
    ArrayNode data = out.putArray("data");
    for (ModelStore.Entry e : store.list()) {
      data.addObject().put("id", e.name()).put("object", "model")
          .put("created", e.modifiedAt().getEpochSecond()).put("owned_by", "library");
    }
    sendJson(ex, 200, out);
  }

  private static ObjectNode completion(String id, String object, long created, String model) {
    return obj().put("id", id).put("object", object).put("created", created).put("model", model)
        .put("system_fingerprint", "fp_ollama");
  }

  private static ObjectNode usage(Runner.Result r) {
    return obj().put("prompt_tokens", r.promptTokens()).put("completion_tokens", r.evalCount())
        .put("total_tokens", r.promptTokens() + r.evalCount());
  }
}
