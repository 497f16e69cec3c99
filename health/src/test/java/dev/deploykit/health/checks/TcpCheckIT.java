package dev.deploykit.health.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpCheckIT {
  private static final Duration DEADLINE = Duration.ofSeconds(2);

  @Test
  void upWhenThePortAcceptsAConnection() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      TcpCheck check = TcpCheck.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.UP);
      assertThat(r.detail()).contains(":" + server.getLocalPort(), "accepts connections");
    }
  }

  @Test
  void downWithAReasonWhenRefused() throws Exception {
    int port = LoopbackServers.refusedPort();
    HealthResult r = Checks.run(TcpCheck.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)), DEADLINE);
    assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(r.detail()).contains("connection refused by", ":" + port);
  }
}
