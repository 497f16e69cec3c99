package dev.deploykit.cli;

import dev.deploykit.core.Stack;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.DatabaseBackups;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup", description = {
    "Back the database up now (pg_dump in its container, streamed here).",
    "Backs the stack's database up now: pg_dump -Fc runs inside the database container and streams to the"
        + " backup folder on this machine, with a metadata file (size, SHA-256, time, live release, PostgreSQL"
        + " version); retention (db_init.backup.keep, max_age) runs after it."})
final class DbBackupCommand implements Callable<Integer> {
  @ParentCommand DbCommand db;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the listing (default: by hand).")
  String reason = "by hand";

  @Override
  public Integer call() throws InterruptedException {
    return db.withBackups(this::backup);
  }

  private int backup(Console console, Stack stack, DatabaseBackups backups) {
    backups.interruptedRestore(stack).ifPresent(r -> console.error("note: " + r.describe()));
    Backup b = backups.backup(stack, reason);
    if (console.json()) {
      console.json(Json.write(Json.object("ok", true, "backup", b, "folder", backups.folder(stack))));
    } else {
      console.line(console.green("✔ ") + "backup " + b.id() + ": " + b.file() + " (" + DbBackupsCommand.size(b.sizeBytes())
          + ", sha256 " + b.sha256().substring(0, 12) + "..., PostgreSQL " + b.serverVersion()
          + (b.liveRelease() == null ? "" : ", live release " + b.liveRelease()) + ")");
    }
    return ExitCodes.OK;
  }
}
