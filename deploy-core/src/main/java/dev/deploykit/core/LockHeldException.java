package dev.deploykit.core;

/**
 * Another run holds the stack's deploy lock. The message names the owner and, when the owner's
 * process is gone, how to break the lock. A lock is never taken over silently. Its
 * {@link #reason()} is {@link DeployException.Reason#LOCK_HELD}.
 *
 * <p>Thread safety: immutable.
 */
public final class LockHeldException extends DeployException {
  private static final long serialVersionUID = 1L;

  /** Who holds the lock (not serialised). */
  private final transient LockInfo holder;
  /** Whether the holder's process is known to be gone. */
  private final boolean ownerGone;

  /**
   * The lock is held.
   *
   * @param holder who holds it
   * @param ownerGone whether the holder's process is known to be gone (same machine, no such
   *     process), so that the message says how to break the lock
   */
  public LockHeldException(LockInfo holder, boolean ownerGone) {
    super("Stack " + holder.stack() + " is locked by " + holder.describe() + ". "
        + (ownerGone
            ? "That process is gone: if no deploy of this stack is running, break the lock"
                + " (Deployer.forceUnlock, or `deploykit lock release`) and run again."
            : "Wait for it to finish, or check with its owner."));
    this.holder = holder;
    this.ownerGone = ownerGone;
  }

  /** Who holds the lock, and since when. */
  public LockInfo holder() {
    return holder;
  }

  /** Whether the owning process is known to be gone (same machine, no such process). */
  public boolean ownerGone() {
    return ownerGone;
  }
}
