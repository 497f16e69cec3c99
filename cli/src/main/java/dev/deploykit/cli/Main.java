package dev.deploykit.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
    Optional<CommandLine.UnmatchedArgumentException> unknown = unknownBesideHelp(args);
    if (unknown.isPresent()) {
      return Failures.usage(unknown.get(), args);
    }
    return cmd.execute(args);
  }

  /**
   * picocli skips validation once {@code --help} is asked for, so {@code deploykit frob --help}
   * would print the root help and exit 0: an unknown command next to {@code --help} is bad input
   * all the same.
   */
  private static Optional<CommandLine.UnmatchedArgumentException> unknownBesideHelp(String... args) {
    CommandLine probe = new CommandLine(new Deploykit());
    probe.setCaseInsensitiveEnumValuesAllowed(true);
    try {
      CommandLine.ParseResult parsed = probe.parseArgs(args);
      CommandLine.ParseResult last = parsed;
      while (last.hasSubcommand()) {
        last = last.subcommand();
      }
      boolean help = last.isUsageHelpRequested() || parsed.isUsageHelpRequested();
      if (help && !last.unmatched().isEmpty()) {
        return Optional.of(new CommandLine.UnmatchedArgumentException(last.commandSpec().commandLine(),
            last.unmatched()));
      }
    } catch (CommandLine.ParameterException e) {
      // The real run reports it.
    }
    return Optional.empty();
  }
}
