package dev.deploykit.core;

/**
 * Another run holds the stack's deploy lock. The message names the owner and, when the owner's
 * process is gone, how to break the lock. A lock is never taken over silently.
 */
public final class LockHeldException extends DeployException {
  private static final long serialVersionUID = 1L;

  private final transient LockInfo holder;
  private final boolean ownerGone;

  public LockHeldException(LockInfo holder, boolean ownerGone) {
    super(Reason.LOCK_HELD, "Stack " + holder.stack() + " is locked by " + holder.describe() + ". "
        + (ownerGone
            ? "That process is gone: if no deploy of this stack is running, break the lock"
                + " (Deployer.forceUnlock, or `deploykit lock release`) and run again."
            : "Wait for it to finish, or check with its owner."));
    this.holder = holder;
    this.ownerGone = ownerGone;
  }

  public LockInfo holder() {
    return holder;
  }

  /** Whether the owning process is known to be gone (same machine, no such process). */
  public boolean ownerGone() {
    return ownerGone;
  }
}
