package dev.deploykit.core.internal.ssh;

import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.Connection;
import net.schmizz.sshj.connection.channel.ChannelInputStream;
import net.schmizz.sshj.connection.channel.direct.AbstractDirectChannel;

/**
 * OpenSSH's {@code direct-streamlocal@openssh.com} channel: a connection from sshd to a Unix
 * socket on the host (openssh-portable PROTOCOL, section 2.4), which sshj 0.40 lacks. No process
 * runs on the host, and forwarding channels do not count against sshd's {@code MaxSessions}. sshd
 * refuses it with ADMINISTRATIVELY_PROHIBITED when {@code AllowStreamLocalForwarding} is off or
 * the socket cannot be connected to.
 *
 * <p>Thread safety: as any sshj channel.
 */
final class StreamLocalChannel extends AbstractDirectChannel {
  static final String TYPE = "direct-streamlocal@openssh.com";

  private final String socketPath;

  StreamLocalChannel(Connection connection, String socketPath) {
    super(connection, TYPE);
    this.socketPath = socketPath;
  }

  @Override
  protected SSHPacket buildOpenReq() {
    // After the usual open fields: string socket path, string reserved, uint32 reserved.
    return super.buildOpenReq()
        .putString(socketPath)
        .putString("")
        .putUInt32(0);
  }

  /** Drops data that arrives after this side closed the channel ({@link LateChannelData}). */
  @Override
  protected void receiveInto(ChannelInputStream stream, SSHPacket buf) throws SSHException {
    LateChannelData.droppedWhenLate(() -> super.receiveInto(stream, buf));
  }

  @Override
  public String toString() {
    return TYPE + " to " + socketPath + " #" + getID();
  }
}
