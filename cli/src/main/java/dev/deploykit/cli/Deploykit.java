package dev.deploykit.cli;

import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.HostAddress;
import dev.deploykit.core.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level command: the options every command shares, and the list of commands. */
@Command(name = "deploykit",
    mixinStandardHelpOptions = true,
    versionProvider = Deploykit.Version.class,
    usageHelpAutoWidth = true,
    description = {
        "Ships a containerised stack (Compose file) to a Docker host, local or over SSH, with zero downtime:"
            + " health-gated, rolled back by itself when a release is bad, repaired by the next run"
            + " after a crash.",
        "",
        "Start with: deploykit demo"},
    subcommands = {
        DeployCommand.class, RollbackCommand.class, StatusCommand.class, ReleasesCommand.class,
        HealthCommand.class, DbInitCommand.class, DbCommand.class, LogsCommand.class, LockCommand.class,
        PruneCommand.class, ConfigCommand.class, DemoCommand.class, HostCommand.class, DoCommand.class, SwarmCommand.class,
        RunPodCommand.class,
        picocli.CommandLine.HelpCommand.class},
    footer = {"", ExitCodes.HELP_TABLE, "",
        "Remote hosts: --host ssh://user@host[:port] runs any command against that host's engine"
            + " over one SSH connection; without it DOCKER_HOST (ssh://, unix://, tcp://), else the"
            + " stack file's x-deploykit.host, else the local engine. The command says which on"
            + " stderr. Keys: --identity FILE, or the key's text in " + HostOptions.KEY_VARIABLE
            + " (CI) and its passphrase in " + HostOptions.PASSPHRASE_VARIABLE + "; the host's key"
            + " must be in known_hosts (--known-hosts FILE), or new and trusted once with"
            + " --accept-new-host-key. See docs/remote-hosts.md.",
        "",
        "Environment: NO_COLOR turns colours off; DOCKER_HOST names the engine"
            + " (default unix:///var/run/docker.sock)."})
final class Deploykit implements Runnable {

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "The stack's Compose file (default: ./compose.yaml).")
  @Nullable Path file;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Print one JSON document on stdout (lines for people go to stderr).")
  boolean json;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Show stack traces and the libraries' log lines.")
  boolean verbose;

  @Option(names = "--no-color", scope = ScopeType.INHERIT,
      description = "No colours (as with NO_COLOR set).")
  boolean noColor;

  @picocli.CommandLine.Mixin HostOptions hostOptions;

  @Spec CommandSpec spec;

  /** Where environment variables are read (tests give their own). */
  UnaryOperator<@Nullable String> environment = System::getenv;

  /** The stack the command read last, whose x-deploykit.host names its engine. */
  private @Nullable Stack stack;

  /** The engine, once {@link #target()} resolved it. */
  private @Nullable HostAddress target;

  private @Nullable Console console;

  /** Set while a command changes the host (a release, a rollback): Ctrl-C then says how to converge. */
  volatile boolean changingHost;

  /** Set when Ctrl-C (or SIGTERM) arrived: whatever the command throws then is an interrupt. */
  volatile boolean signalled;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "Missing command: try deploykit demo, or deploykit --help for the list");
  }

  /** The console, made once the options are known. */
  synchronized Console console() {
    if (console == null) {
      console = Console.system(json, verbose, noColor);
      Logging.configure(verbose);
    }
    return console;
  }

  /** The stack file the user named, or ./compose.yaml. */
  Path stackFile() {
    return file != null ? file : Path.of("compose.yaml");
  }

  /**
   * Reads the stack file, with these variables on top of the process environment.
   *
   * @throws UserError (bad input) when there is no such file
   */
  Stack loadStack(Map<String, String> overrides) {
    Path f = stackFile();
    if (!Files.isRegularFile(f)) {
      throw UserError.badInput("No stack file at " + f.toAbsolutePath().normalize()
          + (file == null ? " (the default, ./compose.yaml)" : "") + ". Name one with -f FILE,"
          + " for example: deploykit -f examples/compose.yaml " + spec.commandLine().getParseResult()
              .subcommand().commandSpec().name());
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(overrides);
    Stack loaded = ComposeFile.of(f).environment(env).load();
    this.stack = loaded;
    return loaded;
  }

  Stack loadStack() {
    return loadStack(Map.of());
  }

  /**
   * The engine this run uses ({@code --host}, else DOCKER_HOST, else the stack file's
   * x-deploykit.host, else the local engine), said on stderr and in the {@code --json} document.
   *
   * @throws UserError (bad input) for a bad address, naming where it came from
   */
  synchronized HostAddress target() {
    if (target != null) {
      return target;
    }
    HostAddress target = hostOptions.target(stack == null ? null : stack.settings().host(), environment);
    console().target(HostOptions.line(target, stackFile()),
        Json.object("host", target.address(), "from", target.origin().label()));
    this.target = target;
    return target;
  }

  /**
   * The engine this run uses ({@link #target()}), checked to answer: one connection for the
   * whole command.
   *
   * @throws UserError (environment) saying how to start a local engine when it does not answer;
   *     a remote host's failure is the library's DeployException, whose reason says what it was
   */
  DockerHost connect() {
    HostAddress target = target();
    DockerHost host;
    try {
      host = hostOptions.open(target, environment);
    } catch (UserError e) {
      throw e;
    } catch (RuntimeException e) {
      throw noEngine(target.address(), e);
    }
    try {
      host.ping();
      return host;
    } catch (RuntimeException e) {
      String where = host.describe();
      host.close();
      throw target.remote() ? e : noEngine(where, e);
    }
  }

  private static UserError noEngine(String where, RuntimeException e) {
    return UserError.environment("No Docker engine answers at " + where + ". Start one"
        + " (`sudo systemctl start docker`, or `sudo dockerd &`), or point DOCKER_HOST at one,"
        + " then run again.", e);
  }

  /** The version line of {@code --version}. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Deploykit.class.getPackage().getImplementationVersion();
      return new String[] {"deploykit " + (v == null ? "(development build)" : v)
          + " on Java " + Runtime.version()};
    }
  }
}
