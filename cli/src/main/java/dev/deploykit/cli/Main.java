package dev.deploykit.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The entry point of the {@code deploykit} command.
 *
 * <pre>{@code
 * java -jar cli/target/deploykit-cli-<version>.jar -f compose.yaml deploy --version v2
 * }</pre>
 *
 * <p>Ctrl-C (or SIGTERM) interrupts the running command and ends the process with exit code 130
 * ({@link Interruption}); the next run converges what it left.
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    Deploykit root = new Deploykit();
    Interruption interruption = Interruption.install(root, Thread.currentThread());
    int code = ExitCodes.INTERRUPTED;
    try {
      code = execute(root, args);
    } finally {
      interruption.finished(code);
    }
    if (!interruption.signalled()) {
      // During shutdown System.exit would block; the hook ends the process with this code.
      System.exit(code);
    }
  }

  /** Runs the command line and returns its exit code; prints to this process's stdout and stderr. */
  static int execute(String... args) {
    return execute(new Deploykit(), args);
  }

  private static int execute(Deploykit root, String... args) {
    CommandLine cmd = new CommandLine(root);
    cmd.setOut(new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cmd.setErr(new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    cmd.setExecutionStrategy(new CommandLine.RunLast());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setParameterExceptionHandler(Failures::usage);
    cmd.setExecutionExceptionHandler((ex, c, parseResult) -> Failures.report(ex, root.console(), root.signalled));
    return cmd.execute(args);
  }
}
