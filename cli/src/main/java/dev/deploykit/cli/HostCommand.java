package dev.deploykit.cli;

import dev.deploykit.core.engine.HostAddress;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.host.BootstrapResult;
import dev.deploykit.core.host.BootstrapStep;
import dev.deploykit.core.host.HostBootstrap;
import dev.deploykit.core.host.HostCheck;
import dev.deploykit.core.host.HostReport;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code deploykit host bootstrap|check}: make a bare Debian or Ubuntu host ready, or check one. */
@Command(name = "host", description = {
    "Make a remote host ready for deploykit, or check it (over SSH).",
    "bootstrap installs docker.io on a bare Debian or Ubuntu host, starts the engine and lets the"
        + " SSH user use it; check reports the engine's version, storage driver, free disk and"
        + " whether the user may use its socket."},
    subcommands = {HostCommand.Bootstrap.class, HostCommand.Check.class})
final class HostCommand extends CommandGroup {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Override
  String missingCommand() {
    return "Missing command: deploykit host bootstrap --host ssh://user@host, or deploykit host check --host ...";
  }

  /**
   * The SSH host the inherited {@code --host} (or DOCKER_HOST, or the stack file's
   * x-deploykit.host) names, with the inherited key and known_hosts options.
   *
   * @throws UserError (bad input) when the engine named is not a remote host
   */
  SshHost.Builder sshHost(String command) {
    HostAddress target = root.target();
    if (!target.remote()) {
      throw UserError.badInput("deploykit host " + command + " works on a remote host: name it with --host ssh://user@host[:port] (or DOCKER_HOST=ssh://...)");
    }
    return root.hostOptions.sshBuilder(target, root.environment);
  }

  @Command(name = "bootstrap", description = {
      "Install and start Docker on a bare Debian or Ubuntu host.",
      "Reads /etc/os-release, installs docker.io with apt, starts and enables the daemon, adds the SSH"
          + " user to the docker group, and proves over a fresh connection that the engine answers."
          + " Needs root or passwordless sudo for what is missing; a second run has nothing to do."})
  static final class Bootstrap implements Callable<Integer> {
    @ParentCommand HostCommand host;

    @Override
    public Integer call() {
      Console console = host.root.console();
      SshHost.Builder builder = host.sshHost("bootstrap");
      console.hint("bootstrapping " + host.root.target().address());
      BootstrapResult result = HostBootstrap.builder(builder)
          .events(e -> console.hint("  " + e.step() + ": " + e.message()))
          .build().run();
      if (console.json()) {
        console.json(Json.write(Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
            "host", result.host(), "os", result.os(), "nothingToDo", result.nothingToDo(),
            "engineVersion", result.engineVersion(), "steps", result.steps().stream().map(Bootstrap::step).toList())));
        return ExitCodes.OK;
      }
      for (BootstrapStep s : result.steps()) {
        String mark = s instanceof BootstrapStep.Done ? console.green("done    ") : console.dim("ok      ");
        console.line("  " + mark + s.name() + ": " + s.detail());
      }
      console.line(result.nothingToDo()
          ? result.host() + " (" + result.os().describe() + "): nothing to do, Docker " + result.engineVersion() + " is ready"
          : result.host() + " (" + result.os().describe() + ") is ready: Docker " + result.engineVersion());
      return ExitCodes.OK;
    }

    private static Map<String, @Nullable Object> step(BootstrapStep s) {
      return Json.object("name", s.name(), "outcome", s instanceof BootstrapStep.Done ? "done" : "already_satisfied",
          "detail", s.detail());
    }
  }

  @Command(name = "check", description = {
      "Report the engine of a host: version, storage driver, free disk, socket access.",
      "Changes nothing. Exit 0 when the SSH user can use the engine, 4 when not (Docker missing,"
          + " engine not running, no access to its socket: the line says what to do)."})
  static final class Check implements Callable<Integer> {
    @ParentCommand HostCommand host;

    @Override
    public Integer call() {
      Console console = host.root.console();
      HostReport report = HostCheck.of(host.sshHost("check")).run();
      int code = report instanceof HostReport.Ready ? ExitCodes.OK : ExitCodes.ENVIRONMENT;
      if (console.json()) {
        Map<String, @Nullable Object> doc = Json.object("ok", code == ExitCodes.OK, "exitCode", code,
            "status", ExitCodes.status(code), "host", report.host(), "socketAccess", report.socketAccess());
        switch (report) {
          case HostReport.Ready r -> doc.putAll(Json.object("engineVersion", r.engineVersion(),
              "apiVersion", r.apiVersion(), "storageDriver", r.storageDriver(), "dataRoot", r.dataRoot(),
              "freeBytes", r.freeBytes()));
          case HostReport.NotReady n -> doc.putAll(Json.object("problem", n.problem().name().toLowerCase(Locale.ROOT),
              "error", n.message()));
        }
        console.json(Json.write(doc));
        return code;
      }
      switch (report) {
        case HostReport.Ready r -> {
          console.line(console.bold("host ") + r.host());
          console.line("  engine:        Docker " + r.engineVersion() + " (API " + r.apiVersion() + ")");
          console.line("  storage:       " + r.storageDriver() + " in " + r.dataRoot());
          console.line("  free disk:     " + (r.freeBytes() < 0 ? "unknown" : gib(r.freeBytes()) + " on " + r.dataRoot()));
          console.line("  socket access: yes");
        }
        case HostReport.NotReady n -> console.error(n.message());
      }
      return code;
    }

    private static String gib(long bytes) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
  }
}
