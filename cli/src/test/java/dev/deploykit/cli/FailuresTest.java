package dev.deploykit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.core.DeployException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exit codes and --json documents of failures; an interrupt is never reported as failed. */
class FailuresTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8), false, false, true, false);

  @AfterEach
  void clearTheInterruptFlag() {
    Thread.interrupted();
  }

  private JsonNode document() throws Exception {
    return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anInterruptedRunExits130WithAnInterruptedDocument() throws Exception {
    int code = Failures.report(new InterruptedException("sleep interrupted"), console, false);

    assertThat(code).isEqualTo(ExitCodes.INTERRUPTED);
    JsonNode doc = document();
    assertThat(doc.path("ok").asBoolean(true)).isFalse();
    assertThat(doc.path("exitCode").asInt()).isEqualTo(130);
    assertThat(doc.path("status").asText()).isEqualTo("interrupted");
    assertThat(doc.path("error").asText()).contains("run the same command again", "converges");
    assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
  }

  @Test
  void anEngineCallCutByAnInterruptIsAnInterruptToo() {
    DeployException engine = new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while pulling x");
    RuntimeException wrapped = new UncheckedIOException(new java.io.IOException(new ClosedByInterruptException()));

    assertThat(Failures.report(engine, console, false)).isEqualTo(ExitCodes.INTERRUPTED);
    Thread.interrupted();
    assertThat(Failures.report(wrapped, console, false)).isEqualTo(ExitCodes.INTERRUPTED);
  }

  @Test
  void whateverFailsAfterCtrlCIsReportedAsInterrupted() throws Exception {
    int code = Failures.report(new DeployException("Docker engine call failed: connection reset"), console, true);

    assertThat(code).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(document().path("status").asText()).isEqualTo("interrupted");
  }

  @Test
  void theReasonCodeDecidesTheExitCodeNeverTheMessage() {
    assertThat(Failures.describe(new DeployException(DeployException.Reason.UNKNOWN_RELEASE, "whatever"), false).code())
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Failures.describe(new DeployException(DeployException.Reason.NO_EARLIER_RELEASE, "x"), false).code())
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Failures.describe(new DeployException(DeployException.Reason.ENGINE_UNAVAILABLE, "x"), false).code())
        .isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(Failures.describe(new DeployException(DeployException.Reason.DATABASE, "no release here"), false).code())
        .isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void sshFailuresAreOneLineOfTheEnvironmentAndALostConnectionSaysToRerun() {
    for (DeployException.Reason reason : java.util.List.of(DeployException.Reason.HOST_KEY_REJECTED,
        DeployException.Reason.HOST_UNREACHABLE, DeployException.Reason.AUTHENTICATION_FAILED,
        DeployException.Reason.ENGINE_UNAVAILABLE)) {
      Failures.Failure f = Failures.describe(new DeployException(reason, "what happened at host:22"), false);
      assertThat(f.code()).as(reason.name()).isEqualTo(ExitCodes.ENVIRONMENT);
      assertThat(f.message()).isEqualTo("what happened at host:22");
    }
    assertThat(Failures.describe(new DeployException(DeployException.Reason.AUTHENTICATION_FAILED, "x"), false).hint())
        .contains("--identity FILE").contains("DEPLOYKIT_SSH_KEY").contains("DEPLOYKIT_SSH_PASSPHRASE");
    Failures.Failure lost = Failures.describe(new DeployException(DeployException.Reason.CONNECTION_LOST, "x"), false);
    assertThat(lost.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(lost.hint()).contains("Run the same command again");
  }

  @Test
  void aFailureDocumentNamesItsStatus() throws Exception {
    int code = Failures.report(new DeployException("the proxy did not answer"), console, false);

    assertThat(code).isEqualTo(ExitCodes.FAILED);
    assertThat(document().path("status").asText()).isEqualTo("failed");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("the proxy did not answer");
  }

  @Test
  void aFirewallNameTakenByAnotherIsOneBadInputLineWithNoStackTrace() throws Exception {
    // The message Provisioner.up throws (ProvisionerTest asserts it is thrown before any change).
    var taken = new dev.deploykit.digitalocean.DigitalOceanException(
        dev.deploykit.digitalocean.DigitalOceanException.Kind.CONFLICT, "a firewall named deploykit-shop exists (fw-1)"
        + " that deploykit did not create (it does not apply to deploykit:shop); rename or delete it, then run again");

    int code = Failures.report(taken, console, false);

    assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
    String said = err.toString(StandardCharsets.UTF_8);
    assertThat(said.strip().lines()).hasSize(1);
    assertThat(said).contains("deploykit-shop").contains("did not create").contains("rename or delete it")
        .doesNotContain("unexpected").doesNotContain("at dev.deploykit");
    assertThat(document().path("error").asText()).contains("a firewall named deploykit-shop exists");
  }

  @Test
  void sshThatNeverAnsweredIsAFailureWhoseLineKeepsHowToDestroyTheDroplet() {
    var timedOut = new dev.deploykit.digitalocean.DigitalOceanException(
        dev.deploykit.digitalocean.DigitalOceanException.Kind.TIMED_OUT, "SSH to deploy@203.0.113.7:22 did not answer"
        + " within 3 s; last: refused; droplet 1 (shop-1) is kept: run deploykit do up again, or destroy it with"
        + " deploykit do down --yes");

    Failures.Failure f = Failures.describe(timedOut, false);

    assertThat(f.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(f.message()).isEqualTo(timedOut.getMessage());
  }
}
