package dev.deploykit.core.internal.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A remote end over a plain loopback TCP socket: the SSH channel's stand-in in bridge tests. */
final class SocketRemote implements RemoteEnd {
  private final Socket socket;

  SocketRemote(Socket socket) {
    this.socket = socket;
  }

  @Override
  public InputStream input() {
    try {
      return socket.getInputStream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public OutputStream output() {
    try {
      return socket.getOutputStream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void endOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void abort() {
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closed.
    }
  }
}
