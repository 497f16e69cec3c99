package dev.deploykit.cli;

import dev.deploykit.core.Stack;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupSettings;
import dev.deploykit.core.backup.DatabaseBackups;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup", description = {
    "Back the database up now (pg_dump in its container, streamed here or kept on the host).",
    "Backs the stack's database up now: pg_dump -Fc runs inside the database container and streams to the"
        + " backup folder on this machine, or (--store host, or db_init.backup.store: host) runs on the stack's"
        + " host in a helper container of the database's image and writes into the backup volume there"
        + " (db_init.backup.volume, default deploykit-STACK-backups); with a metadata file (size, SHA-256, time,"
        + " live release, PostgreSQL version) either way. Retention (db_init.backup.keep, max_age) runs after it."})
final class DbBackupCommand implements Callable<Integer> {
  @ParentCommand DbCommand db;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the listing (default: by hand).")
  String reason = "by hand";

  @Option(names = "--store", paramLabel = "local|host", description = "Where the backup goes: local (the backup"
      + " folder on this machine) or host (the backup volume on the stack's host); default db_init.backup.store,"
      + " else local.")
  @Nullable String store;

  @Override
  public Integer call() throws InterruptedException {
    BackupSettings.Store chosen = store(store);
    return db.withBackups(chosen, this::backup);
  }

  /** The --store value, or null when not given; a bad one is bad input naming both spellings. */
  static BackupSettings.@Nullable Store store(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      return BackupSettings.Store.parse(text);
    } catch (IllegalArgumentException e) {
      throw UserError.badInput("--store " + e.getMessage());
    }
  }

  private int backup(Console console, Stack stack, DatabaseBackups backups) {
    backups.interruptedRestore(stack).ifPresent(r -> console.error("note: " + r.describe()));
    Backup b = backups.backup(stack, reason);
    if (console.json()) {
      console.json(Json.write(Json.object("ok", true, "backup", b, "store", b.store().spelling(),
          "folder", backups.folder(stack), "volume", backups.volume(stack))));
    } else {
      console.line(console.green("✔ ") + "backup " + b.id() + ": " + b.location() + " (" + DbBackupsCommand.size(b.sizeBytes())
          + ", sha256 " + b.sha256().substring(0, 12) + "..., PostgreSQL " + b.serverVersion()
          + (b.liveRelease() == null ? "" : ", live release " + b.liveRelease()) + ")");
    }
    return ExitCodes.OK;
  }
}
