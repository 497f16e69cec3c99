package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.engine.RegistryAuth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack file's x-deploykit.registry: where the password comes from, never the file itself. */
class RegistrySettingsTest {
  private static final String SERVICES = StackFiles.SERVICES;
  @TempDir Path dir;

  private Stack load(String yaml) throws IOException {
    return StackFiles.load(dir, yaml);
  }

  @Test
  void theStackFileNamesTheServerTheUserAndWhereThePasswordIs() throws IOException {
    Stack env = load("x-deploykit:\n  registry:\n    server: registry.example.com\n    user: deploy\n"
        + "    password_env: REGISTRY_PASSWORD\n" + SERVICES);
    Stack file = load("x-deploykit:\n  registry:\n    server: registry.example.com:5000\n    user: deploy\n"
        + "    password_file: secrets/registry\n" + SERVICES);

    assertThat(env.settings().registry()).isEqualTo(
        RegistrySettings.passwordFromEnvironment("registry.example.com", "deploy", "REGISTRY_PASSWORD"));
    assertThat(file.settings().registry().passwordFile()).isEqualTo(dir.resolve("secrets/registry"));
    assertThat(load(SERVICES).settings().registry()).isNull();
  }

  @Test
  void aPasswordWrittenInTheStackFileIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> load("x-deploykit:\n  registry:\n    server: r.example.com\n    user: deploy\n"
        + "    password: hunter2\n" + SERVICES))
        .isInstanceOfSatisfying(StackFileException.class, e -> {
          assertThat(e.key()).contains("x-deploykit.registry.password");
          assertThat(e.line()).isEqualTo(5);
          assertThat(e.getMessage()).contains("password_env", "password_file").doesNotContain("hunter2");
        });
  }

  @Test
  void exactlyOneSourceOfThePasswordIsTaken() {
    assertThatThrownBy(() -> load("x-deploykit:\n  registry:\n    server: r.example.com\n    user: deploy\n"
        + SERVICES)).isInstanceOf(StackFileException.class).hasMessageContaining("exactly one of password_env");
    assertThatThrownBy(() -> load("x-deploykit:\n  registry:\n    server: r.example.com\n    user: deploy\n"
        + "    password_env: A\n    password_file: b\n" + SERVICES))
        .isInstanceOf(StackFileException.class).hasMessageContaining("both are given");
    assertThatThrownBy(() -> load("x-deploykit:\n  registry:\n    server: https://r.example.com\n"
        + "    user: deploy\n    password_env: A\n" + SERVICES))
        .isInstanceOf(StackFileException.class).hasMessageContaining("host[:port]");
  }

  @Test
  void thePasswordIsReadFromTheVariableOrTheFileAndNamedWhenMissing() throws IOException {
    RegistrySettings env = RegistrySettings.passwordFromEnvironment("r.example.com", "deploy", "REG_PW");
    Path file = dir.resolve("pw");
    RegistrySettings fromFile = RegistrySettings.passwordFromFile("r.example.com", "deploy", file);

    assertThat(env.credentials(Map.of("REG_PW", "s3cret")::get)).isEqualTo(
        new RegistryAuth("r.example.com", "deploy", "s3cret"));
    assertThatThrownBy(() -> env.credentials(Map.<String, String>of()::get))
        .isInstanceOfSatisfying(DeployException.class, e -> {
          assertThat(e.reason()).isEqualTo(DeployException.Reason.REGISTRY_CREDENTIALS);
          assertThat(e.getMessage()).contains("REG_PW", "not set", "r.example.com", "deploy");
        });
    assertThatThrownBy(() -> fromFile.credentials(k -> null))
        .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.getMessage()).contains(file.toString(),
            "does not exist"));
    Files.writeString(file, "s3cret\n");
    assertThat(fromFile.credentials(k -> null).password()).isEqualTo("s3cret");
  }

  @Test
  void credentialsNeverShowThePassword() {
    assertThat(new RegistryAuth("r.example.com", "deploy", "s3cret").toString())
        .contains("r.example.com", "deploy").doesNotContain("s3cret");
  }

  @Test
  void anImageIsNamedInTheRegistryWithoutTheRegistryItNamedBefore() {
    RegistrySettings r = RegistrySettings.passwordFromEnvironment("registry.example.com", "deploy", "P");
    assertThat(r.imageName("deploykit.local/sample-app:v2")).isEqualTo("registry.example.com/sample-app:v2");
    assertThat(r.imageName("shop/web")).isEqualTo("registry.example.com/shop/web:latest");
    assertThat(r.imageName("localhost:5000/web:1")).isEqualTo("registry.example.com/web:1");
    assertThat(r.imageName("registry.example.com/shop/web:3")).isEqualTo("registry.example.com/shop/web:3");
  }
}
