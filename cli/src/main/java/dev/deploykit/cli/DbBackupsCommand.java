package dev.deploykit.cli;

import dev.deploykit.core.Stack;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.DatabaseBackups;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "backups", description = "The stack's database backups in the backup folder, newest first.")
final class DbBackupsCommand implements Callable<Integer> {
  @ParentCommand DbCommand db;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Override
  public Integer call() throws InterruptedException {
    return db.withBackups(this::list);
  }

  private int list(Console console, Stack stack, DatabaseBackups backups) {
    List<Backup> list = backups.list(stack);
    if (console.json()) {
      console.json(Json.write(Json.object("stack", stack.name(), "folder", backups.folder(stack), "backups", list)));
    } else if (list.isEmpty()) {
      console.line("Stack " + stack.name() + " has no backup in " + backups.folder(stack) + " yet: deploykit db backup");
    } else {
      console.line("Backups of " + stack.name() + " in " + backups.folder(stack) + ":");
      for (Backup b : list) {
        console.line(b.id() + "  " + b.createdAt() + "  " + String.format(Locale.ROOT, "%10s", size(b.sizeBytes()))
            + "  PostgreSQL " + b.serverVersion() + "  " + (b.liveRelease() == null ? "-" : b.liveRelease())
            + console.dim("  " + b.reason()));
      }
    }
    return ExitCodes.OK;
  }

  static String size(long bytes) {
    if (bytes < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
