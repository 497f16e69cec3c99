package dev.deploykit.dbinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DbInitResultTest {

  @Test
  void toStringSaysWhatChangedStepByStep() {
    DbInitResult result = new DbInitResult("db:5432/app as app", Duration.ofMillis(1250), 7,
        new MigrationReport("3", "4", List.of(new AppliedMigration("4", "add index",
            "db/migration/V4__add_index.sql", Duration.ofMillis(12)))),
        new RoleReport("app_ro", RoleChange.UPDATED), List.of("public.orders"),
        Duration.ofMillis(1400));

    assertThat(result.changed()).isTrue();
    assertThat(result.toString()).isEqualTo("""
        db-init db:5432/app as app: changed in 1400 ms
          waited 1250 ms (7 attempts)
          schema 3 -> 4, applied 1: [V4 add index (db/migration/V4__add_index.sql, 12 ms)]
          read-only role app_ro updated
          verified 1 tables: [public.orders]""");
  }

  @Test
  void nothingAppliedAndAnUnchangedRoleIsUnchanged() {
    DbInitResult result = new DbInitResult("db:5432/app as app", Duration.ZERO, 1,
        new MigrationReport("4", "4", List.of()), new RoleReport("app_ro", RoleChange.UNCHANGED),
        List.of(), Duration.ofMillis(80));

    assertThat(result.changed()).isFalse();
    assertThat(result.toString()).startsWith("db-init db:5432/app as app: unchanged in 80 ms")
        .contains("schema unchanged at version 4");
  }

  @Test
  void valuesAreValidated() {
    assertThatThrownBy(() -> new RoleReport(null, RoleChange.CREATED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DbInitResult("t", Duration.ZERO, 0,
        new MigrationReport(null, null, List.of()), RoleReport.notConfigured(), List.of(),
        Duration.ZERO)).hasMessageContaining("attempts");
  }
}
