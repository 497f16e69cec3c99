package dev.deploykit.cli;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where a command's output goes. People get lines (with colours and a live progress line on a
 * terminal, plain lines otherwise); with {@code --json} machines get one JSON document on stdout
 * and the lines for people move to stderr.
 *
 * <p>Thread safety: every print is synchronised, so the load generator and the progress line can
 * print while a deploy runs.
 */
final class Console {
  private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

  private final PrintStream out;
  private final PrintStream err;
  private final PrintStream human;
  private final boolean interactive;
  private final boolean color;
  private final boolean json;
  private final boolean verbose;
  private final long started = System.nanoTime();
  private @Nullable Progress progress;
  private @Nullable Object target;

  Console(PrintStream out, PrintStream err, boolean interactive, boolean color, boolean json,
      boolean verbose) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.verbose = verbose;
    this.human = json ? err : out;
    // The live line redraws itself with \r: only where a person watches stdout.
    this.interactive = interactive && !json;
    this.color = color;
  }

  /** The console of this process: a terminal when stdout is one, colours unless NO_COLOR. */
  static Console system(boolean json, boolean verbose, boolean noColor) {
    boolean tty = isTerminal();
    String noColorEnv = System.getenv("NO_COLOR");
    boolean color = tty && !noColor && (noColorEnv == null || noColorEnv.isEmpty())
        && !"dumb".equals(System.getenv("TERM"));
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    return new Console(out, err, tty, color, json, verbose);
  }

  /**
   * Whether stdout is a terminal. The launcher knows for sure ({@code [ -t 1 ]}) and says so with
   * {@code -Ddeploykit.tty}; without it, {@code System.console()} (and, on JDK 22+, its
   * {@code isTerminal()}, since there a console exists even when output is redirected).
   */
  static boolean isTerminal() {
    String told = System.getProperty("deploykit.tty");
    if (told != null && !told.isBlank()) {
      return Boolean.parseBoolean(told.strip());
    }
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException jdk21) {
      return true;
    }
  }

  boolean json() {
    return json;
  }

  boolean verbose() {
    return verbose;
  }

  boolean interactive() {
    return interactive;
  }

  /** Seconds since the command started, for step lines and the demo's wall time. */
  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** A line for people. */
  synchronized void line(String text) {
    clearProgress();
    human.println(text);
    redrawProgress();
  }

  /** A step heading: {@code ==> deploying v2}. */
  void heading(String text) {
    line(bold(cyan("==> ")) + bold(text));
  }

  /** A step that happened, with the time since the command started. */
  void step(String text) {
    line(dim(String.format(Locale.ROOT, "[%6.1fs]", elapsed().toMillis() / 1000.0)) + " " + text);
  }

  /**
   * Says which engine the command uses: a line on stderr for people, and a {@code target} field
   * in the {@code --json} document.
   *
   * @param line what people read, or null for no line (the local engine by default)
   * @param field the {@code target} field of the document
   */
  synchronized void target(@Nullable String line, Object field) {
    target = field;
    if (line != null) {
      hint(line);
    }
  }

  /** The machine-readable document of a {@code --json} run: stdout, one document. */
  synchronized void json(String document) {
    clearProgress();
    out.println(target == null ? document : Json.withField(document, "target", target));
    redrawProgress();
  }

  /** A problem, on stderr, always. */
  synchronized void error(String text) {
    clearProgress();
    err.println(red("error: ") + text);
    redrawProgress();
  }

  /** A hint, on stderr. */
  synchronized void hint(String text) {
    clearProgress();
    err.println(text);
    redrawProgress();
  }

  PrintStream err() {
    return err;
  }

  /**
   * A wait worth showing: on a terminal a spinner with the elapsed time until closed; elsewhere
   * nothing live (the step lines say what happened).
   */
  synchronized Progress progress(String label) {
    Progress p = new Progress(label);
    if (interactive) {
      clearProgress();
      progress = p;
      redrawProgress();
      p.ticker = Thread.ofPlatform().daemon().name("deploykit-progress").start(p::tick);
    }
    return p;
  }

  private void clearProgress() {
    if (progress != null) {
      human.print("\r\033[2K");
      human.flush();
    }
  }

  private void redrawProgress() {
    Progress p = progress;
    if (p != null) {
      long millis = (System.nanoTime() - p.since) / 1_000_000;
      human.print(cyan(SPINNER[(int) ((millis / 100) % SPINNER.length)]) + " " + p.label
          + dim(String.format(Locale.ROOT, " %.1fs", millis / 1000.0)));
      human.flush();
    }
  }

  /** A live progress line; close it when the wait is over. */
  final class Progress implements AutoCloseable {
    private volatile String label;
    private final long since = System.nanoTime();
    private @Nullable Thread ticker;

    private Progress(String label) {
      this.label = label;
    }

    /** Changes what the line says (the step being waited on). */
    void label(String label) {
      this.label = label;
    }

    private void tick() {
      while (!Thread.currentThread().isInterrupted()) {
        synchronized (Console.this) {
          if (progress != this) {
            return;
          }
          clearProgress();
          redrawProgress();
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    @Override
    public void close() {
      synchronized (Console.this) {
        if (progress == this) {
          clearProgress();
          progress = null;
        }
      }
      Thread t = ticker;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  String bold(String s) {
    return paint("1", s);
  }

  String dim(String s) {
    return paint("2", s);
  }

  String red(String s) {
    return paint("31", s);
  }

  String green(String s) {
    return paint("32", s);
  }

  String yellow(String s) {
    return paint("33", s);
  }

  String cyan(String s) {
    return paint("36", s);
  }

  private String paint(String code, String s) {
    return color ? "\033[" + code + "m" + s + "\033[0m" : s;
  }
}
