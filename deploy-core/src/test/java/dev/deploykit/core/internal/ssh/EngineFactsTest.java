package dev.deploykit.core.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineFactsTest {
  private static final String ADDRESS = "ssh://deploy@droplet.example:2222";
  private static final String WHERE = "droplet.example:2222";
  private static final String SOCKET = "/var/run/docker.sock";

  private static String explain(EngineFacts facts) {
    return EngineFacts.explain(Optional.of(facts), ADDRESS, WHERE, SOCKET, "ADMINISTRATIVELY_PROHIBITED, open failed");
  }

  @Test
  void readsTheScriptsOutput() {
    assertThat(EngineFacts.parse("socket=yes\naccess=no\ninstalled=yes\nuser=deploy\ngroups=deploy users\nsocketgroup=docker\n"))
        .contains(new EngineFacts(true, false, true, "deploy", List.of("deploy", "users"), "docker", false, false));
    assertThat(EngineFacts.parse("socket=yes\n")).as("incomplete output says nothing").isEmpty();
    assertThat(EngineFacts.parse("")).isEmpty();
  }

  @Test
  void quotesTheSocketPathForAnyPosixShell() {
    assertThat(EngineFacts.quote("/run/it's.sock")).isEqualTo("'/run/it'\\''s.sock'");
    assertThat(EngineFacts.SCRIPT).doesNotContain("'");
    assertThat(EngineFacts.command(SOCKET)).startsWith("/bin/sh -c '").endsWith(" sh '/var/run/docker.sock'");
  }

  @Test
  void aMissingDockerNamesBootstrap() {
    String message = explain(new EngineFacts(false, false, false, "deploy", List.of("deploy"), "", false, false));
    assertThat(message).startsWith("Docker is not installed on droplet.example:2222")
        .contains("`deploykit host bootstrap --host ssh://deploy@droplet.example:2222`");
  }

  @Test
  void anEngineThatDoesNotRunSaysHowToStartItOrBootstrap() {
    String message = explain(new EngineFacts(false, false, true, "deploy", List.of("deploy"), "", false, false));
    assertThat(message).startsWith("Docker is installed on droplet.example:2222 but its engine is not running")
        .contains("no socket at /var/run/docker.sock", "systemctl enable --now docker", "deploykit host bootstrap");
  }

  @Test
  void aUserOutsideTheSocketsGroupIsToldToJoinTheDockerGroup() {
    String message = explain(new EngineFacts(true, false, true, "outsider", List.of("outsider", "users"), "docker", false, false));
    assertThat(message).startsWith("User outsider on droplet.example:2222 may not use the engine socket")
        .contains("group docker", "outsider is in outsider users", "sudo usermod -aG docker outsider",
            "deploykit host bootstrap");
  }

  @Test
  void aSocketTheUserMayUseButCannotReachMeansSshdRefusesForwarding() {
    String message = explain(new EngineFacts(true, true, true, "deploy", List.of("deploy", "docker"), "docker", false, false));
    assertThat(message).startsWith("sshd on droplet.example:2222 refuses to forward to the engine socket")
        .contains("AllowStreamLocalForwarding yes", "ADMINISTRATIVELY_PROHIBITED");
  }

  @Test
  void aHostThatWillNotSayStillGetsOneLineWithTheWayOn() {
    String message = EngineFacts.explain(Optional.empty(), ADDRESS, WHERE, SOCKET, "CONNECT_FAILED");
    assertThat(message).contains(WHERE, SOCKET, "CONNECT_FAILED", "deploykit host bootstrap").doesNotContain("\n");
  }
}
