package dev.deploykit.cli;

/**
 * A failure the user fixes, with the exit code it ends the command with. Its message is printed
 * as it is: what went wrong, where, and what to do.
 */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  UserError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  UserError(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static UserError badInput(String message) {
    return new UserError(ExitCodes.BAD_INPUT, message);
  }

  static UserError environment(String message, Throwable cause) {
    return new UserError(ExitCodes.ENVIRONMENT, message, cause);
  }
}
