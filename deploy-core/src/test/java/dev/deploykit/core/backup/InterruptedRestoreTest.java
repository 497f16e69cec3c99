package dev.deploykit.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the next run says about a restore that did not finish, in each state it can be left in. */
class InterruptedRestoreTest {
  private static final Instant AT = Instant.parse("2026-12-02T05:00:00Z");

  @Test
  void cutOffItSaysTheDatabaseHoldsWhatItHeldAndHowToFinish() {
    assertThat(new InterruptedRestore("b1", AT, "ops@laptop", false).describe()).isEqualTo("a restore of backup b1"
        + " started 2026-12-02T05:00:00Z by ops@laptop did not finish; it runs in one transaction, so the database"
        + " holds what it held before that restore; finish it with `deploykit db restore --clean b1`");
    assertThat(new InterruptedRestore("b1", AT, "ops", false, false, List.of("worker")).describe())
        .contains("the services it stopped (worker) are still stopped", "(it starts them again)");
  }

  @Test
  void stillRunningItSaysToWait() {
    assertThat(new InterruptedRestore("b1", AT, "ops", true, false, List.of("worker")).describe())
        .contains("is still running in the database", "(worker) are still stopped", "wait for it to end")
        .doesNotContain("finish it");
  }

  @Test
  void restoredButKilledBeforeStartingTheServicesItNamesThem() {
    assertThat(new InterruptedRestore("b1", AT, "ops", false, true, List.of("worker", "app")).describe())
        .contains("restored the database", "before it started the services it stopped again (worker, app)",
            "`deploykit db restore --clean b1` (it restores again and starts them)");
  }
}
