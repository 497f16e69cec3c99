package dev.deploykit.it.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub workflow is valid, and CI, the workflow and the README run one and the same test
 * command. Validation uses the npm package {@code @action-validator/cli} through {@code npx}.
 */
class CiWorkflowIT {
  private static final String VALIDATOR = "@action-validator/cli@0.6.0";
  private static final String TEST_COMMAND = "./mvnw verify";
  private static final Path ROOT = Path.of(System.getProperty("deploykit.repository.root", ".."));
  private static final Path WORKFLOW = ROOT.resolve(".github/workflows/ci.yml");
  private static final Path DEPLOY_WORKFLOW = ROOT.resolve(".github/workflows/deploy.yml");

  @Test
  void workflowPassesTheActionValidator() throws Exception {
    Result result = validate(WORKFLOW);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void deployWorkflowPassesTheActionValidator() throws Exception {
    Result result = validate(DEPLOY_WORKFLOW);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void theTrivyActionIsPinnedByCommitAndHostKeysAreNeverSwitchedOff() throws IOException {
    assertThat(Files.readAllLines(WORKFLOW)).filteredOn(l -> l.contains("aquasecurity/trivy-action@"))
        .singleElement().asString().containsPattern("trivy-action@[0-9a-f]{40}\\b");
    for (Path workflow : List.of(WORKFLOW, DEPLOY_WORKFLOW)) {
      assertThat(Files.readString(workflow)).as(workflow.toString())
          .doesNotContain("StrictHostKeyChecking").doesNotContain("accept-new-host-key");
    }
  }

  @Test
  void theValidatorRejectsABrokenWorkflow(@TempDir Path tmp) throws Exception {
    Path broken = tmp.resolve("ci.yml");
    Files.writeString(broken, Files.readString(WORKFLOW).replace("runs-on:", "runs-onn:"));
    Result result = validate(broken);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("runs-onn");
  }

  @Test
  void readmeCiScriptAndWorkflowRunTheSameTestCommand() throws IOException {
    assertThat(Files.readAllLines(ROOT.resolve("README.md"))).contains(TEST_COMMAND);
    assertThat(Files.readString(ROOT.resolve(".ci/run")))
        .contains("test_command=\"" + TEST_COMMAND + "\"");
    assertThat(Files.readAllLines(WORKFLOW)).anySatisfy(
        line -> assertThat(line.strip()).isEqualTo("run: " + TEST_COMMAND));
  }

  private record Result(int exitCode, String output) {}

  private static Result validate(Path workflow) throws Exception {
    Path log = Files.createTempFile("action-validator-", ".log");
    try {
      Process process = new ProcessBuilder(List.of("npx", "--yes", VALIDATOR, workflow.toString()))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("npx " + VALIDATOR + " did not finish within 5 minutes");
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
