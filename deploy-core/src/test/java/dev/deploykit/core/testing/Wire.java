package dev.deploykit.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The two wire protocols a {@link FakeForward} speaks: HTTP/1.1 for a container's endpoints (one
 * request per connection, {@code Connection: close}) and HAProxy's Runtime API (one command
 * line, one answer, then the connection ends). An absent answer closes the connection without a
 * byte, as a process that died would.
 */
final class Wire {
  private Wire() {}

  /** An HTTP answer. */
  record Answer(int status, String body) {}

  static void http(InputStream in, OutputStream out, Function<String, @Nullable Answer> answers)
      throws IOException {
    String requestLine = line(in);
    if (requestLine == null) {
      return;
    }
    String header;
    do {
      header = line(in);
    } while (header != null && !header.isEmpty());
    String[] parts = requestLine.split(" ");
    String target = parts.length > 1 ? parts[1] : "/";
    int query = target.indexOf('?');
    Answer answer = answers.apply(query < 0 ? target : target.substring(0, query));
    if (answer == null) {
      return;
    }
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + answer.status() + " " + reason(answer.status()) + "\r\n"
        + "Content-Type: text/plain\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  static void runtimeApi(InputStream in, OutputStream out, Function<String, @Nullable String> commands)
      throws IOException {
    String command = line(in);
    if (command == null) {
      return;
    }
    String answer = commands.apply(command);
    if (answer != null) {
      out.write(answer.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  /** One line without its line end, or null at the end of the stream. */
  private static @Nullable String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 404 -> "Not Found";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }
}
