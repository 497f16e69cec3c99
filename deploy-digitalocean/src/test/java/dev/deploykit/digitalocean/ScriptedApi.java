package dev.deploykit.digitalocean;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A DigitalOcean stand-in for the client's unit tests: answers the queued responses in order
 * (each matched to a method and path prefix) and records every request it got.
 */
final class ScriptedApi implements AutoCloseable {
  record Reply(String method, String path, int status, Map<String, String> headers, String body) {}

  record Got(String method, String path, String query, String authorization, String body) {}

  private final HttpServer server;
  private final Deque<Reply> replies = new ArrayDeque<>();
  final List<Got> got = new ArrayList<>();

  ScriptedApi() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      synchronized (this) {
        got.add(new Got(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"), body));
      }
      Reply reply;
      synchronized (this) {
        reply = replies.poll();
      }
      if (reply == null || !reply.method().equals(exchange.getRequestMethod()) || !path.startsWith(reply.path())) {
        reply = new Reply("", "", 599, Map.of(), "{\"id\":\"unexpected\",\"message\":\"unexpected " + exchange.getRequestMethod()
            + " " + path + " (expected " + (reply == null ? "nothing" : reply.method() + " " + reply.path()) + ")\"}");
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
      exchange.getResponseHeaders().add("ratelimit-limit", "5000");
      reply.headers().forEach(exchange.getResponseHeaders()::add);
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      if (reply.status() == 204) {
        exchange.sendResponseHeaders(204, -1);
      } else {
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
  }

  synchronized ScriptedApi reply(String method, String path, int status, String body) {
    return reply(method, path, status, Map.of(), body);
  }

  synchronized ScriptedApi reply(String method, String path, int status, Map<String, String> headers, String body) {
    replies.add(new Reply(method, path, status, headers, body));
    return this;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  synchronized int pending() {
    return replies.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
