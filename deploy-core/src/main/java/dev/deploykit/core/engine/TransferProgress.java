package dev.deploykit.core.engine;

/**
 * Told how far an image push or pull has come, as the engine reports it layer by layer: about
 * once a second while it runs, and once at its end, on the thread that pushes or pulls.
 *
 * <p>Thread safety: called from one thread at a time.
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
