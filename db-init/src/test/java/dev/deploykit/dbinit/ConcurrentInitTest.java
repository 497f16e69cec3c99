package dev.deploykit.dbinit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.dbinit.PgServer.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Initializers started at the same moment against one database, as app replicas do. */
@ExtendWith(PgServer.Extension.class)
class ConcurrentInitTest {

  @Test
  void threeInitializersAtOnceApplyEachMigrationOnceAndAllSucceed(PgServer pg) throws Exception {
    TestDatabase db = pg.newDatabase();
    DbInit init = db.builder().locations("classpath:db/ok", "classpath:db/later")
        .readOnlyRole(db.readOnly(), db.readOnlyPassword()).build();
    int n = 3;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<DbInitResult>> runs = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      for (int i = 0; i < n; i++) {
        runs.add(pool.submit(() -> {
          start.await();
          return init.run();
        }));
      }
      start.countDown();
      List<DbInitResult> results = new ArrayList<>();
      for (Future<DbInitResult> run : runs) {
        results.add(run.get(60, TimeUnit.SECONDS));
      }

      assertThat(results).flatExtracting(r -> r.migrations().applied())
          .extracting(AppliedMigration::version).containsExactlyInAnyOrder("1", "2", "3");
      assertThat(results).allSatisfy(r -> {
        assertThat(r.migrations().toVersion()).isEqualTo("3");
        assertThat(r.tablesVerified()).containsExactly("public.customers", "public.invoices",
            "public.orders");
      });
      assertThat(results).extracting(r -> r.role().change())
          .containsOnlyOnce(RoleChange.CREATED);
    }
    assertThat(db.appliedVersions()).containsExactly("1:true", "2:true", "3:true");
  }

  @Test
  void rolesSetUpConcurrentlyByInitializersOfDifferentDatabasesDoNotCollide(PgServer pg)
      throws SQLException, Exception {
    TestDatabase a = pg.newDatabase();
    TestDatabase b = pg.newDatabase();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<DbInitResult> ra = pool.submit(() -> {
        start.await();
        return a.builder().locations("classpath:db/ok")
            .readOnlyRole(a.readOnly(), a.readOnlyPassword()).build().run();
      });
      Future<DbInitResult> rb = pool.submit(() -> {
        start.await();
        return b.builder().locations("classpath:db/ok")
            .readOnlyRole(b.readOnly(), b.readOnlyPassword()).build().run();
      });
      start.countDown();
      assertThat(ra.get(60, TimeUnit.SECONDS).role().change()).isEqualTo(RoleChange.CREATED);
      assertThat(rb.get(60, TimeUnit.SECONDS).role().change()).isEqualTo(RoleChange.CREATED);
    }
  }
}
