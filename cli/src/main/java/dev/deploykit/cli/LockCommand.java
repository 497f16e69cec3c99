package dev.deploykit.cli;

import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.LockInfo;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "lock", description = {
    "Who holds the stack's deploy lock (status), or break it (release).",
    "lock status: who holds the stack's deploy lock (exit 3 when held).",
    "lock release: breaks the lock whoever holds it; only once you made sure its owner is gone"
        + " (the next deploy converges what the owner left)."})
final class LockCommand implements Callable<Integer> {
  enum Action { status, release }

  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Parameters(arity = "0..1", paramLabel = "ACTION", defaultValue = "status",
      description = "status or release (default: ${DEFAULT-VALUE}).")
  Action action;

  @Override
  public Integer call() {
    Console console = root.console();
    String stack = root.loadStack().name();
    try (DockerHost host = root.connect()) {
      Deployer deployer = Deployer.builder(host).build();
      Optional<LockInfo> lock = deployer.lock(stack);
      if (action == Action.release) {
        deployer.forceUnlock(stack);
        if (console.json()) {
          console.json(Json.write(Json.object("stack", stack, "released", lock.isPresent(), "was", lock.orElse(null))));
        } else {
          console.line(lock.map(l -> "Released the lock of " + stack + " (held by " + l.describe() + ")."
              + " The next deploy converges what that run left.").orElse("The lock of " + stack + " was free."));
        }
        return ExitCodes.OK;
      }
      if (console.json()) {
        console.json(Json.write(Json.object("stack", stack, "held", lock.isPresent(), "lock", lock.orElse(null))));
      } else {
        console.line(lock.map(l -> "The lock of " + stack + " is held by " + l.describe()
            + ". If that run is gone: deploykit lock release").orElse("The lock of " + stack + " is free."));
      }
      return lock.isPresent() ? ExitCodes.LOCK_HELD : ExitCodes.OK;
    }
  }
}
