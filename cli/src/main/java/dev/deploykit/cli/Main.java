package dev.deploykit.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/**
 * The entry point of the {@code deploykit} command.
 *
 * <pre>{@code
 * java -jar cli/target/deploykit-cli-<version>.jar -f compose.yaml deploy --version v2
 * }</pre>
 *
 * <p>Ctrl-C: a shutdown hook interrupts the running command (the engine frees the stack's lock on
 * its way out where it can), says that the next run converges what this one left, and waits a
 * few seconds for the command to wind down.
 */
public final class Main {
  private static final Duration WIND_DOWN = Duration.ofSeconds(15);

  private Main() {}

  public static void main(String[] args) {
    Deploykit root = new Deploykit();
    Thread worker = Thread.currentThread();
    CountDownLatch done = new CountDownLatch(1);
    AtomicBoolean shuttingDown = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (done.getCount() == 0) {
        return;
      }
      shuttingDown.set(true);
      if (root.changingHost) {
        System.err.println();
        System.err.println("deploykit: interrupted. Nothing is left that a rerun cannot repair: run the same"
            + " command again and it converges what this run left (the engine is crash safe).");
        System.err.println("If it then reports the lock held by a process that is gone: deploykit lock release");
      }
      worker.interrupt();
      try {
        done.await(WIND_DOWN.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "deploykit-interrupt"));
    int code;
    try {
      code = execute(root, args);
    } finally {
      done.countDown();
    }
    if (!shuttingDown.get()) {
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
    cmd.setExecutionExceptionHandler((ex, c, parseResult) -> Failures.report(ex, root.console()));
    return cmd.execute(args);
  }
}
