package dev.deploykit.core.engine;

/**
 * Told how far an image push or pull has come, as the engine reports it layer by layer. Called
 * on the thread that reads the engine's answer; keep it quick.
 *
 * <p>Thread safety: implementations must tolerate calls from a thread other than the caller's.
 */
@FunctionalInterface
public interface TransferProgress {
  /** Ignores every report. */
  TransferProgress NONE = (done, total) -> {};

  /**
   * The bytes moved so far and the bytes known so far to move, summed over the layers the engine
   * has reported (the total grows as layers start).
   */
  void update(long bytesDone, long bytesTotal);
}
