package dev.deploykit.cli;

import dev.deploykit.core.Stack;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupException;
import dev.deploykit.core.backup.DatabaseBackups;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "backups", description = {"The stack's database backups, newest first (folder and host volume).",
    "The stack's backups in the backup folder on this machine and in the backup volume on the stack's host"
        + " (when the host has it), newest first; each line says where the backup is (local or host)."})
final class DbBackupsCommand implements Callable<Integer> {
  @ParentCommand DbCommand db;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Override
  public Integer call() throws InterruptedException {
    return db.withBackups(this::list);
  }

  private int list(Console console, Stack stack, DatabaseBackups backups) {
    try {
      backups.interruptedRestore(stack).ifPresent(r -> console.error("note: " + r.describe()));
    } catch (BackupException e) {
      // The database is not running: listing the folder needs it not.
    }
    List<Backup> list = backups.list(stack);
    boolean volume = backups.volumeExists(stack);
    String where = backups.folder(stack) + (volume ? " and volume " + backups.volume(stack) + " on the host" : "");
    if (console.json()) {
      console.json(Json.write(Json.object("stack", stack.name(), "folder", backups.folder(stack),
          "volume", volume ? backups.volume(stack) : null, "backups", list)));
    } else if (list.isEmpty()) {
      console.line("Stack " + stack.name() + " has no backup in " + where + " yet: deploykit db backup");
    } else {
      console.line("Backups of " + stack.name() + " in " + where + ":");
      for (Backup b : list) {
        console.line(line(b) + console.dim("  " + b.reason()));
      }
    }
    return ExitCodes.OK;
  }

  /** One backup's line: id, time, size, where, server version, live release. */
  static String line(Backup b) {
    return b.id() + "  " + b.createdAt() + "  " + String.format(Locale.ROOT, "%10s", size(b.sizeBytes()))
        + "  " + String.format(Locale.ROOT, "%-5s", b.store().spelling()) + "  PostgreSQL " + b.serverVersion()
        + "  " + (b.liveRelease() == null ? "-" : b.liveRelease());
  }

  static String size(long bytes) {
    if (bytes < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
