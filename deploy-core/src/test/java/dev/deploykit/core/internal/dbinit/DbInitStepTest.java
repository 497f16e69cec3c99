package dev.deploykit.core.internal.dbinit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.dbinit.DbInitException;
import org.junit.jupiter.api.Test;

/** Which db-init failures are a broken link to the server, worth one more run. */
class DbInitStepTest {
  @Test
  void aConnectionExceptionIsRunAgainASqlErrorIsNot() {
    assertThat(DbInitStep.connectionLost(failure("08006"))).isTrue();
    assertThat(DbInitStep.connectionLost(failure("08001"))).isTrue();
    assertThat(DbInitStep.connectionLost(failure("42P01"))).isFalse();
    assertThat(DbInitStep.connectionLost(failure("28P01"))).isFalse();
    assertThat(DbInitStep.connectionLost(failure(null))).isFalse();
  }

  private static DbInitException failure(String sqlState) {
    return new DbInitException(DbInitException.Step.values()[0], "failed", "localhost:5432/app", null, sqlState, null);
  }
}
