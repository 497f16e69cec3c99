package dev.deploykit.dbinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deploykit.dbinit.PgServer.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The happy paths and the migration failures, against embedded PostgreSQL 18.1. */
@ExtendWith(PgServer.Extension.class)
class DbInitTest {
  private static final Logger log = LoggerFactory.getLogger(DbInitTest.class);

  @Test
  void firstRunMigratesCreatesTheRoleAndVerifiesTheTables(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();

    DbInitResult result = db.builder().locations("classpath:db/ok")
        .readOnlyRole(db.readOnly(), db.readOnlyPassword()).build().run();

    assertThat(result.changed()).isTrue();
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.migrations().fromVersion()).isNull();
    assertThat(result.migrations().toVersion()).isEqualTo("2");
    assertThat(result.migrations().applied()).extracting(AppliedMigration::version)
        .containsExactly("1", "2");
    assertThat(result.migrations().applied()).extracting(AppliedMigration::script)
        .allSatisfy(script -> assertThat(script).contains("db/ok/V"));
    assertThat(result.role()).isEqualTo(new RoleReport(db.readOnly(), RoleChange.CREATED));
    assertThat(result.tablesVerified()).containsExactly("public.customers", "public.orders");
    assertThat(db.appliedVersions()).containsExactly("1:true", "2:true");
    assertThat(result.toString()).contains("changed").contains("empty -> 2")
        .contains("read-only role " + db.readOnly() + " created")
        .contains("verified 2 tables");
  }

  @Test
  void rerunChangesNothingAndSaysUnchanged(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    DbInit init = db.builder().locations("classpath:db/ok")
        .readOnlyRole(db.readOnly(), db.readOnlyPassword()).build();
    init.run();

    DbInitResult again = init.run();

    assertThat(again.changed()).isFalse();
    assertThat(again.migrations().applied()).isEmpty();
    assertThat(again.migrations().fromVersion()).isEqualTo("2");
    assertThat(again.migrations().toVersion()).isEqualTo("2");
    assertThat(again.role().change()).isEqualTo(RoleChange.UNCHANGED);
    assertThat(again.toString()).contains(": unchanged in").contains("schema unchanged at version 2")
        .contains("read-only role " + db.readOnly() + " unchanged");
    assertThat(db.appliedVersions()).containsExactly("1:true", "2:true");
  }

  @Test
  void laterMigrationsApplyOnTopAndOnlyThem(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    db.builder().locations("classpath:db/ok").build().run();

    DbInitResult result = db.builder().locations("classpath:db/ok", "classpath:db/later").build()
        .run();

    assertThat(result.migrations().fromVersion()).isEqualTo("2");
    assertThat(result.migrations().toVersion()).isEqualTo("3");
    assertThat(result.migrations().applied()).extracting(AppliedMigration::version)
        .containsExactly("3");
    assertThat(result.role()).isEqualTo(RoleReport.notConfigured());
  }

  @Test
  void placeholdersReachTheMigrations(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();

    DbInitResult result = db.builder().locations("classpath:db/ok", "classpath:db/grow")
        .placeholders(Map.of("tableName", "from_placeholder")).build().run();

    assertThat(result.tablesVerified()).contains("public.from_placeholder");
  }

  @Test
  void expectedTablesAreCheckedAndMissingOnesListed(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    DbInit.Builder base = db.builder().locations("classpath:db/ok");

    assertThat(base.expectedTables("orders", "public.customers").build().run().tablesVerified())
        .containsExactly("public.orders", "public.customers");

    DbInitException e = catchThrowableOfType(DbInitException.class,
        () -> base.expectedTables("orders", "shipments", "public.returns").build().run());
    log.info("{}", e.getMessage());
    assertThat(e.step()).isEqualTo(DbInitException.Step.VERIFY);
    assertThat(e.getMessage()).contains("2 expected table(s) missing: shipments, public.returns")
        .contains(db.name());
  }

  @Test
  void aMigrationWithAnSqlErrorNamesFileAndStatementAndIsRolledBack(PgServer pg)
      throws SQLException {
    TestDatabase db = pg.newDatabase();

    DbInitException e = catchThrowableOfType(DbInitException.class,
        () -> db.builder().locations("classpath:db/bad").build().run());

    log.info("{}", e.getMessage());

    assertThat(e.step()).isEqualTo(DbInitException.Step.MIGRATE);
    assertThat(e.sqlState()).isEqualTo("42P01");
    assertThat(e.where()).contains("V2__half_done.sql").contains("line 3").contains(db.name());
    assertThat(e.getMessage()).contains("V2__half_done.sql")
        .contains("relation \"no_such_table\" does not exist")
        .contains("INSERT INTO no_such_table VALUES (1)")
        .contains("rolled back");
    // V1 stays; nothing of V2 survives: transactional DDL.
    assertThat(db.tables()).containsExactly("flyway_schema_history", "orders");
    assertThat(db.appliedVersions()).containsExactly("1:true");
  }

  @Test
  void aChecksumMismatchStopsBeforeApplyingAnything(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    db.builder().locations("classpath:db/ok").build().run();

    DbInitException e = catchThrowableOfType(DbInitException.class,
        () -> db.builder().locations("classpath:db/changed").build().run());

    log.info("{}", e.getMessage());

    assertThat(e.step()).isEqualTo(DbInitException.Step.MIGRATE);
    assertThat(e.getMessage()).containsIgnoringCase("checksum mismatch")
        .contains("version 1").contains(db.name());
    assertThat(db.tables()).doesNotContain("refunds");
    assertThat(db.appliedVersions()).containsExactly("1:true", "2:true");
  }

  @Test
  void aMissingLocationIsAnErrorNotAnEmptyRun(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();

    DbInitException e = catchThrowableOfType(DbInitException.class,
        () -> db.builder().locations("classpath:db/no-such-dir").build().run());

    log.info("{}", e.getMessage());

    assertThat(e.step()).isEqualTo(DbInitException.Step.MIGRATE);
    assertThat(e.getMessage()).contains("db/no-such-dir");
    assertThat(db.tables()).doesNotContain("orders");
  }

  @Test
  void anExistingSchemaWithoutHistoryIsBaselinedOnlyWhenAsked(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    try (Connection c = db.asOwner()) {
      PgServer.execute(c, "CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL,"
          + " price numeric(8, 2) NOT NULL)");
    }

    DbInitException e = catchThrowableOfType(DbInitException.class,
        () -> db.builder().locations("classpath:db/ok").build().run());
    log.info("{}", e.getMessage());
    assertThat(e.step()).isEqualTo(DbInitException.Step.MIGRATE);
    assertThat(e.getMessage()).contains("baselineVersion");
    assertThat(db.tables()).containsExactly("orders");

    DbInitResult result = db.builder().locations("classpath:db/ok").baselineVersion("1").build()
        .run();
    assertThat(result.migrations().applied()).extracting(AppliedMigration::version)
        .containsExactly("2");
    assertThat(db.tables()).containsExactly("customers", "flyway_schema_history", "orders");
  }

  @Test
  void aMigrationThatWaitsForALockGivesUpAfterLockTimeoutAndIsRolledBack(PgServer pg)
      throws SQLException {
    TestDatabase db = pg.newDatabase();
    db.builder().locations("classpath:db/lock").build().run();
    try (Connection reader = db.asOwner()) {
      reader.setAutoCommit(false);
      // An open transaction that read the table holds a lock the ALTER TABLE must wait for.
      PgServer.queryAll(reader, "SELECT id::text FROM orders");

      DbInitException e = catchThrowableOfType(DbInitException.class,
          () -> db.builder().locations("classpath:db/lock", "classpath:db/lock2")
              .lockTimeout(Duration.ofMillis(200)).build().run());

      log.info("{}", e.getMessage());

      assertThat(e.step()).isEqualTo(DbInitException.Step.MIGRATE);
      assertThat(e.sqlState()).isEqualTo("55P03");
      assertThat(e.getMessage()).contains("V2__add_column.sql").contains("lock_timeout 200 ms");
      reader.rollback();
    }
    try (Connection c = db.asOwner()) {
      assertThat(PgServer.queryAll(c, "SELECT column_name::text FROM information_schema.columns"
          + " WHERE table_name = 'orders' ORDER BY ordinal_position"))
          .containsExactly("id", "item", "price");
    }
    assertThat(db.appliedVersions()).containsExactly("1:true");
  }

  @Test
  void builderRejectsIncompleteOrConflictingSettingsNamingThem() {
    assertThatThrownBy(() -> DbInit.builder().host("h").database("d").build())
        .isInstanceOf(DbInitException.class).hasMessageContaining("owner(role, password)");
    assertThatThrownBy(() -> DbInit.builder().owner("app", "pw").build())
        .isInstanceOf(DbInitException.class).hasMessageContaining("jdbcUrl, or host and database");
    assertThatThrownBy(() -> DbInit.builder().owner("app", "pw").host("h").database("d")
        .jdbcUrl("jdbc:postgresql://h/d").build())
        .isInstanceOf(DbInitException.class).hasMessageContaining("not both");
    assertThatThrownBy(() -> DbInit.builder().owner("app", "pw").host("h").database("d")
        .readOnlyRole("app", "x").build())
        .hasMessageContaining("readOnlyRole must differ");
    assertThatThrownBy(() -> DbInit.builder().port(0)).hasMessageContaining("port");
    assertThatThrownBy(() -> DbInit.builder().timeout(Duration.ZERO))
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> DbInit.builder().lockTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("lockTimeout must be positive");
    assertThatThrownBy(() -> DbInit.builder().locations())
        .hasMessageContaining("locations");
    assertThatThrownBy(() -> DbInit.builder().jdbcUrl("jdbc:mysql://h/d"))
        .hasMessageContaining("not a PostgreSQL JDBC URL");
    assertThatThrownBy(() -> DbInit.builder().jdbcUrl("jdbc:postgresql://h/d?password=hunter2"))
        .hasMessageContaining("holds a password").hasMessageNotContaining("hunter2");
  }

  @Test
  void aJdbcUrlWorksAsWellAsHostPortDatabase(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();

    DbInitResult result = DbInit.builder()
        .jdbcUrl("jdbc:postgresql://localhost:" + pg.port() + "/" + db.name() + "?sslmode=disable")
        .owner(db.owner(), db.ownerPassword()).locations("classpath:db/ok").build().run();

    assertThat(result.target()).isEqualTo("localhost:" + pg.port() + "/" + db.name() + " as "
        + db.owner());
    assertThat(result.migrations().toVersion()).isEqualTo("2");
  }

  @Test
  void newBuilderMakesAModifiedCopy() {
    DbInit first = DbInit.builder().host("h").database("d").owner("app", "pw").build();
    DbInit second = first.newBuilder().database("other").build();
    assertThat(first.toString()).contains("h:5432/d as app");
    assertThat(second.toString()).contains("h:5432/other as app");
  }
}
