package dev.deploykit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.runpod.RunPodException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPodCommandTest {
  @TempDir Path dir;

  @Test
  void theSubcommandsParseAndAMissingOneIsBadInput() {
    assertThat(Main.execute("runpod", "--help")).isEqualTo(ExitCodes.OK);
    assertThat(Main.execute("runpod", "up", "--help")).isEqualTo(ExitCodes.OK);
    assertThat(Main.execute("runpod")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Main.execute("runpod", "frob")).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void upWithoutAModelOrImageIsBadInputBeforeAnythingIsCalled() {
    assertThat(Main.execute("-f", dir.resolve("none.yaml").toString(), "runpod", "up"))
        .isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void runPodFailuresMapToTheProjectsExitCodes() {
    assertThat(RunPodCommand.failure(new RunPodException(RunPodException.Reason.BAD_INPUT, "x")).exitCode())
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(RunPodCommand.failure(new RunPodException(RunPodException.Reason.REFUSED, "x")).exitCode())
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(RunPodCommand.failure(new RunPodException(RunPodException.Reason.UNAUTHORIZED, "x")).exitCode())
        .isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(RunPodCommand.failure(new RunPodException(RunPodException.Reason.IMAGE, "x")).exitCode())
        .isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(RunPodCommand.failure(new RunPodException(RunPodException.Reason.NOT_READY, "x")).exitCode())
        .isEqualTo(ExitCodes.FAILED);
    assertThat(RunPodCommand.failure(new RunPodException(RunPodException.Reason.JOB_FAILED, "x")).exitCode())
        .isEqualTo(ExitCodes.FAILED);
  }
}
