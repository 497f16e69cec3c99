package dev.deploykit.core.internal.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

/**
 * A Unix socket on this machine that leads to the remote engine: each connection made to it is
 * joined to one new SSH channel to the engine's socket on the host. The socket lives in a fresh
 * folder only this user may enter (0700), so no other local user can drive the remote engine
 * (which a loopback TCP port would allow). docker-java's ordinary Unix transport connects to it,
 * which keeps its tested paths: chunked streams, logs, the {@code 101} hijack of exec.
 *
 * <p>Every call has a deadline: a connection that sent something and got no answer for
 * {@code callTimeout} is cut off, since sshj's channel reads have none.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class UnixSocketBridge implements AutoCloseable {
  /** {@code sun_path} holds 108 bytes, the terminating NUL included. */
  static final int MAX_SOCKET_PATH = 107;

  private final Path folder;
  private final Path socket;
  private final LocalListener listener;

  private UnixSocketBridge(Path folder, Path socket, LocalListener listener) {
    this.folder = folder;
    this.socket = socket;
    this.listener = listener;
  }

  /**
   * Binds the socket and starts accepting.
   *
   * @throws UncheckedIOException when no short private folder can be made or bound
   */
  static UnixSocketBridge open(String name, LocalListener.Opener opener, Watchdog watchdog, Duration callTimeout) {
    Path folder = privateFolder();
    Path socket = folder.resolve("engine.sock");
    try {
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      LocalListener listener = new LocalListener(name, server, opener, watchdog::now,
          link -> watchdog.watch(link.answerDeadline(callTimeout))).start();
      return new UnixSocketBridge(folder, socket, listener);
    } catch (IOException e) {
      deleteQuietly(socket, folder);
      throw new UncheckedIOException("Cannot listen on " + socket + ": " + e.getMessage(), e);
    }
  }

  private static Path privateFolder() {
    var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    Path base = Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
    // A long java.io.tmpdir would push the socket past sun_path; /tmp is short everywhere.
    if (base.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > 60) {
      base = Path.of("/tmp");
    }
    try {
      Path folder = Files.createTempDirectory(base, "deploykit-ssh-", owner);
      int length = folder.resolve("engine.sock").toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
      if (length > MAX_SOCKET_PATH) {
        Files.delete(folder);
        throw new IOException("the socket path would be " + length + " bytes, over " + MAX_SOCKET_PATH);
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make a private folder for the engine socket under " + base
          + ": " + e.getMessage(), e);
    }
  }

  /** The socket, for docker-java: {@code unix:///tmp/deploykit-ssh-.../engine.sock}. */
  String dockerHost() {
    return "unix://" + socket.toAbsolutePath();
  }

  /** The socket's path. */
  Path socket() {
    return socket;
  }

  /** Engine connections made so far (each one SSH channel). */
  int connections() {
    return listener.accepted();
  }

  /** Engine connections open now. */
  int openConnections() {
    return listener.open();
  }

  /** Why the last channel to the engine's socket could not be opened, once. */
  Optional<IOException> takeOpenFailure() {
    return listener.takeOpenFailure();
  }

  /** Stops accepting, cuts every connection and deletes the socket and its folder. */
  @Override
  public void close() {
    listener.close();
    deleteQuietly(socket, folder);
  }

  private static void deleteQuietly(Path... paths) {
    for (Path path : paths) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // A leftover in a private temporary folder harms nobody.
      }
    }
  }
}
