package dev.deploykit.cli;

/**
 * The exit codes of {@code deploykit}, documented in README.md and {@code deploykit --help}.
 * Scripts may rely on them.
 */
public final class ExitCodes {
  /** The command did what was asked (a deploy is live, the stack is healthy). */
  public static final int OK = 0;
  /** The release was refused or rolled back, the stack is not healthy, or the demo saw a failure. */
  public static final int NOT_DEPLOYED = 1;
  /** Bad input: unknown command or option, missing or invalid stack file, unknown release. */
  public static final int BAD_INPUT = 2;
  /** Another run holds the stack's deploy lock. */
  public static final int LOCK_HELD = 3;
  /** The environment is not ready: no Docker engine, an image that can be neither pulled nor built. */
  public static final int ENVIRONMENT = 4;
  /** The engine failed during the run (a Docker error, a database that cannot be prepared). */
  public static final int FAILED = 5;
  /** Interrupted (Ctrl-C); the next run converges what this one left. */
  public static final int INTERRUPTED = 130;

  /** The table printed at the end of {@code deploykit --help}. */
  static final String HELP_TABLE = """
      Exit codes:
        0    success
        1    release refused or rolled back; stack not healthy
        2    bad input: unknown command or option, stack file missing or invalid
        3    the stack's deploy lock is held by another run
        4    environment: no Docker engine, an image can be neither pulled nor built
        5    the run failed (engine or database error)
        130  interrupted (Ctrl-C); the next run converges""";

  private ExitCodes() {}

  /**
   * The word for an exit code in {@code --json} documents ({@code "status"}): {@code ok},
   * {@code not_deployed}, {@code bad_input}, {@code lock_held}, {@code environment},
   * {@code failed} or {@code interrupted}.
   */
  public static String status(int code) {
    return switch (code) {
      case OK -> "ok";
      case NOT_DEPLOYED -> "not_deployed";
      case BAD_INPUT -> "bad_input";
      case LOCK_HELD -> "lock_held";
      case ENVIRONMENT -> "environment";
      case INTERRUPTED -> "interrupted";
      default -> "failed";
    };
  }
}
