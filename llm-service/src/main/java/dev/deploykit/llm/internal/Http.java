package dev.deploykit.llm.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reading requests and writing responses the way Ollama's server does: its JSON error bodies
 * (and the OpenAI-shaped ones under {@code /v1}), newline-delimited JSON streams and server-sent
 * events. Stateless; every method is safe for concurrent use on different exchanges.
 */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern UNEXPECTED_CHAR = Pattern.compile("Unexpected character \\('(.+?)'");

  private Http() {}

  // ---- request helpers ----

  static JsonNode body(HttpExchange ex) throws IOException {
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readAllBytes();
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      throw new ApiError(400, "missing request body");
    }
    char first = text.strip().charAt(0);
    if ("{[\"-0123456789tfn".indexOf(first) < 0) {
      throw new ApiError(400, "invalid character '" + first + "' looking for beginning of value");
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonEOFException e) {
      throw new ApiError(400, "unexpected EOF");
    } catch (JsonParseException e) {
      Matcher m = UNEXPECTED_CHAR.matcher(String.valueOf(e.getOriginalMessage()));
      throw new ApiError(400, m.find()
          ? "invalid character '" + m.group(1) + "' looking for beginning of value"
          : "invalid JSON: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "invalid JSON: " + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      throw new ApiError(400, "json: cannot unmarshal " + goKind(node) + " into Go value of type"
          + " api.Request");
    }
    return node;
  }

  static String goKind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "array";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "bool";
      default -> "value";
    };
  }

  // ---- response helpers ----

  static ObjectNode obj() {
    return JSON.createObjectNode();
  }

  static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void sendText(HttpExchange ex, int status, String text, boolean head)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (head) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void sendError(HttpExchange ex, int status, String message) throws IOException {
    if (ex.getResponseCode() >= 0) {
      return; // headers already sent (a stream): nothing more can be said
    }
    sendJson(ex, status, obj().put("error", message));
  }

  static void sendOpenAiError(HttpExchange ex, int status, String message)
      throws IOException {
    if (ex.getResponseCode() >= 0) {
      return;
    }
    String type = switch (status) {
      case 400 -> "invalid_request_error";
      case 404 -> "not_found_error";
      default -> "api_error";
    };
    ObjectNode error = obj().put("message", message).put("type", type);
    error.putNull("param");
    error.putNull("code");
    sendJson(ex, status, obj().set("error", error));
  }

  /** The client closed the connection while a response streamed. */
  static final class ClientGone extends UncheckedIOException {
    static final long serialVersionUID = 1L;

    ClientGone(IOException cause) {
      super(cause);
    }
  }

  /**
   * Newline-delimited JSON, or one JSON document when not streaming. Headers go out with the first
   * line, so an error found before any output still gets its own status.
   */
  static final class Ndjson {
    private final HttpExchange ex;
    private final boolean stream;
    private @Nullable OutputStream out;

    Ndjson(HttpExchange ex, boolean stream) {
      this.ex = ex;
      this.stream = stream;
    }

    void line(JsonNode node) {
      if (!stream) {
        return;
      }
      try {
        if (out == null) {
          ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
          ex.sendResponseHeaders(200, 0);
          out = ex.getResponseBody();
        }
        out.write(JSON.writeValueAsBytes(node));
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new ClientGone(e);
      }
    }

    void finish(JsonNode last) throws IOException {
      if (!stream) {
        sendJson(ex, 200, last);
        return;
      }
      line(last);
      out.close();
    }
  }

  /** Server-sent events for the OpenAI-compatible stream. */
  static final class Sse {
    private final HttpExchange ex;
    private @Nullable OutputStream out;

    Sse(HttpExchange ex) {
      this.ex = ex;
    }

    void event(JsonNode node) {
      try {
        write(("data: " + JSON.writeValueAsString(node) + "\n\n").getBytes(StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    void done() throws IOException {
      write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.close();
    }

    void write(byte[] bytes) {
      try {
        if (out == null) {
          ex.getResponseHeaders().set("Content-Type", "text/event-stream");
          ex.getResponseHeaders().set("Cache-Control", "no-cache");
          ex.sendResponseHeaders(200, 0);
          out = ex.getResponseBody();
        }
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        throw new ClientGone(e);
      }
    }
  }

}
