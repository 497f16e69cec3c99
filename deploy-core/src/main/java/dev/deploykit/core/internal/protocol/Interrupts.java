package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployException;

/**
 * Keeps an interrupt an interrupt. Engine calls that were interrupted throw a
 * {@link DeployException} with {@link DeployException.Reason#INTERRUPTED} (their contract has no
 * checked exception); a release run turns that back into an {@link InterruptedException}, so a
 * caller (and the command's exit code 130) sees "interrupted", never "failed". Clean-up after an
 * interrupt (freeing the lock, recording the release) runs with the flag cleared, so the engine
 * client does not refuse it, and the flag is set again afterwards.
 */
final class Interrupts {
  private Interrupts() {}

  /** A step that may be interrupted. */
  @FunctionalInterface
  interface Step<T> {
    T run() throws InterruptedException;
  }

  /**
   * Whether {@code e} ended a step because of an interrupt: an {@link InterruptedException}, an
   * engine call that says {@link DeployException.Reason#INTERRUPTED}, or any failure while the
   * calling thread's interrupt flag is set.
   */
  static boolean isInterrupt(Exception e) {
    return e instanceof InterruptedException || Thread.currentThread().isInterrupted()
        || e instanceof DeployException d && d.reason() == DeployException.Reason.INTERRUPTED;
  }

  /** Runs the step; an interrupted engine call comes out as {@link InterruptedException}. */
  static <T> T rethrown(Step<T> step) throws InterruptedException {
    try {
      return step.run();
    } catch (DeployException e) {
      if (isInterrupt(e)) {
        Thread.interrupted();
        InterruptedException interrupted = new InterruptedException(e.getMessage());
        interrupted.initCause(e);
        throw interrupted;
      }
      throw e;
    }
  }

  /** Runs clean-up with the interrupt flag cleared, then sets it again if it was set. */
  static void uninterrupted(Runnable cleanUp) {
    boolean was = Thread.interrupted();
    try {
      cleanUp.run();
    } finally {
      if (was) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
