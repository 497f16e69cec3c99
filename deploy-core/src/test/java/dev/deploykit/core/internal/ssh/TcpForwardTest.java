package dev.deploykit.core.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A forward on loopback, with a local echo server standing in for the direct-tcpip channels. */
@Timeout(20)
class TcpForwardTest {

  @Test
  void listensOnLoopbackOnlyRelaysEachConnectionAndStopsListeningWhenClosed() throws Exception {
    List<TcpForward> closed = new ArrayList<>();
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform().daemon().start(() -> serveEcho(echo));
      TcpForward forward = TcpForward.open("web:8080", () -> new SocketRemote(
          new Socket(echo.getInetAddress(), echo.getLocalPort())), closed::add);
      assertThat(forward.address().getAddress().isLoopbackAddress()).isTrue();
      assertThat(forward.hostAndPort()).startsWith("127.0.0.1:");
      for (String text : List.of("first", "second")) {
        try (Socket client = new Socket(forward.address().getAddress(), forward.address().getPort())) {
          client.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
          client.shutdownOutput();
          assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        }
      }
      forward.close();
      forward.close();
      assertThat(closed).containsExactly(forward);
      assertThatThrownBy(() -> new Socket(forward.address().getAddress(), forward.address().getPort()).close())
          .isInstanceOf(ConnectException.class);
    }
  }

  private static void serveEcho(ServerSocket server) {
    while (true) {
      try {
        Socket socket = server.accept();
        Thread.ofPlatform().daemon().start(() -> {
          try (socket) {
            socket.getInputStream().transferTo(socket.getOutputStream());
          } catch (IOException e) {
            // The client went away.
          }
        });
      } catch (IOException closed) {
        return;
      }
    }
  }
}
