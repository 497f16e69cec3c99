package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployListener;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.internal.state.StackLock;
import dev.deploykit.health.wait.TimeSource;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Protocol step 1 on every engine: the stack's lock taken (or taken over from a holder that is
 * provably gone, audited), the run's context opened, the steps run, and the lock freed however
 * they end, an interrupt included.
 */
final class UnderLock {
  /** The steps of a run that holds the lock. */
  interface Steps {
    DeployResult run(RunContext run) throws InterruptedException;
  }

  private UnderLock() {}

  static DeployResult run(ReleaseRun.Settings settings, DockerHost host, TimeSource time, Clock clock,
      DeployListener listener, long started, Stack stack, @Nullable String rollbackOf, Steps steps)
      throws InterruptedException {
    String operation = rollbackOf == null ? "deploy" : "rollback to " + rollbackOf;
    try (StackLock lock = StackLock.acquire(host, stack.name(), settings.proxyImage(), settings.owner(),
        operation, clock);
        RunContext run = new RunContext(settings, host, time, clock, listener, started, stack)) {
      run.emit(new DeployEvent.LockTaken(run.at(), stack.name(), lock.info()));
      lock.takenOver().ifPresent(t -> new Recording(run).tookOver(lock, t));
      try {
        return Interrupts.rethrown(() -> steps.run(run));
      } finally {
        Interrupts.uninterrupted(lock::close);
        run.emit(new DeployEvent.LockReleased(run.at(), stack.name()));
      }
    }
  }
}
