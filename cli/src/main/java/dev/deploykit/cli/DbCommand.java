package dev.deploykit.cli;

import dev.deploykit.core.Stack;
import dev.deploykit.core.backup.BackupSettings;
import dev.deploykit.core.backup.DatabaseBackups;
import dev.deploykit.core.engine.DockerHost;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "db", description = {
    "Back up, list and restore the stack's database (backup, backups, restore).",
    "Backs up, lists and restores the PostgreSQL database that the stack's x-deploykit.db_init names:"
        + " pg_dump runs inside the database container and the dump streams to a folder on this machine"
        + " (--folder, else db_init.backup.folder, else ~/.local/share/deploykit/backups/STACK), or is kept on"
        + " the stack's host in a backup volume (db backup --store host, or db_init.backup.store: host), with the"
        + " host's transport (local or --host ssh://...). See docs/database.md."},
    subcommands = {DbBackupCommand.class, DbBackupsCommand.class, DbRestoreCommand.class})
final class DbCommand extends CommandGroup {
  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Option(names = "--folder", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Where backups are (default: db_init.backup.folder, else ~/.local/share/deploykit/backups/STACK).")
  @Nullable Path folder;

  @Override
  String missingCommand() {
    return "db needs a subcommand: backup, backups or restore";
  }

  /** What a subcommand does with the stack and its backups on the connected host. */
  @FunctionalInterface
  interface BackupsWork {
    int run(Console console, Stack stack, DatabaseBackups backups) throws InterruptedException;
  }

  /** Loads the stack (it must name a database), connects to its host and runs {@code work} there. */
  int withBackups(BackupsWork work) throws InterruptedException {
    return withBackups(null, work);
  }

  /** As {@link #withBackups(BackupsWork)}, new backups going to {@code store} (null: the stack's setting). */
  int withBackups(BackupSettings.@Nullable Store store, BackupsWork work) throws InterruptedException {
    Console console = root.console();
    Stack stack = stack();
    try (DockerHost host = root.connect()) {
      return work.run(console, stack, backups(host, null, store));
    }
  }

  /** The library's backups of this run, saying each step on the console. */
  DatabaseBackups backups(DockerHost host, @Nullable Path subcommandFolder, BackupSettings.@Nullable Store store) {
    Console console = root.console();
    DatabaseBackups.Builder b = DatabaseBackups.builder(host).progress(console::step);
    if (store != null) {
      b.store(store);
    }
    Path dir = subcommandFolder != null ? subcommandFolder : folder;
    if (dir != null) {
      b.folder(dir);
    }
    return b.build();
  }

  /** A stack with a database, or the bad-input line saying what to add. */
  Stack stack() {
    Stack stack = root.loadStack();
    if (stack.settings().database() == null) {
      throw UserError.badInput(root.stackFile() + ": the stack has no x-deploykit.db_init block, so deploykit"
          + " knows no database to back up or restore. Add one (service, database, user, password).");
    }
    if (stack.settings().engine() == dev.deploykit.core.Engine.SWARM) {
      throw UserError.badInput(root.stackFile() + ": the stack runs on a Swarm cluster (x-deploykit.engine:"
          + " swarm), where `deploykit db` does not back up or restore yet (docs/swarm.md, Status); a release"
          + " there backs the database up before it migrates, into x-deploykit.db_init.backup.folder.");
    }
    return stack;
  }
}
