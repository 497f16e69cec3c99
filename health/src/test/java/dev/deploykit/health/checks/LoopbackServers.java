package dev.deploykit.health.checks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Real servers on 127.0.0.1 that behave well or badly, for the checks' ITs. */
final class LoopbackServers {
  private LoopbackServers() {}

  /** A JDK HttpServer on an ephemeral loopback port; counts the TCP connections it accepts. */
  static final class Http implements AutoCloseable {
    final HttpServer server;
    final AtomicInteger connections = new AtomicInteger();

    Http() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
    }

    Http route(String path, HttpHandler handler) {
      server.createContext(path, exchange -> {
        // The JDK server keeps the connection; count first requests per remote port.
        if (exchange.getAttribute("counted") == null) {
          exchange.setAttribute("counted", Boolean.TRUE);
        }
        handler.handle(exchange);
      });
      return this;
    }

    Http json(String path, int status, String body) {
      return route(path, ex -> respond(ex, status, "application/json", body));
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (InputStream in = ex.getRequestBody()) {
      in.readAllBytes();
    }
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** What a raw server does with each accepted socket. */
  enum Behaviour {
    /** Accepts and never answers. */
    SILENT,
    /** Answers headers promising 1000 bytes, sends 10, then stalls. */
    NEVER_ENDING,
    /** Answers plain-text HTTP to anything (a TLS client fails its handshake). */
    PLAIN_TEXT
  }

  /** A raw ServerSocket on loopback with a {@link Behaviour}. */
  static final class Raw implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    Raw(Behaviour behaviour) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(() -> {
        while (!socket.isClosed()) {
          try {
            Socket s = socket.accept();
            accepted.add(s);
            Thread.ofVirtual().start(() -> serve(s, behaviour));
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    private static void serve(Socket s, Behaviour behaviour) {
      try {
        switch (behaviour) {
          case SILENT -> { }
          case NEVER_ENDING -> {
            s.getInputStream().read(new byte[4096]);
            s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n"
                + "Content-Type: text/plain\r\n\r\n0123456789").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
          }
          case PLAIN_TEXT -> {
            s.getInputStream().read(new byte[4096]);
            s.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
          }
        }
      } catch (IOException ignored) {
        // The client went away.
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    URI uri(String scheme, String path) {
      return URI.create(scheme + "://127.0.0.1:" + port() + path);
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  /** A loopback port with nothing listening (bound, then released). */
  static int refusedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
