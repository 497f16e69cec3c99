package dev.deploykit.health.checks;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.internal.Failures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * Checks that a TCP port accepts a connection, for a service that speaks no protocol a check
 * here knows. Each run opens a new connection and closes it at once.
 *
 * <pre>{@code
 * HealthCheck cache = TcpCheck.of(new InetSocketAddress("127.0.0.1", 6379));
 * }</pre>
 *
 * <p>UP when the connection is accepted; DOWN, with a one-line reason, when it is refused, the
 * host cannot be resolved or reached, or no answer comes by the deadline. Thread-safe.
 */
public final class TcpCheck implements HealthCheck {
  private final InetSocketAddress address;
  private final String where;

  private TcpCheck(InetSocketAddress address) {
    this.address = Objects.requireNonNull(address, "address");
    this.where = address.getHostString() + ":" + address.getPort();
  }

  /** A check of {@code address}. */
  public static TcpCheck of(InetSocketAddress address) {
    return new TcpCheck(address);
  }

  @Override
  public HealthResult check(CheckContext context) throws InterruptedException {
    Duration left = context.deadline().remaining();
    if (left.isNegative() || left.isZero()) {
      return HealthResult.down("no time left to connect to " + where);
    }
    try (Socket socket = new Socket()) {
      context.onCancel(socket);
      socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, left.toMillis())));
      return HealthResult.up(where + " accepts connections");
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted() || context.isCancelled()) {
        throw new InterruptedException("cancelled while connecting to " + where);
      }
      return HealthResult.down(Failures.network(where, e));
    }
  }

  @Override
  public String toString() {
    return "TcpCheck[" + where + "]";
  }
}
