package dev.deploykit.core;

import java.util.Objects;

/**
 * The one unchecked exception of the release engine: its message says what went wrong, where
 * (file and line, host, container) and what to do, and its {@link #reason()} says what kind of
 * failure it is, so callers never match message text. Expected outcomes (a refused or
 * rolled-back release) are results, not exceptions.
 *
 * <pre>{@code
 * try {
 *   deployer.rollback("shop");
 * } catch (DeployException e) {
 *   if (e.reason() == DeployException.Reason.NO_EARLIER_RELEASE) { ... }
 * }
 * }</pre>
 *
 * <p>Thread safety: immutable once thrown.
 */
public class DeployException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure it is. */
  public enum Reason {
    /** The engine, the proxy or the state on the host failed (the default). */
    FAILED,
    /**
     * No Docker engine answers where the host was named (on a remote host also: Docker is not
     * installed, its engine does not run, or the SSH user may not use its socket).
     */
    ENGINE_UNAVAILABLE,
    /** The remote host cannot be reached: no answer, connection refused, name unknown. */
    HOST_UNREACHABLE,
    /** The remote host's key is not trusted: unknown, changed or revoked in known_hosts. */
    HOST_KEY_REJECTED,
    /** The remote host refused the SSH keys, or a key cannot be read or decrypted. */
    AUTHENTICATION_FAILED,
    /**
     * The connection to a remote host dropped during a call that may have changed something on
     * the host; rerunning the command converges.
     */
    CONNECTION_LOST,
    /**
     * A registry's credentials cannot be had (the named environment variable is unset, the
     * password file is missing) or the registry refused them.
     */
    REGISTRY_CREDENTIALS,
    /** A registry cannot be reached: connection refused, name unknown, no answer. */
    REGISTRY_UNREACHABLE,
    /** The registry does not hold the image (an unknown repository, tag or digest). */
    IMAGE_NOT_IN_REGISTRY,
    /** The stack cannot be deployed as configured (a rule of the release protocol). */
    INVALID_STACK,
    /** A rollback was asked for, but the stack has no earlier release. */
    NO_EARLIER_RELEASE,
    /** The named release is not in the stack's history. */
    UNKNOWN_RELEASE,
    /** A release cannot be restored: its snapshot is missing or it never pinned its images. */
    RELEASE_NOT_RESTORABLE,
    /** Another run holds the stack's deploy lock ({@link LockHeldException}). */
    LOCK_HELD,
    /** The database step failed. */
    DATABASE,
    /**
     * A remote host cannot be bootstrapped as it is: an OS bootstrap does not know (not Debian or
     * Ubuntu), or an SSH user who is neither root nor allowed passwordless sudo.
     */
    HOST_NOT_SUPPORTED,
    /**
     * The calling thread was interrupted inside an engine call (its interrupt flag is set
     * again); a release run reports it as {@link InterruptedException}.
     */
    INTERRUPTED
  }

  /** What kind of failure it is. */
  private final Reason reason;

  /** A failure of kind {@link Reason#FAILED}. */
  public DeployException(String message) {
    this(Reason.FAILED, message);
  }

  /** A failure of kind {@link Reason#FAILED} with its cause. */
  public DeployException(String message, Throwable cause) {
    this(Reason.FAILED, message, cause);
  }

  /** A failure of the given kind. */
  public DeployException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** A failure of the given kind with its cause. */
  public DeployException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** What kind of failure it is. */
  public Reason reason() {
    return reason;
  }
}
