package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.Release;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupException;
import dev.deploykit.core.backup.DatabaseBackups;
import dev.deploykit.core.engine.DockerHost;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Protocol step 4: the deployer's {@link dev.deploykit.core.DatabaseStep} (db-init by default),
 * after the accessories are up and before any new application container starts. A failure
 * refuses the release; an interrupt stays an interrupt.
 */
final class DatabasePreparation {
  private final RunContext run;
  private final DockerHost host;

  DatabasePreparation(RunContext run) {
    this(run, run.host);
  }

  /**
   * @param host the engine through which the database is reached: the stack's host, or on a
   *     Swarm cluster the manager seen through {@link dev.deploykit.core.internal.swarm.SwarmDatabaseHost}
   */
  DatabasePreparation(RunContext run, DockerHost host) {
    this.run = run;
    this.host = host;
  }

  /**
   * Empty when the database is ready; else the refusal's reason. Before migrations are applied,
   * the database is backed up when the stack's {@code db_init.backup} says so; the backup's id is
   * recorded in the release.
   */
  Optional<String> prepare(Release release) throws InterruptedException {
    try {
      Optional<String> refused = backUp(release);
      if (refused.isPresent()) {
        return refused;
      }
      run.settings.databaseStep().prepare(run.stack, host)
          .ifPresent(summary -> run.emit(new DeployEvent.DatabasePrepared(run.at(), summary)));
      return Optional.empty();
    } catch (DeployException e) {
      if (Interrupts.isInterrupt(e)) {
        throw e;
      }
      return Optional.of("database step: " + e.getMessage());
    }
  }

  private Optional<String> backUp(Release release) throws InterruptedException {
    DatabaseSettings db = run.stack.settings().database();
    if (db == null || !db.backup().beforeMigrations()) {
      return Optional.empty();
    }
    List<String> pending = run.settings.databaseStep().pending(run.stack, host);
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    long t0 = run.time.nanoTime();
    try {
      DatabaseBackups backups = DatabaseBackups.builder(host).owner(run.settings.owner()).clock(run.clock)
          .timeSource(run.time).build();
      if (!backups.holdsTables(run.stack)) {
        return Optional.empty();
      }
      Backup backup = backups.backup(run.stack, "before release " + release.id() + " (" + pending.size()
          + " pending migration(s))");
      run.save(run.history().find(release.id()).orElse(release).withBackup(backup.id()));
      run.emit(new DeployEvent.DatabaseBackedUp(run.at(), backup.id(), pending,
          Duration.ofNanos(run.time.nanoTime() - t0), backup.location() + ", " + backup.sizeBytes() + " bytes"));
      return Optional.empty();
    } catch (BackupException e) {
      if (db.backup().required()) {
        return Optional.of("the backup before " + pending.size() + " pending migration(s) failed, so none was"
            + " applied: " + e.getMessage() + " (x-deploykit.db_init.backup.required: false lets a release"
            + " migrate without it)");
      }
      run.emit(new DeployEvent.DatabaseBackedUp(run.at(), null, pending, Duration.ofNanos(run.time.nanoTime() - t0),
          e.getMessage()));
      return Optional.empty();
    }
  }
}
