package dev.deploykit.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds a stack's deploy lock, as {@link Deployer#lock(String)} and {@link LockHeldException}
 * report it.
 *
 * <p>Thread safety: immutable.
 *
 * @param stack the stack
 * @param owner who took it ({@code user@host})
 * @param host the machine the owning process runs on
 * @param pid the owning process
 * @param operation what it is doing (deploy, rollback, ...)
 * @param since when it took the lock
 */
public record LockInfo(String stack, String owner, String host, long pid, String operation, Instant since) {
  /** Checks that every value but the pid is present. */
  public LockInfo {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(since, "since");
  }

  /** One line for people: {@code alice@ci-7 (pid 4242 on ci-7) since 2026-11-28T01:10:00Z for deploy}. */
  public String describe() {
    return owner + " (pid " + pid + " on " + host + ") since " + since + " for " + operation;
  }
}
