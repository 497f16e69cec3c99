package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileCheckTest {
  @TempDir Path dir;

  private EnvFileCheck check(String compose, String env) throws Exception {
    Path composeFile = Files.writeString(dir.resolve("compose.yaml"), compose);
    Path envFile = Files.writeString(dir.resolve(".env.production"), env);
    return EnvFileCheck.of(composeFile, envFile);
  }

  private static final String STACK = """
      name: shop
      x-deploykit:
        proxy_port: ${PROXY_PORT:-8080}
      services:
        app:
          image: example/app:${APP_VERSION:?set APP_VERSION}
          environment:
            DB_PASSWORD: ${DB_PASSWORD}
            GREETING: "$$HOME stays literal, ${NAME-world}"
            FAULT:
            URL: http://$HOST_NAME/x
          x-deploykit:
            role: web
            health_path: /up
      """;

  @Test
  void aCompleteFileHasNothingMissing() throws Exception {
    EnvFileCheck c = check(STACK, "APP_VERSION=1.4.2\nDB_PASSWORD=s3cret\nHOST_NAME=db\n");
    assertThat(c.complete()).isTrue();
    assertThat(c.missing()).isEmpty();
    assertThat(c.unknown()).isEmpty();
    assertThat(c.empty()).isEmpty();
  }

  @Test
  void reportsMissingInStackOrderUnknownAndEmptyInFileOrder() throws Exception {
    EnvFileCheck c = check(STACK, "TYPO_VERSION=1\nDB_PASSWORD=\nAPP_VERSION=2\nZED=\n");
    assertThat(c.complete()).isFalse();
    assertThat(c.missing()).containsExactly("HOST_NAME");
    assertThat(c.unknown()).containsExactly("TYPO_VERSION", "ZED");
    assertThat(c.empty()).containsExactly("DB_PASSWORD", "ZED");
  }

  @Test
  void aRequiredVariableSetEmptyIsMissing() throws Exception {
    EnvFileCheck c = check(STACK, "APP_VERSION=\nDB_PASSWORD=x\nHOST_NAME=db\n");
    assertThat(c.missing()).containsExactly("APP_VERSION");
    assertThat(c.empty()).containsExactly("APP_VERSION");
  }

  @Test
  void defaultsAndPassThroughKeysAreNeverMissingButAreReferenced() throws Exception {
    EnvFileCheck c = check(STACK, "APP_VERSION=1\nDB_PASSWORD=x\nHOST_NAME=h\nPROXY_PORT=80\nFAULT=1\nNAME=n\nHOME=h\n");
    assertThat(c.missing()).isEmpty();
    assertThat(c.unknown()).containsExactly("HOME");
  }

  @Test
  void aDefaultIsLookedIntoOnlyWhenItIsUsed() throws Exception {
    String stack = """
        services:
          app:
            image: example/app:${APP_TAG:-${APP_VERSION}}
        """;
    assertThat(check(stack, "").missing()).containsExactly("APP_VERSION");
    assertThat(check(stack, "APP_TAG=v3\n").missing()).isEmpty();
  }

  @Test
  void listFormEnvironmentPassesBareKeysThrough() throws Exception {
    String stack = """
        services:
          app:
            image: example/app:1
            environment:
              - FAULT
              - TOKEN=${API_TOKEN}
        """;
    EnvFileCheck c = check(stack, "FAULT=\n");
    assertThat(c.missing()).containsExactly("API_TOKEN");
    assertThat(c.unknown()).isEmpty();
  }

  @Test
  void theResultHoldsNoValue() throws Exception {
    EnvFileCheck c = check(STACK, "APP_VERSION=1\nDB_PASSWORD=hunter2\nEXTRA=also-secret\n");
    assertThat(c.toString()).doesNotContain("hunter2", "also-secret");
  }

  @Test
  void aMissingEnvFileNamesIt() {
    Path composeFile = dir.resolve("compose.yaml");
    assertThatThrownBy(() -> EnvFileCheck.of(composeFile, dir.resolve(".env.nope")))
        .isInstanceOf(StackFileException.class).hasMessageContaining(".env.nope", "does not exist");
  }

  @Test
  void aMalformedEnvFileNamesFileAndLine() throws Exception {
    assertThatThrownBy(() -> check(STACK, "OK=1\nnot a statement\n"))
        .isInstanceOf(StackFileException.class).hasMessageContaining(".env.production");
  }
}
