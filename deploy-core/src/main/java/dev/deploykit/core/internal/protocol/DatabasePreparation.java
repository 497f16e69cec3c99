package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import java.util.Optional;

/**
 * Protocol step 4: the deployer's {@link dev.deploykit.core.DatabaseStep} (db-init by default),
 * after the accessories are up and before any new application container starts. A failure
 * refuses the release; an interrupt stays an interrupt.
 */
final class DatabasePreparation {
  private final RunContext run;

  DatabasePreparation(RunContext run) {
    this.run = run;
  }

  /** Empty when the database is ready; else the refusal's reason. */
  Optional<String> prepare() throws InterruptedException {
    try {
      run.settings.databaseStep().prepare(run.stack, run.host)
          .ifPresent(summary -> run.emit(new DeployEvent.DatabasePrepared(run.at(), summary)));
      return Optional.empty();
    } catch (DeployException e) {
      if (Interrupts.isInterrupt(e)) {
        throw e;
      }
      return Optional.of("database step: " + e.getMessage());
    }
  }
}
