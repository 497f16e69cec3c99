package dev.deploykit.sample.common;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.function.Function;

/** How a sample starts and stops as its container's main process. */
public final class Lifecycle {
  private Lifecycle() {}

  /**
   * The settings read from this process's environment; when they are wrong, logs why and exits
   * with status 2 (a release that cannot start).
   *
   * @param fromEnvironment reads the settings, throwing {@link IllegalArgumentException} naming
   *     the variable that is wrong
   */
  public static <T> T settingsOrExit(Function<Map<String, String>, T> fromEnvironment) {
    try {
      return fromEnvironment.apply(System.getenv());
    } catch (IllegalArgumentException e) {
      Console.log("refusing to start: " + e.getMessage());
      System.exit(2);
      throw new AssertionError("System.exit returned", e);
    }
  }

  /** Milliseconds since this JVM started: how long a start took, for the log. */
  public static long millisSinceJvmStart() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  /**
   * Ends the process from its shutdown hook once it has stopped, with {@code status}: the log is
   * flushed and the JVM halts at once.
   */
  public static void haltAfterStop(int status) {
    System.out.flush();
    // A SIGTERM'd JVM would exit 143; a clean stop exits 0, as the release engine expects.
    Runtime.getRuntime().halt(status);
  }
}
