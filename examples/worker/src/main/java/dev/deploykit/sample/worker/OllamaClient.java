package dev.deploykit.sample.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Asks an Ollama-API server to generate: {@code POST /api/generate} with {@code stream: false}.
 * Every call is bounded: connecting by 5 s, the whole generation by the configured timeout.
 *
 * <p>Thread-safe.
 */
final class OllamaClient {
  /** The answer and the model that gave it. */
  record Generation(String response, String model) {}

  private final HttpClient http;
  private final URI generate;
  private final String model;
  private final int numPredict;
  private final Duration timeout;

  OllamaClient(URI baseUrl, String model, int numPredict, Duration timeout) {
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    this.generate = URI.create(baseUrl + "/api/generate");
    this.model = model;
    this.numPredict = numPredict;
    this.timeout = timeout;
  }

  /**
   * Generates an answer to {@code prompt}.
   *
   * @throws IOException when the server cannot be reached, does not answer in time, or answers
   *     with an error
   */
  Generation generate(String prompt) throws IOException, InterruptedException {
    String body = "{\"model\":" + Json.quote(model) + ",\"prompt\":" + Json.quote(prompt)
        + ",\"stream\":false,\"options\":{\"num_predict\":" + numPredict + "}}";
    HttpRequest request = HttpRequest.newBuilder(generate)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    Object parsed;
    try {
      parsed = Json.parse(response.body());
    } catch (IllegalArgumentException e) {
      throw new IOException("POST " + generate + " answered " + response.statusCode()
          + " with no JSON: " + abbreviate(response.body()), e);
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IOException("POST " + generate + " answered " + response.statusCode()
          + " with no JSON object: " + abbreviate(response.body()));
    }
    if (response.statusCode() != 200 || map.get("error") != null) {
      throw new IOException("POST " + generate + " answered " + response.statusCode() + ": "
          + (map.get("error") != null ? map.get("error") : abbreviate(response.body())));
    }
    if (!(map.get("response") instanceof String text)) {
      throw new IOException("POST " + generate + " answered without a response field: "
          + abbreviate(response.body()));
    }
    return new Generation(text, map.get("model") instanceof String m ? m : model);
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
