package dev.deploykit.core.internal.ssh;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.PortForward;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A container's port on the remote host, made reachable on this machine: a listener on
 * {@code 127.0.0.1} (an ephemeral port) whose every connection becomes one {@code direct-tcpip}
 * channel to the container's address on the host. Loopback TCP, not a private Unix socket,
 * because what connects (JDBC, HTTP probes, the proxy's runtime API) speaks TCP. No deadline is
 * put on these connections (a JDBC pool may idle); they end with the forward or the connection.
 *
 * <p>Thread safety: safe for concurrent use; close once (more closes do nothing).
 */
final class TcpForward implements PortForward {
  private final InetSocketAddress address;
  private final String target;
  private final LocalListener listener;
  private final Consumer<TcpForward> onClosed;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TcpForward(InetSocketAddress address, String target, LocalListener listener, Consumer<TcpForward> onClosed) {
    this.address = address;
    this.target = target;
    this.listener = listener;
    this.onClosed = onClosed;
  }

  /**
   * Listens on a free loopback port and forwards to {@code target} through {@code opener};
   * {@code onClosed} hears of its closing.
   *
   * @throws DeployException when no local port can be bound
   */
  static TcpForward open(String target, LocalListener.Opener opener, Consumer<TcpForward> onClosed) {
    try {
      ServerSocketChannel server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
      LocalListener listener = new LocalListener("deploykit-ssh forward " + target, server, opener,
          System::nanoTime, link -> {}).start();
      return new TcpForward(bound, target, listener, onClosed);
    } catch (IOException e) {
      throw new DeployException("Cannot listen on a loopback port to forward " + target + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      listener.close();
      onClosed.accept(this);
    }
  }

  @Override
  public String toString() {
    return "PortForward[" + hostAndPort() + " -> " + target + " over SSH]";
  }
}
