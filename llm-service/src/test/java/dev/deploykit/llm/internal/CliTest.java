package dev.deploykit.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.llm.OllamaServer;
import dev.deploykit.llm.TinyModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  @Test
  void listsPullsAndReportsOllamasErrorLikeOllamasCli(@TempDir Path models) throws Exception {
    TinyModel.DEFAULT.writeTo(models.resolve("tiny.gguf"));
    try (OllamaServer server = OllamaServer.builder(models).port(0).start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Cli cli = new Cli("0.0.0.0:" + server.address().getPort(),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

      assertThat(cli.list()).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("tiny:latest")
          .contains(TinyModel.DEFAULT.sha256().substring(0, 12));
      out.reset();
      assertThat(cli.pull("tiny")).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8).strip()).startsWith("pulling manifest").endsWith("success");
      assertThat(cli.pull("llama3")).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8).strip())
          .isEqualTo("Error: pull model manifest: file does not exist");
      assertThat(cli.ps()).isZero();
    }
  }
}
