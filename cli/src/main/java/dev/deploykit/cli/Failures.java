package dev.deploykit.cli;

import dev.deploykit.core.DeployException;
import dev.deploykit.digitalocean.DigitalOceanException;
import dev.deploykit.core.LockHeldException;
import dev.deploykit.core.StackFileException;
import dev.deploykit.core.backup.BackupException;
import dev.deploykit.images.ImageBuildException;
import java.io.PrintWriter;
import java.nio.channels.ClosedByInterruptException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a failure reads: one or two lines (what, where, what to do), its exit code, and with
 * {@code --json} one document ({@code ok}, {@code exitCode}, {@code status}, {@code error}). An
 * interrupt (Ctrl-C, or any interrupted call) is always reported as interrupted, exit 130, never
 * as a failure. The kind of a library failure comes from {@link DeployException#reason()}, never
 * from its message.
 */
final class Failures {
  /** What the user reads: the exit code, the message, and what to do, if there is a hint. */
  record Failure(int code, String message, @Nullable String hint) {}

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

  /**
   * A command that threw: prints what happened, returns the exit code.
   *
   * @param signalled whether Ctrl-C (or SIGTERM) ended the command: whatever it threw then is
   *     the interrupt's doing
   */
  static int report(Exception ex, Console console, boolean signalled) {
    boolean interrupted = signalled || Thread.currentThread().isInterrupted() || interrupted(ex);
    Failure f = interrupted ? interruption() : describe(ex, console.verbose());
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    console.error(f.message());
    if (f.hint() != null) {
      console.hint(f.hint());
    }
    if (console.verbose()) {
      ex.printStackTrace(console.err());
    }
    if (console.json()) {
      console.json(Json.write(document(f)));
    }
    return f.code();
  }

  /** The {@code --json} document of a failure. */
  static Map<String, @Nullable Object> document(Failure f) {
    return Json.object("ok", false, "exitCode", f.code(), "status", ExitCodes.status(f.code()),
        "error", f.message());
  }

  /** The failure of an interrupted command. */
  static Failure interruption() {
    return new Failure(ExitCodes.INTERRUPTED,
        "interrupted; run the same command again and it converges what this run left", null);
  }

  /** Whether the exception (or one of its causes) is an interrupt. */
  static boolean interrupted(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof InterruptedException || c instanceof ClosedByInterruptException
          || c instanceof DeployException d && d.reason() == DeployException.Reason.INTERRUPTED) {
        return true;
      }
    }
    return false;
  }

  /** A failure that is not an interrupt. */
  static Failure describe(Exception e, boolean verbose) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return switch (e) {
      case UserError u -> new Failure(u.exitCode(), message, null);
      case StackFileException s -> new Failure(ExitCodes.BAD_INPUT, message,
          "Fix the stack file and run again; nothing on the host was touched.");
      case LockHeldException l -> lockHeld(message);
      case ImageBuildException i -> new Failure(ExitCodes.ENVIRONMENT, message,
          "Building stand-in images needs root and Debian's debootstrap (see README.md, Images without a registry).");
      case DeployException d -> byReason(d.reason(), message);
      case DigitalOceanException d -> digitalOcean(d, message);
      case BackupException b -> backup(b.reason(), message);
      case IllegalArgumentException i -> new Failure(ExitCodes.BAD_INPUT, message, null);
      default -> new Failure(ExitCodes.FAILED, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          verbose ? null : "Run again with --verbose for the stack trace.");
    };
  }

  private static Failure byReason(DeployException.Reason reason, String message) {
    return switch (reason) {
      case UNKNOWN_RELEASE, NO_EARLIER_RELEASE, RELEASE_NOT_RESTORABLE -> new Failure(ExitCodes.BAD_INPUT, message,
          "`deploykit releases` lists the stack's releases and their outcomes.");
      case INVALID_STACK -> new Failure(ExitCodes.BAD_INPUT, message,
          "Fix the stack and run again; nothing on the host was changed.");
      case ENGINE_UNAVAILABLE, HOST_UNREACHABLE, HOST_KEY_REJECTED, REGISTRY_CREDENTIALS,
          REGISTRY_UNREACHABLE -> new Failure(ExitCodes.ENVIRONMENT, message, null);
      case IMAGE_NOT_IN_REGISTRY -> new Failure(ExitCodes.BAD_INPUT, message, null);
      case AUTHENTICATION_FAILED -> new Failure(ExitCodes.ENVIRONMENT, message, "Give the key with --identity FILE"
          + " or its text in " + HostOptions.KEY_VARIABLE + "; an encrypted key's passphrase in "
          + HostOptions.PASSPHRASE_VARIABLE + ".");
      case CONNECTION_LOST -> new Failure(ExitCodes.FAILED, message,
          "Run the same command again: a rerun converges what this run left.");
      case LOCK_HELD -> lockHeld(message);
      case INTERRUPTED -> interruption();
      case HOST_NOT_SUPPORTED -> new Failure(ExitCodes.ENVIRONMENT, message, null);
      case FAILED, DATABASE -> new Failure(ExitCodes.FAILED, message, null);
    };
  }

  private static Failure digitalOcean(DigitalOceanException e, String message) {
    return switch (e.kind()) {
      case UNAUTHORIZED, FORBIDDEN -> new Failure(ExitCodes.ENVIRONMENT, message, "Set " + DoCommand.TOKEN_VARIABLE
          + " to a token with read and write scopes (https://cloud.digitalocean.com/account/api/tokens).");
      case INVALID_REQUEST, CONFLICT, UNPROCESSABLE, NOT_FOUND, BAD_REQUEST -> new Failure(ExitCodes.BAD_INPUT, message, null);
      case RATE_LIMITED, UNREACHABLE, SERVER_ERROR -> new Failure(ExitCodes.ENVIRONMENT, message,
          "Run the same command again: it finds what this run made and goes on.");
      case TIMED_OUT, ACTION_ERRORED -> new Failure(ExitCodes.FAILED, message, null);
      case INTERRUPTED -> interruption();
    };
  }

  private static Failure backup(BackupException.Reason reason, String message) {
    return switch (reason) {
      case NO_DATABASE, UNKNOWN_BACKUP, CHECKSUM_MISMATCH, NEWER_SERVER, TARGET_NOT_EMPTY ->
          new Failure(ExitCodes.BAD_INPUT, message, null);
      case DATABASE_NOT_RUNNING, PASSWORD_REFUSED, DISK_FULL -> new Failure(ExitCodes.ENVIRONMENT, message, null);
      case FAILED -> new Failure(ExitCodes.FAILED, message, null);
    };
  }

  private static Failure lockHeld(String message) {
    return new Failure(ExitCodes.LOCK_HELD, message,
        "`deploykit lock status` shows the lock; `deploykit lock release` breaks it once its owner is gone.");
  }
}
