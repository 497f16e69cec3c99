package dev.deploykit.core.internal.ssh;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.DockerHost;
import java.io.IOException;
import java.util.Optional;

/**
 * One connection to a remote engine and everything that rides on it: what {@link SshDockerHost}
 * drops and replaces when the connection dies. A seam for tests of the reconnect rules.
 */
interface EngineSession extends AutoCloseable {

  /** The engine calls, over this connection. */
  DockerHost engine();

  /** Whether the connection still stands. */
  boolean alive();

  /** Opens one channel to {@code host:port} as seen from the remote host. */
  RemoteEnd openTcp(String host, int port) throws IOException;

  /**
   * Asks sshd to listen on the host's {@code 127.0.0.1:hostPort} and send each connection to
   * {@code target} on this machine; closing the result cancels it.
   */
  AutoCloseable remoteForward(int hostPort, java.net.InetSocketAddress target) throws IOException;

  /**
   * Why a failed call failed, when the connection knows better than the call (a channel to the
   * engine's socket was refused): the failure to throw instead.
   */
  Optional<DeployException> explain(RuntimeException failure);

  /** Connections to the engine made so far over this session (each one channel). */
  int engineConnections();

  /** Closes every channel and the connection; nothing is left on the host. */
  @Override
  void close();

  /** Opens sessions. */
  interface Factory {
    /**
     * Connects.
     *
     * @throws DeployException when the host cannot be reached, trusted or used
     */
    EngineSession open();
  }
}
