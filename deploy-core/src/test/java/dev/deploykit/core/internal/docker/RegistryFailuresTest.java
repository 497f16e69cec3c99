package dev.deploykit.core.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.RegistryAuth;
import org.junit.jupiter.api.Test;

/** What the engine's words for a registry's refusal mean, as read off a real engine's answers. */
class RegistryFailuresTest {
  private static final RegistryAuth AUTH = new RegistryAuth("127.0.0.1:5000", "pusher", "s3cret");

  private static DeployException read(String answer) {
    return RegistryFailures.of("pulling", "127.0.0.1:5000/app@sha256:abc", AUTH, "ssh://deploy@droplet", answer, null);
  }

  @Test
  void refusedCredentialsNameTheRegistryAndUserNotThePassword() {
    DeployException e = read("Status 500: {\"message\":\"unauthorized: authentication required\"}");
    assertThat(e.reason()).isEqualTo(DeployException.Reason.REGISTRY_CREDENTIALS);
    assertThat(e.getMessage()).contains("Registry 127.0.0.1:5000", "user pusher", "unauthorized: authentication"
        + " required", "ssh://deploy@droplet").doesNotContain("s3cret").doesNotContain("Status 500");
  }

  @Test
  void aMissingManifestAndAClosedPortAreTheirOwnReasons() {
    assertThat(read("Status 404: {\"message\":\"manifest for x not found: manifest unknown\"}").reason())
        .isEqualTo(DeployException.Reason.IMAGE_NOT_IN_REGISTRY);
    assertThat(read("Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused").reason())
        .isEqualTo(DeployException.Reason.REGISTRY_UNREACHABLE);
    // A registry container just started: Docker's port proxy takes the connection, nothing answers.
    assertThat(read("Get \"http://127.0.0.1:5555/v2/\": EOF").reason())
        .isEqualTo(DeployException.Reason.REGISTRY_UNREACHABLE);
    assertThat(read("something else entirely").reason()).isEqualTo(DeployException.Reason.FAILED);
  }

  @Test
  void referencesAreCutAtTheDigestOrTheTagNotAtTheRegistrysPort() {
    assertThat(ImageReference.parse("127.0.0.1:5000/shop/web@sha256:abc"))
        .isEqualTo(new ImageReference("127.0.0.1:5000/shop/web", "sha256:abc"));
    assertThat(ImageReference.parse("127.0.0.1:5000/web:v2")).isEqualTo(new ImageReference("127.0.0.1:5000/web", "v2"));
    assertThat(ImageReference.parse("127.0.0.1:5000/web")).isEqualTo(new ImageReference("127.0.0.1:5000/web", "latest"));
    assertThat(ImageReference.registryOf("shop/web:1")).isEqualTo("docker.io");
    assertThat(ImageReference.registryOf("localhost/web:1")).isEqualTo("localhost");
  }
}
