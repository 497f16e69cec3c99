package dev.deploykit.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for a Slack incoming webhook, following its published contract: POST JSON with
 * a {@code text} field to {@code /services/T.../B.../<secret>}; {@code 200 ok} when accepted,
 * {@code 400 invalid_payload} for a body that is not such JSON, {@code 400 no_text} without text,
 * {@code 404 no_service} for an unknown path, {@code 405} for other methods. Listens on loopback.
 */
public final class SlackWebhookFake implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final String path;
  private final List<String> texts = new CopyOnWriteArrayList<>();

  public SlackWebhookFake(String secret) throws IOException {
    path = "/services/T0DEPLOYKIT/B0DEPLOYKIT/" + secret;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", exchange -> {
      try (exchange) {
        int status;
        String body;
        if (!exchange.getRequestURI().getPath().equals(path)) {
          status = 404;
          body = "no_service";
        } else if (!exchange.getRequestMethod().equals("POST")) {
          status = 405;
          body = "invalid_method";
        } else {
          JsonNode json = null;
          try {
            json = JSON.readTree(exchange.getRequestBody().readAllBytes());
          } catch (IOException e) {
            // Falls through to invalid_payload.
          }
          if (json == null || !json.isObject()) {
            status = 400;
            body = "invalid_payload";
          } else if (!json.hasNonNull("text") || json.get("text").asText().isBlank()) {
            status = 400;
            body = "no_text";
          } else {
            texts.add(json.get("text").asText());
            status = 200;
            body = "ok";
          }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    });
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** The texts of the accepted messages, in order. */
  public List<String> texts() {
    return List.copyOf(texts);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
