package dev.deploykit.cli;

import dev.deploykit.core.DatabaseStep;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Stack;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "db-init", description = {
    "Prepare the database now: wait for it, migrate, keep the read-only role.",
    "Prepares the stack's database now, as a deploy does: waits for PostgreSQL, runs the Flyway"
        + " migrations, keeps the read-only role, as the stack's x-deploykit.db_init says.",
    "The database accessory must be running (deploykit deploy starts it)."})
final class DbInitCommand implements Callable<Integer> {
  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Override
  public Integer call() throws InterruptedException {
    Console console = root.console();
    Stack stack = root.loadStack();
    if (Optional.ofNullable(stack.settings().database()).isEmpty()) {
      throw UserError.badInput(root.stackFile() + ": the stack has no x-deploykit.db_init block, so there"
          + " is no database to prepare. Add one (service, database, user, password, migrations).");
    }
    try (DockerHost host = root.connect()) {
      long t0 = System.nanoTime();
      Optional<String> summary;
      try (Console.Progress p = console.progress("db-init on " + Optional.ofNullable(stack.settings().database()).get().service())) {
        if (stack.settings().engine() == dev.deploykit.core.Engine.SWARM) {
          // The database's task runs on the manager; it is reached through a relay there.
          try (DockerHost database = dev.deploykit.core.swarm.SwarmCluster.of(host)
              .databaseHost(stack, Releasing.proxyImage(host, dev.deploykit.images.ImageSource.AUTO, console))) {
            summary = DatabaseStep.fromStack().prepare(stack, database);
          }
        } else {
          summary = DatabaseStep.fromStack().prepare(stack, host);
        }
      }
      String text = summary.orElse("nothing to do");
      if (console.json()) {
        console.json(Json.write(Json.object("ok", true, "summary", text,
            "elapsed", java.time.Duration.ofNanos(System.nanoTime() - t0))));
      } else {
        console.line(console.green("✔ ") + "database prepared: " + text);
      }
      return ExitCodes.OK;
    }
  }
}
