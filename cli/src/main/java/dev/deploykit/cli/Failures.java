package dev.deploykit.cli;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.LockHeldException;
import dev.deploykit.core.StackFileException;
import dev.deploykit.images.ImageBuildException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** How a failure reads: one or two lines (what, where, what to do) and its exit code. */
final class Failures {
  private Failures() {}

  /** Bad command line: the problem, picocli's closest matches, where to read more. Exit 2. */
  static int usage(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("deploykit: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }

  /** A command that threw: the message for people (and JSON), the exit code. */
  static int report(Exception ex, Console console) {
    Throwable e = ex;
    int code;
    String message;
    String hint = null;
    switch (e) {
      case UserError u -> {
        code = u.exitCode();
        message = u.getMessage();
      }
      case StackFileException s -> {
        code = ExitCodes.BAD_INPUT;
        message = s.getMessage();
        hint = "Fix the stack file and run again; nothing on the host was touched.";
      }
      case LockHeldException l -> {
        code = ExitCodes.LOCK_HELD;
        message = l.getMessage();
        hint = "`deploykit lock status` shows the lock; `deploykit lock release` breaks it once its owner is gone.";
      }
      case ImageBuildException i -> {
        code = ExitCodes.ENVIRONMENT;
        message = i.getMessage();
        hint = "Building stand-in images needs root and Debian's debootstrap (see README.md, Images without a registry).";
      }
      case DeployException d -> {
        code = ExitCodes.FAILED;
        message = d.getMessage();
      }
      case InterruptedException i -> {
        code = ExitCodes.INTERRUPTED;
        message = "interrupted; run the command again and it converges what this run left";
      }
      case IllegalArgumentException i -> {
        code = ExitCodes.BAD_INPUT;
        message = i.getMessage();
      }
      default -> {
        code = ExitCodes.FAILED;
        message = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
        hint = console.verbose() ? null : "Run again with --verbose for the stack trace.";
      }
    }
    if (ex instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    console.error(message == null ? e.getClass().getName() : message);
    if (hint != null) {
      console.hint(hint);
    }
    if (console.verbose()) {
      e.printStackTrace(console.err());
    }
    if (console.json()) {
      console.json(Json.write(Json.object("ok", false, "exitCode", code, "error", message)));
    }
    return code;
  }
}
