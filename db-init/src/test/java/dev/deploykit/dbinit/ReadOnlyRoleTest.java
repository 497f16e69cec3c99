package dev.deploykit.dbinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deploykit.dbinit.PgServer.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The read-only role: what it may do, what it may not, and how it is kept up to date. */
@ExtendWith(PgServer.Extension.class)
class ReadOnlyRoleTest {

  @Test
  void canReadTablesMadeByMigrationsThatRanAfterTheRoleWasCreated(PgServer pg)
      throws SQLException {
    TestDatabase db = pg.newDatabase();
    db.builder().locations("classpath:db/ok").readOnlyRole(db.readOnly(), db.readOnlyPassword())
        .build().run();

    DbInitResult later = db.builder().locations("classpath:db/ok", "classpath:db/later")
        .readOnlyRole(db.readOnly(), db.readOnlyPassword()).build().run();

    // Default privileges granted SELECT on the new table as the migration created it, so the
    // role step found nothing to do.
    assertThat(later.role().change()).isEqualTo(RoleChange.UNCHANGED);
    try (Connection ro = db.asReadOnly()) {
      assertThat(PgServer.queryAll(ro, "SELECT order_id::text FROM invoices")).containsExactly("1");
    }
  }

  @Test
  void defaultPrivilegesCoverTablesTheOwnerCreatesOutsideDbInit(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    db.builder().locations("classpath:db/ok").readOnlyRole(db.readOnly(), db.readOnlyPassword())
        .build().run();
    try (Connection owner = db.asOwner()) {
      PgServer.execute(owner, "CREATE TABLE made_by_hand (x int)");
      PgServer.execute(owner, "INSERT INTO made_by_hand VALUES (42)");
    }
    try (Connection ro = db.asReadOnly()) {
      assertThat(PgServer.queryAll(ro, "SELECT x::text FROM made_by_hand")).containsExactly("42");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO orders VALUES (9, 'x', 1)",
      "UPDATE customers SET name = 'Eve'",
      "DELETE FROM customers",
      "TRUNCATE customers",
      "CREATE TABLE intruder (x int)",
      "ALTER TABLE customers ADD COLUMN y int",
      "DROP TABLE customers"})
  void cannotWriteOrChangeAnything(String statement, PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    db.builder().locations("classpath:db/ok").readOnlyRole(db.readOnly(), db.readOnlyPassword())
        .build().run();

    try (Connection ro = db.asReadOnly()) {
      assertThatThrownBy(() -> PgServer.execute(ro, statement))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
              .as("insufficient_privilege or must be owner").isEqualTo("42501"));
    }
    try (Connection owner = db.asOwner()) {
      assertThat(PgServer.queryAll(owner, "SELECT name FROM customers ORDER BY id"))
          .containsExactly("Ada", "Grace");
    }
  }

  @Test
  void aNewPasswordIsSetAndReportedAsAnUpdate(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    DbInit.Builder base = db.builder().locations("classpath:db/ok");
    base.readOnlyRole(db.readOnly(), db.readOnlyPassword()).build().run();

    DbInitResult result = base.readOnlyRole(db.readOnly(), "a-new-ro-password-551").build().run();

    assertThat(result.role().change()).isEqualTo(RoleChange.UPDATED);
    assertThat(result.migrations().changed()).isFalse();
    try (Connection ro = pg.connect(db.name(), db.readOnly(), "a-new-ro-password-551")) {
      assertThat(PgServer.queryAll(ro, "SELECT current_user")).containsExactly(db.readOnly());
    }
    assertThatThrownBy(() -> db.asReadOnly()).isInstanceOfSatisfying(SQLException.class,
        e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
  }

  @Test
  void extraPrivilegesGrantedByHandAreTakenBack(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    DbInit init = db.builder().locations("classpath:db/ok")
        .readOnlyRole(db.readOnly(), db.readOnlyPassword()).build();
    init.run();
    try (Connection owner = db.asOwner()) {
      PgServer.execute(owner, "GRANT INSERT, DELETE ON customers TO " + db.readOnly());
    }

    assertThat(init.run().role().change()).isEqualTo(RoleChange.UPDATED);

    try (Connection ro = db.asReadOnly()) {
      assertThatThrownBy(() -> PgServer.execute(ro, "DELETE FROM customers"))
          .isInstanceOfSatisfying(SQLException.class,
              e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    }
    assertThat(init.run().role().change()).isEqualTo(RoleChange.UNCHANGED);
  }

  @Test
  void aSuperuserOfTheSameNameIsRefused(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    try (Connection admin = pg.admin()) {
      PgServer.execute(admin, "CREATE ROLE " + db.readOnly() + " SUPERUSER LOGIN");
    }

    DbInitException e = catchThrowableOfType(DbInitException.class, () -> db.builder()
        .locations("classpath:db/ok").readOnlyRole(db.readOnly(), db.readOnlyPassword()).build()
        .run());

    assertThat(e.step()).isEqualTo(DbInitException.Step.ROLE);
    assertThat(e.getMessage()).contains(db.readOnly()).contains("superuser");
  }

  @Test
  void thePasswordReachesTheServerOnlyAsAScramVerifier(PgServer pg)
      throws SQLException, IOException {
    TestDatabase db = pg.newDatabase();

    db.builder().locations("classpath:db/ok").readOnlyRole(db.readOnly(), db.readOnlyPassword())
        .build().run();

    // The server logs every statement (log_statement = all): the ALTER ROLE is there, with a
    // verifier, and the password is not.
    String serverLog = Files.readString(pg.serverLog());
    assertThat(serverLog).containsPattern("(?i)ALTER USER \"" + db.readOnly()
        + "\" PASSWORD 'SCRAM-SHA-256\\$4096:");
    assertThat(serverLog).doesNotContain(db.readOnlyPassword());
    try (Connection admin = pg.admin()) {
      assertThat(PgServer.queryAll(admin, "SELECT rolpassword FROM pg_authid WHERE rolname = '"
          + db.readOnly() + "'")).singleElement().asString().startsWith("SCRAM-SHA-256$");
    }
  }
}
