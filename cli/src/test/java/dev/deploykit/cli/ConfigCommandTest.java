package dev.deploykit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
  @TempDir Path dir;

  @Test
  void redactsValuesOfKeysThatLookSecret() {
    assertThat(ConfigCommand.redact("POSTGRES_PASSWORD", "hunter2")).isEqualTo("***");
    assertThat(ConfigCommand.redact("api_token", "t0k")).isEqualTo("***");
    assertThat(ConfigCommand.redact("AWS_SECRET_ACCESS_KEY", "x")).isEqualTo("***");
    assertThat(ConfigCommand.redact("STRIPE_KEY", "sk_live")).isEqualTo("***");
    assertThat(ConfigCommand.redact("EMPTY_PASSWORD", "")).isEmpty();
    assertThat(ConfigCommand.redact("DB_USER", "app")).isEqualTo("app");
  }

  @Test
  void redactsPasswordsInsideUrls() {
    assertThat(ConfigCommand.redact("DATABASE_URL", "postgres://app:hunter2@db:5432/app"))
        .isEqualTo("postgres://app:***@db:5432/app");
    assertThat(ConfigCommand.redact("JDBC", "jdbc:postgresql://db/app?user=app&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/app?user=app&password=***&ssl=true");
  }

  @Test
  void theDocumentHoldsNoSecretAndReadsLikeCompose() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, """
        name: shop
        x-deploykit:
          notify_webhook: https://hooks.slack.example/services/T0/B0/secret-path
          db_init:
            service: db
            database: app
            user: app
            password: db-secret
        services:
          db:
            image: postgres:18.1
            environment:
              POSTGRES_PASSWORD: db-secret
          app:
            image: shop/app:1
            ports: ["8080"]
            x-deploykit:
              role: web
              health_path: /up
              watch_window: 10s
        """);
    Stack stack = ComposeFile.of(file).environment(Map.of()).load();
    String json = Json.write(ConfigCommand.document(stack));
    assertThat(json).doesNotContain("db-secret", "secret-path").contains("***", "\"watch_window\" : \"10s\"",
        "\"role\" : \"web\"");
  }

  @Test
  void theCheckReportSaysEachFindingAndWhatToDo() {
    var result = new dev.deploykit.core.EnvFileCheck(java.util.List.of("APP_VERSION"),
        java.util.List.of("TYPO"), java.util.List.of("TYPO"));
    String text = ConfigCommand.checkText(result, Path.of(".env.production"), Path.of("compose.yaml"));
    assertThat(text.lines()).containsExactly(
        ".env.production against compose.yaml: 1 missing, 1 unknown, 1 empty",
        "missing  APP_VERSION  (referenced by the stack, not set, no default): add APP_VERSION=... to .env.production",
        "unknown  TYPO  (in the file, not referenced by the stack)",
        "empty    TYPO  (set to an empty value)");
  }
}
