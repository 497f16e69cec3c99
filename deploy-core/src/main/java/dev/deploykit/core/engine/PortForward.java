package dev.deploykit.core.engine;

import java.net.InetSocketAddress;

/**
 * A container's port made reachable from this machine by its {@link DockerHost}: the local
 * engine hands out the container's own address on its network (routable from the engine's
 * machine); a remote transport forwards a local port through its connection. Whatever reaches a
 * container (health gates, db-init, health checks, the proxy's runtime API) connects to
 * {@link #address()} and closes the forward when done.
 *
 * <p>Thread safety: {@link #address()} may be used from any thread; close once.
 */
public interface PortForward extends AutoCloseable {
  /** Where to connect, on this machine, to reach the container's port. */
  InetSocketAddress address();

  /** {@code host:port} of {@link #address()}, for URLs and JDBC. */
  default String hostAndPort() {
    InetSocketAddress a = address();
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Stops forwarding; connections made through it may end. Closing twice does nothing. */
  @Override
  void close();

  /** A forward that is just an address (nothing to stop). */
  static PortForward direct(InetSocketAddress address) {
    return new PortForward() {
      @Override
      public InetSocketAddress address() {
        return address;
      }

      @Override
      public void close() {}

      @Override
      public String toString() {
        return "PortForward[" + hostAndPort() + "]";
      }
    };
  }
}
