package dev.deploykit.core.internal.ssh;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.PortForward;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

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
  private final AtomicBoolean closed = new AtomicBoolean();

  private TcpForward(InetSocketAddress address, String target, LocalListener listener) {
    this.address = address;
    this.target = target;
    this.listener = listener;
  }

  /**
   * Listens on a free loopback port and forwards to {@code target} through {@code opener}.
   *
   * @throws DeployException when no local port can be bound
   */
  static TcpForward open(String target, LocalListener.Opener opener) {
    try {
      ServerSocketChannel server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
      LocalListener listener = new LocalListener("deploykit-ssh forward " + target, server, opener,
          System::nanoTime, link -> {}).start();
      return new TcpForward(bound, target, listener);
    } catch (IOException e) {
      throw new DeployException("Cannot listen on a loopback port to forward " + target + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  /** Connections forwarded so far. */
  int connections() {
    return listener.accepted();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      listener.close();
    }
  }

  @Override
  public String toString() {
    return "PortForward[" + hostAndPort() + " -> " + target + " over SSH]";
  }
}
