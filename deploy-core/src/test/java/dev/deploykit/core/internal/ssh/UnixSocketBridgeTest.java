package dev.deploykit.core.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bridge between a local Unix socket and remote ends, with a loopback TCP server standing
 * in for the channels: bytes both ways, half-close, cut-off calls, cleanup.
 */
@Timeout(20)
class UnixSocketBridgeTest {
  private final AtomicLong clock = new AtomicLong();
  private final Watchdog watchdog = Watchdog.manual(clock::get);
  private final ServerSocket far = serverSocket();
  private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();

  private static ServerSocket serverSocket() {
    try {
      return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private UnixSocketBridge bridge() {
    return UnixSocketBridge.open("test bridge", () -> {
      Socket socket = new Socket(far.getInetAddress(), far.getLocalPort());
      return new SocketRemote(socket);
    }, watchdog, Duration.ofSeconds(30));
  }

  private Socket farSide() throws Exception {
    Socket s = accepted.poll();
    if (s == null) {
      s = far.accept();
    }
    return s;
  }

  private static SocketChannel connect(UnixSocketBridge bridge) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(bridge.socket()));
    return channel;
  }

  @AfterEach
  void close() throws IOException {
    watchdog.close();
    far.close();
  }

  @Test
  void theSocketLivesInAPrivateShortFolderThatCloseRemoves() throws IOException {
    UnixSocketBridge bridge = bridge();
    var folder = bridge.socket().getParent();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    assertThat(bridge.socket().toString().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(UnixSocketBridge.MAX_SOCKET_PATH);
    assertThat(bridge.dockerHost()).isEqualTo("unix://" + bridge.socket());
    bridge.close();
    assertThat(folder).doesNotExist();
  }

  @Test
  void carriesBytesBothWaysOnOneRemoteEndPerConnection() throws Exception {
    try (UnixSocketBridge bridge = bridge(); SocketChannel local = connect(bridge)) {
      write(local, "GET /_ping HTTP/1.1\r\n\r\n");
      Socket remote = farSide();
      assertThat(read(remote.getInputStream(), 23)).isEqualTo("GET /_ping HTTP/1.1\r\n\r\n");
      remote.getOutputStream().write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.UTF_8));
      assertThat(read(local, 17)).isEqualTo("HTTP/1.1 200 OK\r\n");
      assertThat(bridge.connections()).isEqualTo(1);
    }
  }

  @Test
  void passesAHalfCloseOnAndKeepsTheOtherDirectionOpen() throws Exception {
    try (UnixSocketBridge bridge = bridge(); SocketChannel local = connect(bridge)) {
      write(local, "request");
      local.shutdownOutput();
      Socket remote = farSide();
      InputStream fromLocal = remote.getInputStream();
      assertThat(read(fromLocal, 7)).isEqualTo("request");
      assertThat(fromLocal.read()).as("the end of the request arrives as EOF").isEqualTo(-1);
      OutputStream toLocal = remote.getOutputStream();
      toLocal.write("answer after EOF".getBytes(StandardCharsets.UTF_8));
      remote.shutdownOutput();
      assertThat(read(local, 16)).isEqualTo("answer after EOF");
      assertThat(local.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }
  }

  @Test
  void cutsOffACallThatGetsNoAnswerWithinTheCallTimeout() throws Exception {
    try (UnixSocketBridge bridge = bridge(); SocketChannel local = connect(bridge)) {
      write(local, "POST /containers/x/stop");
      Socket remote = farSide();
      assertThat(read(remote.getInputStream(), 23)).isNotEmpty();
      clock.addAndGet(Duration.ofSeconds(29).toNanos());
      watchdog.sweep();
      assertThat(bridge.openConnections()).isEqualTo(1);
      clock.addAndGet(Duration.ofSeconds(2).toNanos());
      watchdog.sweep();
      assertThat(local.read(ByteBuffer.allocate(1))).as("the caller sees the connection end").isEqualTo(-1);
      assertThat(remote.getInputStream().read()).as("the far end is closed too").isEqualTo(-1);
    }
  }

  @Test
  void neverCutsOffAnIdleConnectionThatWasAnswered() throws Exception {
    try (UnixSocketBridge bridge = bridge(); SocketChannel local = connect(bridge)) {
      write(local, "GET /version");
      Socket remote = farSide();
      read(remote.getInputStream(), 12);
      clock.addAndGet(1);
      remote.getOutputStream().write("200".getBytes(StandardCharsets.UTF_8));
      assertThat(read(local, 3)).isEqualTo("200");
      clock.addAndGet(Duration.ofHours(1).toNanos());
      watchdog.sweep();
      write(local, "again");
      assertThat(read(remote.getInputStream(), 5)).isEqualTo("again");
    }
  }

  @Test
  void closesTheLocalConnectionAndRemembersWhyWhenTheRemoteEndCannotOpen() throws Exception {
    try (UnixSocketBridge bridge = UnixSocketBridge.open("failing bridge",
            () -> { throw new IOException("ADMINISTRATIVELY_PROHIBITED"); }, watchdog, Duration.ofSeconds(30));
        SocketChannel local = connect(bridge)) {
      assertThat(local.read(ByteBuffer.allocate(1))).isEqualTo(-1);
      assertThat(bridge.takeOpenFailure()).get().extracting(Throwable::getMessage)
          .isEqualTo("ADMINISTRATIVELY_PROHIBITED");
      assertThat(bridge.takeOpenFailure()).as("reported once").isEmpty();
    }
  }

  @Test
  void closingTheBridgeEndsItsConnectionsOnBothSides() throws Exception {
    UnixSocketBridge bridge = bridge();
    SocketChannel local = connect(bridge);
    write(local, "x");
    Socket remote = farSide();
    read(remote.getInputStream(), 1);
    bridge.close();
    assertThat(local.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    assertThat(remote.getInputStream().read()).isEqualTo(-1);
    local.close();
  }

  private static void write(SocketChannel channel, String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static String read(SocketChannel channel, int bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // Until the bytes are there.
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  private static String read(InputStream in, int bytes) throws IOException {
    return new String(in.readNBytes(bytes), StandardCharsets.UTF_8);
  }
}
