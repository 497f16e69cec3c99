package dev.deploykit.core.internal.ssh;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.internal.docker.DockerJavaHost;
import java.io.IOException;
import net.schmizz.sshj.connection.channel.forwarded.RemotePortForwarder;
import net.schmizz.sshj.connection.channel.forwarded.SocketForwardingConnectListener;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.channel.ChannelInputStream;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH connection to a host, with its watchdog, the Unix-socket bridge to the engine and the
 * docker-java client on that bridge. The transport's disconnect listener marks it lost before
 * any channel hears of the loss, so a call that failed because the connection died is always
 * seen as such.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class SshSession implements EngineSession {
  private static final Logger log = LoggerFactory.getLogger(SshSession.class);
  private static final Duration WATCHDOG_PERIOD = Duration.ofMillis(200);
  private static final int MAX_ENGINE_CONNECTIONS = 16;

  private final SshSettings settings;
  private final SSHClient ssh;
  private final Watchdog watchdog;
  private final UnixSocketBridge bridge;
  private final DockerClient client;
  private final DockerJavaHost engine;
  private final AtomicBoolean lost;

  private SshSession(SshSettings settings, SSHClient ssh, Watchdog watchdog, UnixSocketBridge bridge,
      DockerClient client, AtomicBoolean lost) {
    this.settings = settings;
    this.ssh = ssh;
    this.watchdog = watchdog;
    this.bridge = bridge;
    this.client = client;
    this.engine = DockerJavaHost.of(client, settings.address());
    this.lost = lost;
  }

  /**
   * Connects and builds the bridge and the client.
   *
   * @throws DeployException when the host cannot be reached, trusted or used
   */
  static SshSession open(SshSettings settings, Config config, SshKeys keys) {
    long started = System.nanoTime();
    Watchdog watchdog = Watchdog.start("deploykit-ssh watchdog " + settings.hostAndPort(), WATCHDOG_PERIOD);
    AtomicBoolean lost = new AtomicBoolean();
    AtomicReference<EngineRoute> route = new AtomicReference<>(new EngineRoute.StreamLocal());
    SSHClient ssh;
    try {
      ssh = SshConnector.connect(settings, config, keys, watchdog, (reason, message) -> {
        if (lost.compareAndSet(false, true)) {
          log.debug("SSH connection to {} ended: {} {}", settings.hostAndPort(), reason, message);
        }
      }, client -> route.set(EngineProbe.check(client, settings)));
    } catch (RuntimeException e) {
      watchdog.close();
      throw e;
    }
    UnixSocketBridge bridge;
    try {
      bridge = UnixSocketBridge.open("deploykit-ssh engine " + settings.hostAndPort(),
          () -> engineChannel(ssh, settings, route.get()), watchdog, settings.callTimeout());
    } catch (RuntimeException e) {
      disconnect(ssh, settings);
      watchdog.close();
      throw new DeployException("Cannot bridge the engine of " + settings.address() + ": " + e.getMessage(), e);
    }
    DockerClient client = client(settings, bridge);
    log.info("Connected to {} over SSH in {} ms", settings.address(), (System.nanoTime() - started) / 1_000_000);
    return new SshSession(settings, ssh, watchdog, bridge, client, lost);
  }

  private static RemoteEnd engineChannel(SSHClient ssh, SshSettings settings, EngineRoute route)
      throws IOException {
    if (route instanceof EngineRoute.Relay relay) {
      return RemoteEnd.relay(ssh.startSession(), relay.command());
    }
    StreamLocalChannel channel = new StreamLocalChannel(ssh.getConnection(), settings.engineSocket());
    channel.open();
    return RemoteEnd.of(channel);
  }

  private static DockerClient client(SshSettings settings, UnixSocketBridge bridge) {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(bridge.dockerHost())
        .withDockerTlsVerify(false)
        .build();
    var http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(URI.create(bridge.dockerHost()))
        .connectionTimeout(settings.connectTimeout())
        .responseTimeout(settings.callTimeout())
        .maxConnections(MAX_ENGINE_CONNECTIONS)
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  @Override
  public DockerHost engine() {
    return engine;
  }

  @Override
  public boolean alive() {
    return !lost.get() && ssh.isConnected();
  }

  @Override
  public RemoteEnd openTcp(String host, int port) throws IOException {
    // As SSHClient.newDirectConnection, with data after this side's close dropped (LateChannelData).
    DirectConnection tunnel = new DirectConnection(ssh.getConnection(), host, port) {
      @Override
      protected void receiveInto(ChannelInputStream stream, SSHPacket buf) throws SSHException {
        LateChannelData.droppedWhenLate(() -> super.receiveInto(stream, buf));
      }
    };
    tunnel.open();
    return RemoteEnd.of(tunnel);
  }

  @Override
  public AutoCloseable remoteForward(int hostPort, java.net.InetSocketAddress target) throws IOException {
    RemotePortForwarder forwarder = ssh.getRemotePortForwarder();
    RemotePortForwarder.Forward forward = forwarder.bind(new RemotePortForwarder.Forward("127.0.0.1", hostPort),
        new SocketForwardingConnectListener(target));
    return () -> {
      if (ssh.isConnected()) {
        forwarder.cancel(forward);
      }
    };
  }

  @Override
  public Optional<DeployException> explain(RuntimeException failure) {
    Optional<IOException> refusal = bridge.takeOpenFailure();
    if (refusal.isEmpty() || answeredByEngine(failure)) {
      return Optional.empty();
    }
    return Optional.of(EngineProbe.unavailable(ssh, settings, refusal.get()));
  }

  /** An HTTP answer from the engine (not found, conflict, ...): the engine was reached. */
  private static boolean answeredByEngine(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DockerException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int engineConnections() {
    return bridge.connections();
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException | RuntimeException e) {
      // The client only held connections to the bridge, closed next.
    }
    bridge.close();
    disconnect(ssh, settings);
    watchdog.close();
  }

  /** Disconnects, saying at DEBUG what went wrong if anything did. */
  static void disconnect(SSHClient ssh, SshSettings settings) {
    try {
      ssh.disconnect();
    } catch (IOException | RuntimeException e) {
      log.debug("Disconnecting from {}: {}", settings.hostAndPort(), e.toString());
    }
  }
}
