package dev.deploykit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that hands the server's bytes to the client a fixed time after they
 * arrive, so every request-response round trip through it takes that much longer: a server that
 * is {@code delay} away. Bytes from the client pass at once; order is kept. Platform threads
 * (three per connection), so the proxy does not share carriers with the virtual threads under
 * test.
 *
 * <pre>{@code
 * try (DelayProxy slowDb = DelayProxy.start(new InetSocketAddress("127.0.0.1", pg.getPort()),
 *     Duration.ofMillis(2))) {
 *   String url = "jdbc:postgresql://127.0.0.1:" + slowDb.port() + "/postgres";
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} closes the listening socket and every proxied connection.
 */
public final class DelayProxy implements AutoCloseable {
  private record Chunk(byte[] bytes, long dueNanos) {}

  private static final Chunk END = new Chunk(new byte[0], 0);

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final long delayNanos;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private DelayProxy(ServerSocket server, InetSocketAddress target, Duration delay) {
    this.server = server;
    this.target = target;
    this.delayNanos = delay.toNanos();
  }

  /** Listens on an ephemeral loopback port and forwards to {@code target}. */
  public static DelayProxy start(InetSocketAddress target, Duration delay) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    DelayProxy proxy = new DelayProxy(server, target, delay);
    daemon("delay-proxy-accept", proxy::acceptLoop);
    return proxy;
  }

  /** The port to connect to instead of the target's. */
  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(target, 2_000);
        for (Socket s : new Socket[] {client, upstream}) {
          s.setTcpNoDelay(true);
          open.add(s);
        }
        daemon("delay-proxy-up", () -> copy(client, upstream));
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        daemon("delay-proxy-read", () -> readDelayed(upstream, queue, client));
        daemon("delay-proxy-write", () -> writeWhenDue(queue, client, upstream));
      } catch (IOException e) {
        // Closed, or the target refused one connection: keep serving until closed.
      }
    }
  }

  private void copy(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // Either side went away.
    } finally {
      closeBoth(from, to);
    }
  }

  private void readDelayed(Socket from, BlockingQueue<Chunk> queue, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        queue.add(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + delayNanos));
      }
    } catch (IOException e) {
      // The server went away.
    } finally {
      queue.add(END);
    }
  }

  private void writeWhenDue(BlockingQueue<Chunk> queue, Socket to, Socket from) {
    try (OutputStream out = to.getOutputStream()) {
      for (Chunk c = queue.take(); c != END; c = queue.take()) {
        for (long wait; (wait = c.dueNanos() - System.nanoTime()) > 0; ) {
          LockSupport.parkNanos(wait);
        }
        out.write(c.bytes());
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The client went away, or the proxy is closing.
    } finally {
      closeBoth(from, to);
    }
  }

  private void closeBoth(Socket a, Socket b) {
    for (Socket s : new Socket[] {a, b}) {
      open.remove(s);
      try {
        s.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread.ofPlatform().daemon().name(name).start(task);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }
}
