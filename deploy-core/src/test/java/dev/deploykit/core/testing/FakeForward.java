package dev.deploykit.core.testing;

import dev.deploykit.core.engine.PortForward;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.function.Consumer;

/**
 * A forward handed out by {@link FakeDockerHost#forward}: a real server socket on
 * {@code 127.0.0.1:<ephemeral>} whose connections are served in-process, one virtual thread
 * each, by what the container would answer (its health endpoint, HAProxy's Runtime API, or
 * nothing at all when it does not listen on the port). Closing it stops accepting and tells the
 * host, which tracks the forwards left open.
 *
 * <p>Thread safe.
 */
final class FakeForward implements PortForward {
  /** Serves one connection; the socket is closed after it returns. */
  @FunctionalInterface
  interface Connection {
    void serve(InputStream in, OutputStream out) throws IOException;
  }

  private final String description;
  private final ServerSocket server;
  private final Consumer<FakeForward> onClose;
  private volatile boolean closed;

  private FakeForward(String description, ServerSocket server, Consumer<FakeForward> onClose) {
    this.description = description;
    this.server = server;
    this.onClose = onClose;
  }

  static FakeForward open(String description, Connection connection, Consumer<FakeForward> onClose) {
    ServerSocket server;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a loopback port for " + description, e);
    }
    FakeForward forward = new FakeForward(description, server, onClose);
    Thread.ofVirtual().name("fake-forward-" + server.getLocalPort()).start(() -> forward.accept(connection));
    return forward;
  }

  private void accept(Connection connection) {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread.ofVirtual().start(() -> {
        try (socket) {
          connection.serve(socket.getInputStream(), socket.getOutputStream());
        } catch (SocketException e) {
          // The client went away.
        } catch (IOException e) {
          // Same: nothing to answer to.
        }
      });
    }
  }

  @Override
  public InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  /** What it forwards to: {@code container:port}. */
  String description() {
    return description;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // Closing a listening socket has nothing left to lose.
    }
    onClose.accept(this);
  }

  @Override
  public String toString() {
    return "FakeForward[" + description + " at " + hostAndPort() + "]";
  }
}
