package dev.deploykit.cli;

import dev.deploykit.core.Stack;
import dev.deploykit.core.backup.DatabaseBackups;
import dev.deploykit.core.backup.DrillResult;
import dev.deploykit.core.backup.RestoreOptions;
import dev.deploykit.core.backup.RestoreResult;
import dev.deploykit.core.backup.TableCount;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "restore", description = {
    "Restore a backup into the database (--verify: a drill in a scratch container).",
    "Restores BACKUP (an id from `deploykit db backups`, or a dump's path) into the stack's database: its"
        + " SHA-256 is checked first, the stack's lock is taken, the database must hold no table unless --clean,"
        + " the services holding connections are named, workers are stopped and started again, the web"
        + " service keeps serving unless --stop-web; pg_restore runs in one transaction. The tables and row"
        + " counts are reported after.",
    "--verify restores into a scratch PostgreSQL container of the database's image instead, compares every"
        + " table's row count and checksum with the database, and removes the scratch container."})
final class DbRestoreCommand implements Callable<Integer> {
  @ParentCommand DbCommand db;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Parameters(paramLabel = "BACKUP", description = "The backup's id, or the path of its .dump file.")
  String backup;

  @Option(names = "--clean", description = "Replace what the database holds (without it, a database with tables is refused).")
  boolean clean;

  @Option(names = "--stop-web", description = "Stop the web services for the restore too (default: they keep serving).")
  boolean stopWeb;

  @Option(names = "--verify", description = "A restore drill in a scratch container; the database is not touched.")
  boolean verify;

  @Override
  public Integer call() throws InterruptedException {
    return db.withBackups((console, stack, backups) ->
        verify ? drill(console, stack, backups) : restore(console, stack, backups));
  }

  private int restore(Console console, Stack stack, DatabaseBackups backups) {
    backups.interruptedRestore(stack).ifPresent(r -> console.error("note: " + r.describe()));
    Map<String, Integer> before = backups.connections(stack);
    console.step(before.isEmpty() ? "no service holds a connection to the database"
        : "connections to the database: " + before + "; workers are stopped for the restore and started again, "
            + (stopWeb ? "web services too" : "web services keep serving (--stop-web stops them)"));
    RestoreOptions options = RestoreOptions.defaults().withClean(clean)
        .withWeb(stopWeb ? RestoreOptions.WebDuringRestore.STOP : RestoreOptions.WebDuringRestore.SERVE);
    db.root.changingHost = true;
    RestoreResult r = backups.restore(stack, backup, options);
    if (console.json()) {
      console.json(Json.write(Json.object("ok", true, "restore", r)));
    } else {
      console.line(console.green("✔ ") + "restored backup " + r.backup().id() + " into " + r.backup().database()
          + " in " + String.format(Locale.ROOT, "%.1f s", r.elapsed().toMillis() / 1000.0)
          + (r.stopped().isEmpty() ? "" : "; stopped and started again: " + String.join(", ", r.stopped())));
      console.line(r.tables().size() + " table(s):");
      for (TableCount t : r.tables()) {
        console.line(String.format(Locale.ROOT, "  %-40s %12d rows", t.table(), t.rows()));
      }
    }
    return ExitCodes.OK;
  }

  private int drill(Console console, Stack stack, DatabaseBackups backups) throws InterruptedException {
    DrillResult r = backups.drill(stack, backup);
    if (console.json()) {
      console.json(Json.write(Json.object("ok", r.matches(), "drill", r, "matches", r.matches())));
    } else {
      for (DrillResult.Comparison c : r.tables()) {
        console.line(String.format(Locale.ROOT, "  %-40s source %12s  restored %12s  %s", c.table(),
            c.source() == null ? "missing" : c.source().rows() + " rows",
            c.restored() == null ? "missing" : c.restored().rows() + " rows",
            c.matches() ? console.green("same") : console.red("DIFFERENT")));
      }
      if (r.matches()) {
        console.line(console.green("✔ ") + "backup " + r.backup().id() + " restores: " + r.tables().size()
            + " table(s), every row count and checksum equal to the database's ("
            + String.format(Locale.ROOT, "%.1f s", r.elapsed().toMillis() / 1000.0) + ", scratch container removed)");
      } else {
        console.error("backup " + r.backup().id() + " restores, but " + r.tables().stream().filter(c -> !c.matches()).count()
            + " table(s) differ from the database now (it may have changed since the backup was taken)");
      }
    }
    return r.matches() ? ExitCodes.OK : ExitCodes.NOT_DEPLOYED;
  }
}
