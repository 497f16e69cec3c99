package dev.deploykit.core.testing;

/**
 * The run "died" (as with {@code kill -9}): thrown from the listener at the scripted event and
 * from every engine call after it, until {@link FakeDockerHost#recover()}. An {@link Error}, so
 * that no {@code catch (RuntimeException)} of the engine turns it into an outcome and no clean-up
 * reaches the host.
 */
public final class SimulatedCrash extends Error {
  private static final long serialVersionUID = 1L;

  /** A crash described by {@code where}. */
  public SimulatedCrash(String where) {
    super("simulated crash " + where, null, false, false);
  }
}
