package dev.deploykit.core.internal.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.schmizz.sshj.connection.channel.Channel;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * The far end of a {@link Link}: in production one SSH channel (to the engine's socket or to a
 * container's port), in tests any pair of streams.
 */
interface RemoteEnd {

  /** What the far side sends. */
  InputStream input();

  /** What goes to the far side. */
  OutputStream output();

  /** Tells the far side that nothing more comes (a half-close: it may still answer). */
  void endOutput() throws IOException;

  /** Unblocks a read on {@link #input()} at once, without waiting for the far side. */
  void abort();

  /** Closes the end in order (may wait briefly for the far side to confirm). */
  void close();

  /**
   * A relay process in {@code session} as a remote end: its stdin and stdout are the stream (its
   * stderr, a line at most on failure, is left unread). {@code command} must end itself on EOF
   * and on a broken stdout, as {@code docker system dial-stdio} and {@code socat} do.
   */
  static RemoteEnd relay(Session session, String command) throws IOException {
    try {
      return of(session.exec(command));
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** An SSH channel as a remote end: EOF on {@code endOutput}, CLOSE on {@code close}. */
  static RemoteEnd of(Channel channel) {
    return new RemoteEnd() {
      @Override
      public InputStream input() {
        return channel.getInputStream();
      }

      @Override
      public OutputStream output() {
        return channel.getOutputStream();
      }

      @Override
      public void endOutput() throws IOException {
        // sshj's ChannelOutputStream.close() flushes and sends SSH_MSG_CHANNEL_EOF.
        channel.getOutputStream().close();
      }

      @Override
      public void abort() {
        // ChannelInputStream.close() marks it at EOF and wakes a blocked reader.
        try {
          channel.getInputStream().close();
        } catch (IOException e) {
          // Nothing is blocked on a stream that cannot even close.
        }
      }

      @Override
      public void close() {
        try {
          channel.close();
        } catch (IOException | RuntimeException e) {
          // Already closed, or the connection is gone: the channel is gone with it.
        }
      }

      @Override
      public String toString() {
        return channel.getType() + " channel #" + channel.getID();
      }
    };
  }
}
