package dev.deploykit.dbinit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlStatesTest {

  @ParameterizedTest
  @ValueSource(strings = {"08000", "08001", "08003", "08004", "08006", "57P03", "3D000"})
  void failuresThatHealByThemselvesAreRetried(String state) {
    assertThat(SqlStates.isTransient(state)).isTrue();
    assertThat(SqlStates.isTransient(new RuntimeException(new SQLException("x", state)))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"28P01", "28000", "42501", "53300", "XX000", "42P01"})
  void everythingElseIsNot(String state) {
    assertThat(SqlStates.isTransient(state)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"28P01", "28000"})
  void credentialsFailuresAreExplained(String state) {
    assertThat(SqlStates.explain(state)).containsAnyOf("wrong password", "no such role");
  }

  @org.junit.jupiter.api.Test
  void aFailureWithoutSqlStateIsNotRetried() {
    assertThat(SqlStates.isTransient(new IllegalStateException("bug"))).isFalse();
    assertThat(SqlStates.isTransient((String) null)).isFalse();
  }
}
