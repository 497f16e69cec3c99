package dev.deploykit.core;

/**
 * A stack's deploy lock held by this process, from {@link Deployer#acquireLock(String, String)}:
 * while it is open, deploys, rollbacks and prunes of the stack wait for nobody and fail with
 * {@link LockHeldException}. Its lease is renewed while it is open. Close it to free the lock.
 *
 * <pre>{@code
 * try (HeldLock lock = deployer.acquireLock("shop", "vacuum")) {
 *   runMaintenance();
 * }
 * }</pre>
 *
 * <p>Thread safety: {@link #info()} may be called from any thread; {@link #close()} is safe to
 * call more than once.
 */
public interface HeldLock extends AutoCloseable {
  /** Who holds it (this process) and since when. */
  LockInfo info();

  /** Frees the lock; closing twice does nothing. */
  @Override
  void close();
}
