package dev.deploykit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupSettings;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The {@code --store} flag and the listing's line, without a Docker engine. */
class DbBackupCommandTest {
  @Test
  void storeIsLocalOrHostInAnyCaseAndAbsentWhenNotGiven() {
    assertThat(DbBackupCommand.store(null)).isNull();
    assertThat(DbBackupCommand.store("host")).isEqualTo(BackupSettings.Store.HOST);
    assertThat(DbBackupCommand.store(" LOCAL ")).isEqualTo(BackupSettings.Store.LOCAL);
    assertThatThrownBy(() -> DbBackupCommand.store("disk")).isInstanceOf(UserError.class)
        .hasMessage("--store must be local (a folder on this machine) or host (a volume on the stack's host),"
            + " found \"disk\"");
  }

  @Test
  void aBadStoreIsBadInputBeforeAnyConnection() {
    assertThat(Main.execute("db", "backup", "--store", "disk")).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void theListingSaysWhereEachBackupIs() {
    Instant at = Instant.parse("2026-12-02T01:02:03Z");
    Backup local = new Backup("a", "shop", "db", "app", at, 48_213, "00", null, "18.1", "by hand", Path.of("/b/a.dump"));
    Backup host = local.inVolume("deploykit-shop-backups");
    assertThat(DbBackupsCommand.line(local)).isEqualTo("a  2026-12-02T01:02:03Z     48.2 kB  local  PostgreSQL 18.1  -");
    assertThat(DbBackupsCommand.line(host)).isEqualTo("a  2026-12-02T01:02:03Z     48.2 kB  host   PostgreSQL 18.1  -");
  }
}
