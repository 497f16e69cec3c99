package dev.deploykit.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A WAN on loopback, for a kernel without netem: a TCP relay on 127.0.0.1 that passes every
 * byte on to {@code target} after {@code oneWay}, in both directions (a round trip costs twice
 * that), keeping order and never throttling. Closing it ends the relay and its connections.
 *
 * <p>Thread safety: safe for concurrent use; platform threads, four per connection.
 */
public final class DelayRelay implements AutoCloseable {
  private record Chunk(long due, byte[] bytes) {}

  private static final Chunk END = new Chunk(0, new byte[0]);

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final long delayNanos;

  private DelayRelay(ServerSocket server, InetSocketAddress target, Duration oneWay) {
    this.server = server;
    this.target = target;
    this.delayNanos = oneWay.toNanos();
  }

  /** Starts relaying a free loopback port to {@code target}, each way delayed by {@code oneWay}. */
  public static DelayRelay start(InetSocketAddress target, Duration oneWay) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    DelayRelay relay = new DelayRelay(server, target, oneWay);
    Thread.ofPlatform().daemon().name("delay relay " + server.getLocalPort()).start(relay::accept);
    return relay;
  }

  /** The relay's port on 127.0.0.1. */
  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(target, 5_000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        // Closed, or the target refused this connection: the client sees its socket close.
      }
    }
  }

  /** One direction: a reader stamping each chunk, a writer sending it when it is due. */
  private void pipe(Socket from, Socket to) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().start(() -> {
      byte[] buffer = new byte[32 * 1024];
      try (InputStream in = from.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
        }
      } catch (IOException e) {
        // The connection ended.
      }
      queue.add(END);
    });
    Thread.ofPlatform().daemon().start(() -> {
      try (OutputStream out = to.getOutputStream()) {
        for (Chunk c = queue.take(); c != END; c = queue.take()) {
          long wait = c.due() - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          out.write(c.bytes());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // The connection ended.
      } finally {
        close(from);
        close(to);
      }
    });
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is all that was asked.
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
