package dev.deploykit.core;

/**
 * Another run holds the stack's deploy lock. The message names the owner and how the lock ends:
 * a holder that is provably gone (its lease expired, or its process on this machine exited) is
 * taken over by the next run by itself, and says so; a live holder is never overridden.
 * {@link #reason()} is {@link DeployException.Reason#LOCK_HELD}.
 *
 * <p>Thread safety: immutable.
 */
public final class LockHeldException extends DeployException {
  private static final long serialVersionUID = 1L;

  private final transient LockInfo holder;
  private final boolean ownerGone;

  /** The lock is held by {@code holder}; {@code ownerGone} when its process is known to be gone. */
  public LockHeldException(LockInfo holder, boolean ownerGone) {
    super(Reason.LOCK_HELD, "Stack " + holder.stack() + " is locked by " + holder.describe() + ". "
        + (ownerGone
            ? "That process is gone: if no deploy of this stack is running, break the lock"
                + " (Deployer.forceUnlock, or `deploykit lock release`) and run again."
            : "Wait for it to finish, or check with its owner. If that run died, a later run takes"
                + " the lock over by itself once its lease has gone unrenewed for 60 s;"
                + " `deploykit lock release` breaks it now."));
    this.holder = holder;
    this.ownerGone = ownerGone;
  }

  /** Who holds the lock. */
  public LockInfo holder() {
    return holder;
  }

  /** Whether the owning process is known to be gone (same machine, no such process). */
  public boolean ownerGone() {
    return ownerGone;
  }
}
