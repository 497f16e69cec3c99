package dev.deploykit.core.internal.ssh;

import dev.deploykit.core.DeployException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.DisconnectListener;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * Opens and authenticates one SSH connection within the connect timeout, which bounds TCP
 * connect, handshake, authentication and the first channel to the engine together: a
 * {@link Watchdog} closes the socket when it passes (sshj reads the server's identification
 * with no timeout at all). Every failure becomes one {@link DeployException} line.
 *
 * <p>Thread safety: stateless.
 */
final class SshConnector {
  static final String PHASE_CONNECT = "TCP connect";
  static final String PHASE_HANDSHAKE = "SSH handshake";
  static final String PHASE_AUTHENTICATION = "authentication";
  static final String PHASE_ENGINE = "opening the engine channel";

  private SshConnector() {}

  /** What runs once authenticated, within the connect deadline (the engine probe, or nothing). */
  interface Proof {
    /** Proves what the connection is for; a {@link DeployException} it throws is passed on. */
    void prove(SSHClient ssh) throws IOException;
  }

  /**
   * Connects, checks the host key, authenticates and runs {@code proof} (which proves, for an
   * engine connection, that the engine's socket can be reached); {@code onDisconnect} hears of
   * the connection's end, whatever ends it.
   *
   * @throws DeployException with reason HOST_UNREACHABLE, HOST_KEY_REJECTED,
   *     AUTHENTICATION_FAILED or ENGINE_UNAVAILABLE
   */
  static SSHClient connect(SshSettings settings, Config config, SshKeys keys, Watchdog watchdog,
      DisconnectListener onDisconnect, Proof proof) {
    SSHClient ssh = new SSHClient(config);
    configure(ssh, settings);
    ssh.getTransport().setDisconnectListener(onDisconnect);
    StrictHostKeyVerifier verifier = new StrictHostKeyVerifier(settings.knownHosts(), settings.acceptNewHostKey());
    ssh.addHostKeyVerifier(verifier);
    RecordingSockets sockets = new RecordingSockets();
    ssh.setSocketFactory(sockets);
    Watchdog.Deadline deadline = watchdog.deadline(settings.connectTimeout(), sockets::closeAll);
    String phase = PHASE_CONNECT;
    try {
      ssh.connect(settings.host(), settings.port());
      phase = PHASE_AUTHENTICATION;
      ssh.auth(settings.user(), keys.methods());
      phase = PHASE_ENGINE;
      proof.prove(ssh);
      return ssh;
    } catch (IOException | RuntimeException e) {
      closeQuietly(ssh);
      if (e instanceof DeployException known && !deadline.expired()) {
        throw known;
      }
      throw translate(settings, keys, verifier, phase, deadline, sockets, e);
    } finally {
      deadline.done();
    }
  }

  private static void configure(SSHClient ssh, SshSettings settings) {
    int connectMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
    ssh.setConnectTimeout(connectMillis);
    ssh.getTransport().setTimeoutMs(connectMillis);
    // Channel opens, closes and waits for window space: bounded by the call timeout.
    ssh.getConnection().setTimeoutMs((int) Math.min(Integer.MAX_VALUE, settings.callTimeout().toMillis()));
    KeepAlive keepAlive = ssh.getConnection().getKeepAlive();
    keepAlive.setKeepAliveInterval(wholeSeconds(settings.keepAlive()));
    if (keepAlive instanceof KeepAliveRunner runner) {
      runner.setMaxAliveCount(SshSettings.MISSED_KEEPALIVES);
    }
  }

  /** sshj counts keepalive intervals in whole seconds: round up, never to zero. */
  static int wholeSeconds(Duration interval) {
    long millis = Math.max(1000, interval.toMillis());
    return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
  }

  private static DeployException translate(SshSettings settings, SshKeys keys,
      StrictHostKeyVerifier verifier, String phase, Watchdog.Deadline deadline,
      RecordingSockets sockets, Exception e) {
    String where = settings.hostAndPort();
    String reached = sockets.connected() && phase.equals(PHASE_CONNECT) ? PHASE_HANDSHAKE : phase;
    if (verifier.decision().filter(d -> !d.trusted()).isPresent()) {
      return SshFailures.hostKey(verifier.decision().orElseThrow());
    }
    if (deadline.expired()) {
      return SshFailures.timedOut(where, reached, settings.connectTimeout(), e);
    }
    return switch (e) {
      case UnknownHostException u -> SshFailures.unresolved(settings.host(), u);
      case ConnectException c -> SshFailures.refused(where, c);
      case NoRouteToHostException n -> SshFailures.refused(where, n);
      case SocketTimeoutException t -> SshFailures.timedOut(where, reached, settings.connectTimeout(), t);
      case UserAuthException a -> SshFailures.notAuthorised(settings.user(), where, keys.keys(), a);
      case TransportException t -> SshFailures.failed(where, reached, t);
      default -> SshFailures.failed(where, reached, e);
    };
  }

  private static void closeQuietly(SSHClient ssh) {
    try {
      ssh.disconnect();
    } catch (IOException | RuntimeException e) {
      // The connection failed already; nothing more to lose.
    }
  }

  /** Plain sockets, remembered so that the watchdog can close them. */
  private static final class RecordingSockets extends SocketFactory {
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @Override
    public Socket createSocket() throws IOException {
      Socket socket = new Socket();
      // Engine calls, probes and Runtime API commands are small writes that wait for an answer:
      // Nagle's algorithm would hold the next one back for the peer's delayed ACK (up to 40 ms).
      socket.setTcpNoDelay(true);
      sockets.add(socket);
      return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      throw new UnsupportedOperationException("sshj creates unconnected sockets");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      throw new UnsupportedOperationException("sshj creates unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      throw new UnsupportedOperationException("sshj creates unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      throw new UnsupportedOperationException("sshj creates unconnected sockets");
    }

    boolean connected() {
      return sockets.stream().anyMatch(Socket::isConnected);
    }

    void closeAll() {
      for (Socket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // It is being closed because it is stuck; nothing else to do.
        }
      }
    }
  }
}
