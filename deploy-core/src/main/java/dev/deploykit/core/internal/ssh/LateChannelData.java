package dev.deploykit.core.internal.ssh;

import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.ConnectionException;

/**
 * Data that reaches a channel after this side closed its input: sshj 0.40 answers it with
 * {@code ConnectionException("Getting data on EOF'ed stream")} from its reader thread, which kills
 * the whole SSH transport (every channel, the engine's connections with it) for one packet that
 * nobody would read. It happens when the Docker client closes an HTTP connection while the engine
 * still sends (seen once in about a dozen CI runs of {@code ReleaseSshIT}: a reconnect in a plain
 * swap). The channels deploykit opens drop such a packet instead; the channel's close runs on as
 * usual.
 */
final class LateChannelData {
  private static final String MESSAGE = "Getting data on EOF'ed stream";

  private LateChannelData() {}

  /** A channel's {@code receiveInto}: {@code () -> super.receiveInto(stream, buf)}. */
  interface Receive {
    void run() throws SSHException;
  }

  /** Runs {@code receive}, dropping the packet when it came after this side closed the channel. */
  static void droppedWhenLate(Receive receive) throws SSHException {
    try {
      receive.run();
    } catch (ConnectionException e) {
      if (!isLate(e)) {
        throw e;
      }
    }
  }

  /** Whether sshj refused a packet only because this side had closed the channel's input. */
  static boolean isLate(ConnectionException e) {
    return MESSAGE.equals(e.getMessage());
  }
}
