package dev.deploykit.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a command runs. The JVM's shutdown hook marks the command as
 * signalled, interrupts its thread (the engine frees the stack's lock and records the release as
 * interrupted on its way out), says how to converge when the command was changing the host, and
 * waits a few seconds for the command to wind down; whatever the command throws meanwhile is
 * reported as interrupted ({@link Failures}). The process then ends with the command's own exit
 * code: 130 when it was interrupted, or what it returned if it finished anyway. A command that
 * does not wind down in time ends with 130 (and, with {@code --json}, the interrupted document).
 *
 * <p>Thread safety: {@link #finished(int)} is called by the command's thread, the hook runs on
 * its own; they meet through a latch.
 */
final class Interruption {
  /** How long a signalled command may take to wind down. */
  static final Duration WIND_DOWN = Duration.ofSeconds(15);

  private final Deploykit root;
  private final Thread worker;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicInteger exitCode = new AtomicInteger(ExitCodes.INTERRUPTED);

  private Interruption(Deploykit root, Thread worker) {
    this.root = root;
    this.worker = worker;
  }

  /** Installs the hook for a command that runs on {@code worker}. */
  static Interruption install(Deploykit root, Thread worker) {
    Interruption interruption = new Interruption(root, worker);
    Runtime.getRuntime().addShutdownHook(new Thread(interruption::onSignal, "deploykit-interrupt"));
    return interruption;
  }

  /** The command ended with this exit code: the hook, if it runs, ends the process with it. */
  void finished(int code) {
    exitCode.set(code);
    done.countDown();
  }

  /** Whether a signal arrived while the command ran (then the hook ends the process). */
  boolean signalled() {
    return root.signalled;
  }

  private void onSignal() {
    if (done.getCount() == 0) {
      return; // the command finished and exits normally
    }
    root.signalled = true;
    if (root.changingHost) {
      System.err.println();
      System.err.println("deploykit: interrupted. Nothing is left that a rerun cannot repair: run the same"
          + " command again and it converges what this run left (the engine is crash safe).");
    }
    worker.interrupt();
    boolean woundDown;
    try {
      woundDown = done.await(WIND_DOWN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      woundDown = false;
    }
    if (!woundDown) {
      Console console = root.console();
      console.error("the command did not wind down within " + WIND_DOWN.toSeconds() + " s of the interrupt; stopping it."
          + " Run the same command again: it converges what this run left.");
      if (console.json()) {
        console.json(Json.write(Failures.document(Failures.interruption())));
      }
      exitCode.set(ExitCodes.INTERRUPTED);
    }
    // Exit with the command's code (130 when interrupted), not the signal's (SIGTERM's would be 143).
    Runtime.getRuntime().halt(exitCode.get());
  }
}
