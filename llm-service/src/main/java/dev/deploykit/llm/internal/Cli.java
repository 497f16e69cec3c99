package dev.deploykit.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The client side of the {@code ollama} command in the image ({@code ollama list}, {@code ollama
 * ps}, {@code ollama pull NAME}), talking to the running server the way Ollama's CLI does, so
 * that {@code container.execInContainer("ollama", "pull", ...)} behaves as with Ollama's image.
 */
final class Cli {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final PrintStream out;
  private final PrintStream err;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Cli(String ollamaHost, PrintStream out, PrintStream err) {
    String hostPort = ollamaHost.replaceFirst("^https?://", "").replace("0.0.0.0", "127.0.0.1");
    this.base = URI.create("http://" + hostPort);
    this.out = out;
    this.err = err;
  }

  /** {@code ollama list}: the models the server holds. Returns the exit code. */
  int list() throws IOException, InterruptedException {
    JsonNode tags = JSON.readTree(get("/api/tags"));
    out.printf(Locale.ROOT, "%-30s %-14s %-10s %s%n", "NAME", "ID", "SIZE", "MODIFIED");
    for (JsonNode m : tags.path("models")) {
      out.printf(Locale.ROOT, "%-30s %-14s %-10s %s%n", m.path("name").asText(),
          m.path("digest").asText().substring(0, 12), size(m.path("size").asLong()),
          m.path("modified_at").asText());
    }
    return 0;
  }

  /** {@code ollama ps}: the models loaded now. */
  int ps() throws IOException, InterruptedException {
    JsonNode ps = JSON.readTree(get("/api/ps"));
    out.printf(Locale.ROOT, "%-30s %-14s %-10s %-10s %s%n", "NAME", "ID", "SIZE", "CONTEXT", "UNTIL");
    for (JsonNode m : ps.path("models")) {
      out.printf(Locale.ROOT, "%-30s %-14s %-10s %-10d %s%n", m.path("name").asText(),
          m.path("digest").asText().substring(0, 12), size(m.path("size").asLong()),
          m.path("context_length").asInt(), m.path("expires_at").asText());
    }
    return 0;
  }

  /** {@code ollama pull NAME}: Ollama's status lines, or its error and exit code 1. */
  int pull(String name) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(base.resolve("/api/pull"))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("model", name).toString()))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        JsonNode status = JSON.readTree(line);
        if (status.has("error")) {
          err.println("Error: " + status.path("error").asText());
          return 1;
        }
        out.println(status.path("status").asText());
      }
    }
    return response.statusCode() == 200 ? 0 : 1;
  }

  private String get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String size(long bytes) {
    if (bytes >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
    if (bytes >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
    return String.format(Locale.ROOT, "%d KB", bytes / 1000);
  }
}
