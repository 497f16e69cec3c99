package dev.deploykit.runpod.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Forwards one job's {@code input} to the local Ollama, in the three forms the RunPod Ollama
 * workers accept: {@code {"prompt": ...}} to {@code /api/generate}, {@code {"messages": [...]}}
 * to {@code /api/chat}, and RunPod's OpenAI passthrough {@code {"openai_route":
 * "/v1/chat/completions", "openai_input": {...}}} (also {@code /v1/models}). {@code stream: true}
 * (in the input, or in {@code openai_input}) hands each chunk to the caller as it comes: an
 * Ollama NDJSON object, or for the OpenAI route the SSE text of one event.
 */
final class OllamaForwarder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI ollama;
  private final String model;
  private final Duration timeout;

  /** A job's input the worker cannot serve: the job fails with this message. */
  static final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
      super(message);
    }
  }

  /** The aborted call of a cancelled job. */
  static final class Cancelled extends Exception {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super("cancelled");
    }
  }

  /** A call in flight that another thread may abort (the stop channel, SIGTERM's deadline). */
  static final class Call {
    private volatile boolean cancelled;
    private volatile InputStream body;
    private volatile java.util.concurrent.CompletableFuture<?> pending;

    void cancel() {
      cancelled = true;
      java.util.concurrent.CompletableFuture<?> p = pending;
      if (p != null) {
        p.cancel(true);
      }
      InputStream b = body;
      if (b != null) {
        try {
          b.close();
        } catch (IOException e) {
          // Closing is all that is wanted.
        }
      }
    }

    boolean cancelled() {
      return cancelled;
    }
  }

  OllamaForwarder(HttpClient http, URI ollama, String model, Duration timeout) {
    this.http = http;
    this.ollama = ollama;
    this.model = model;
    this.timeout = timeout;
  }

  /**
   * Serves one input: returns the job's output (for a stream, the chunks as one array, which
   * is what runpod-python's {@code return_aggregate_stream} gives).
   */
  JsonNode serve(JsonNode input, Consumer<JsonNode> chunks, Call call)
      throws BadInput, Cancelled, IOException, InterruptedException {
    if (!input.isObject()) {
      throw new BadInput("input must be a JSON object with prompt, messages or openai_route");
    }
    if (input.hasNonNull("openai_route")) {
      return openAi(input.path("openai_route").asText(), input.path("openai_input"), chunks, call);
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("model", input.path("model").asText(model));
    boolean stream = input.path("stream").asBoolean(false);
    body.put("stream", stream);
    if (input.has("options")) {
      body.set("options", input.get("options"));
    }
    String path;
    if (input.hasNonNull("messages")) {
      if (!input.get("messages").isArray()) {
        throw new BadInput("messages must be an array of {role, content}");
      }
      path = "/api/chat";
      body.set("messages", input.get("messages"));
    } else if (input.hasNonNull("prompt")) {
      path = "/api/generate";
      body.put("prompt", input.get("prompt").asText());
      if (input.has("system")) {
        body.set("system", input.get("system"));
      }
    } else {
      throw new BadInput("input has none of prompt, messages or openai_route (keys: "
          + String.join(", ", (Iterable<String>) input::fieldNames) + ")");
    }
    return post(path, body, stream, false, chunks, call);
  }

  private JsonNode openAi(String route, JsonNode openAiInput, Consumer<JsonNode> chunks, Call call)
      throws BadInput, Cancelled, IOException, InterruptedException {
    switch (route) {
      case "/v1/models" -> {
        return get("/v1/models", call);
      }
      case "/v1/chat/completions" -> {
        if (!openAiInput.isObject()) {
          throw new BadInput("openai_input must be the chat completion request object");
        }
        ObjectNode body = ((ObjectNode) openAiInput).deepCopy();
        if (!body.hasNonNull("model")) {
          body.put("model", model);
        }
        return post(route, body, body.path("stream").asBoolean(false), true, chunks, call);
      }
      default -> throw new BadInput("openai_route " + route
          + " is not served: use /v1/chat/completions or /v1/models");
    }
  }

  private JsonNode get(String path, Call call) throws Cancelled, IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(ollama.resolve(path)).timeout(timeout).GET().build();
    return whole(send(request, call), path);
  }

  private JsonNode post(String path, JsonNode body, boolean stream, boolean sse,
      Consumer<JsonNode> chunks, Call call) throws Cancelled, IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(ollama.resolve(path)).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    HttpResponse<InputStream> answer = send(request, call);
    if (!stream || answer.statusCode() != 200) {
      return whole(answer, path);
    }
    ArrayNode all = JSON.createArrayNode();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(),
        StandardCharsets.UTF_8))) {
      String line;
      StringBuilder event = new StringBuilder();
      while ((line = lines.readLine()) != null) {
        if (sse) {
          // One SSE event per chunk, as RunPod relays them ("data: {...}\n\n", "data: [DONE]").
          if (line.isEmpty()) {
            if (!event.isEmpty()) {
              JsonNode chunk = JSON.getNodeFactory().textNode(event.toString() + "\n");
              all.add(chunk);
              chunks.accept(chunk);
              event.setLength(0);
            }
          } else {
            event.append(line).append('\n');
          }
        } else if (!line.isBlank()) {
          JsonNode chunk = JSON.readTree(line);
          if (chunk.hasNonNull("error")) {
            throw new IOException("Ollama: " + chunk.get("error").asText());
          }
          all.add(chunk);
          chunks.accept(chunk);
        }
      }
      if (sse && !event.isEmpty()) {
        JsonNode chunk = JSON.getNodeFactory().textNode(event.toString() + "\n");
        all.add(chunk);
        chunks.accept(chunk);
      }
    } catch (IOException e) {
      if (call.cancelled()) {
        throw new Cancelled();
      }
      throw e;
    }
    return all;
  }

  private HttpResponse<InputStream> send(HttpRequest request, Call call)
      throws Cancelled, IOException, InterruptedException {
    if (call.cancelled()) {
      throw new Cancelled();
    }
    // Async, so that a cancel from the stop channel aborts a call still waiting for its headers.
    java.util.concurrent.CompletableFuture<HttpResponse<InputStream>> future =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    call.pending = future;
    HttpResponse<InputStream> answer;
    try {
      answer = future.get();
    } catch (java.util.concurrent.CancellationException e) {
      throw new Cancelled();
    } catch (java.util.concurrent.ExecutionException e) {
      if (call.cancelled()) {
        throw new Cancelled();
      }
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } finally {
      call.pending = null;
    }
    call.body = answer.body();
    if (call.cancelled()) {
      call.cancel();
      throw new Cancelled();
    }
    return answer;
  }

  private JsonNode whole(HttpResponse<InputStream> answer, String path)
      throws Cancelled, IOException {
    byte[] bytes;
    try (InputStream in = answer.body()) {
      bytes = in.readAllBytes();
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (answer.statusCode() != 200) {
      String message = text;
      try {
        JsonNode error = JSON.readTree(text);
        if (error.hasNonNull("error")) {
          message = error.get("error").isTextual() ? error.get("error").asText()
              : error.get("error").path("message").asText(text);
        }
      } catch (IOException e) {
        // Not JSON: the text as it came.
      }
      throw new IOException("Ollama answered " + path + " with HTTP " + answer.statusCode() + ": "
          + message.strip());
    }
    return JSON.readTree(text);
  }
}
