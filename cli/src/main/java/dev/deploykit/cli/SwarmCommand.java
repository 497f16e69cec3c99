package dev.deploykit.cli;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.HostAddress;
import dev.deploykit.core.swarm.SwarmCluster;
import dev.deploykit.core.swarm.SwarmException;
import dev.deploykit.core.swarm.SwarmDrain;
import dev.deploykit.core.swarm.SwarmInit;
import dev.deploykit.core.swarm.SwarmJoin;
import dev.deploykit.core.swarm.SwarmNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code deploykit swarm init|join|nodes|drain|activate}: make a Docker Swarm of hosts reached over
 * SSH, list its nodes, drain or activate one. {@code --host} names the manager (the worker for
 * join); every host's key is verified as for any other command.
 */
@Command(name = "swarm", description = {
    "Make a Docker Swarm cluster of hosts and look after its nodes (over SSH).",
    "init makes a swarm on the manager (--host), join adds a worker (--host) to the swarm of a"
        + " manager (--manager), nodes lists the nodes, drain and activate take a node out of"
        + " scheduling and back. init and join are idempotent: a second run has nothing to do."},
    subcommands = {SwarmCommand.Init.class, SwarmCommand.Join.class, SwarmCommand.Nodes.class,
        SwarmCommand.Drain.class, SwarmCommand.Activate.class})
final class SwarmCommand extends CommandGroup {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Override
  String missingCommand() {
    return "Missing command: deploykit swarm init|join|nodes|drain|activate --host ssh://user@manager";
  }

  /**
   * The engine {@code --host} (or DOCKER_HOST) names, connected; a swarm command never falls back
   * to the local engine, which nobody meant to turn into a swarm node.
   *
   * @throws UserError (bad input) when the engine named is not a remote host
   */
  DockerHost connectRemote(String role) {
    if (!root.target().remote()) {
      throw UserError.badInput("deploykit swarm works on remote hosts: name the " + role
          + " with --host ssh://user@host[:port] (or DOCKER_HOST=ssh://...), not " + root.target().describe());
    }
    return reach(root::connect, role);
  }

  /** Runs {@code work} on the cluster of the engine {@code --host} names, closing the connection after. */
  <T> T onManager(Function<SwarmCluster, T> work) {
    try (DockerHost manager = connectRemote("manager")) {
      return swarmFailure(() -> work.apply(SwarmCluster.of(manager)));
    }
  }

  /** The exit code a swarm problem ends a command with; the message is the library's. */
  static int exitCode(SwarmException.Problem problem) {
    return switch (problem) {
      case NOT_IN_SWARM, NOT_A_MANAGER, IN_ANOTHER_SWARM, NO_ADVERTISE_ADDRESS, UNKNOWN_NODE -> ExitCodes.BAD_INPUT;
      case JOIN_REFUSED, QUORUM_LOST, NODE_STATE -> ExitCodes.ENVIRONMENT;
    };
  }

  static <T> T swarmFailure(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (SwarmException e) {
      throw new UserError(exitCode(e.problem()), e.getMessage(), e);
    }
  }

  /** Connects, saying which swarm host could not be reached when it cannot. */
  static DockerHost reach(java.util.function.Supplier<DockerHost> connect, String role) {
    try {
      return connect.get();
    } catch (DeployException e) {
      throw new DeployException(e.reason(), "Cannot reach the swarm " + role + ": " + e.getMessage(), e);
    }
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  static Map<String, @Nullable Object> node(SwarmNode n) {
    return Json.object("id", n.id(), "hostname", n.hostname(), "role", lower(n.role()),
        "availability", lower(n.availability()), "state", lower(n.state()),
        "managerStatus", n.reachability() == SwarmNode.Reachability.NONE ? null : lower(n.reachability()),
        "engineVersion", n.engineVersion(), "address", n.address());
  }

  @Command(name = "init", description = {
      "Make a swarm with the --host engine as its first manager.",
      "Nothing to do when the host already manages a swarm. Open TCP 2377 (management), TCP/UDP"
          + " 7946 (gossip) and UDP 4789 (overlay) between the nodes."})
  static final class Init implements Callable<Integer> {
    @ParentCommand SwarmCommand swarm;

    @Option(names = "--advertise-addr", paramLabel = "ADDRESS",
        description = "The address the other nodes reach the manager on (ip or ip:port). Default: the"
            + " engine chooses; needed when the host has several addresses.")
    @Nullable String advertiseAddress;

    @Override
    public Integer call() {
      Console console = swarm.root.console();
      SwarmInit init = swarm.onManager(c -> c.init(advertiseAddress));
      String where = swarm.root.target().address();
      if (console.json()) {
        console.json(Json.write(Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
            "host", where, "swarmId", init.swarmId(), "nodeId", init.nodeId(),
            "managerAddress", init.managerAddress(), "nothingToDo", !init.created())));
        return ExitCodes.OK;
      }
      console.line(init.created()
          ? where + " manages the new swarm " + init.swarmId() + " (node " + init.nodeId() + "); workers join "
              + init.managerAddress() + ": deploykit swarm join --host ssh://WORKER --manager " + where
          : where + ": nothing to do, already a manager of swarm " + init.swarmId() + " (workers join "
              + init.managerAddress() + ")");
      return ExitCodes.OK;
    }
  }

  @Command(name = "join", description = {
      "Join the --host engine to the swarm of --manager as a worker.",
      "Reads the join token and the manager's address from the manager. Nothing to do when the host"
          + " is already a node of that swarm."})
  static final class Join implements Callable<Integer> {
    @ParentCommand SwarmCommand swarm;

    @Option(names = "--manager", required = true, paramLabel = "ADDRESS",
        description = "A manager of the swarm: ssh://user@host[:port] (the same keys and known_hosts as --host).")
    String manager;

    @Override
    public Integer call() {
      Console console = swarm.root.console();
      Deploykit root = swarm.root;
      HostAddress managerAddress;
      try {
        managerAddress = HostAddress.resolve(manager, null, null);
      } catch (IllegalArgumentException e) {
        throw UserError.badInput("--manager: " + e.getMessage());
      }
      if (!managerAddress.remote()) {
        throw UserError.badInput("--manager names a manager reached over SSH: ssh://user@host[:port], not " + manager);
      }
      SwarmJoin join;
      try (DockerHost worker = swarm.connectRemote("worker");
          DockerHost managerHost = reach(() -> build(root, managerAddress), "manager " + managerAddress.address())) {
        join = swarmFailure(() -> SwarmCluster.of(managerHost).join(worker));
      }
      String where = root.target().address();
      if (console.json()) {
        console.json(Json.write(Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
            "host", where, "manager", managerAddress.address(), "swarmId", join.swarmId(), "nodeId", join.nodeId(),
            "nothingToDo", !join.joined())));
        return ExitCodes.OK;
      }
      console.line(join.joined()
          ? where + " joined swarm " + join.swarmId() + " as a worker (node " + join.nodeId() + ")"
          : where + ": nothing to do, already node " + join.nodeId() + " of swarm " + join.swarmId());
      return ExitCodes.OK;
    }

    private static DockerHost build(Deploykit root, HostAddress address) {
      DockerHost host;
      try {
        host = root.hostOptions.sshBuilder(address, root.environment).build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw UserError.badInput(e.getMessage() + ". Give a key with --identity FILE, or its text in "
            + HostOptions.KEY_VARIABLE + ".");
      }
      try {
        host.ping();
        return host;
      } catch (RuntimeException e) {
        host.close();
        throw e;
      }
    }
  }

  @Command(name = "nodes", description = {
      "List the swarm's nodes as the --host manager sees them.",
      "Role, availability, state, manager status, engine version and address of each node."})
  static final class Nodes implements Callable<Integer> {
    @ParentCommand SwarmCommand swarm;

    @Override
    public Integer call() {
      Console console = swarm.root.console();
      List<SwarmNode> nodes = swarm.onManager(SwarmCluster::nodes);
      if (console.json()) {
        console.json(Json.write(Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
            "host", swarm.root.target().address(), "nodes", nodes.stream().map(SwarmCommand::node).toList())));
        return ExitCodes.OK;
      }
      table(nodes).forEach(console::line);
      return ExitCodes.OK;
    }

    /** The table's lines, a heading first, columns padded to their widest cell. */
    static List<String> table(List<SwarmNode> nodes) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "HOSTNAME", "ROLE", "AVAILABILITY", "STATE", "MANAGER", "ENGINE", "ADDRESS"});
      for (SwarmNode n : nodes) {
        rows.add(new String[] {n.id(), n.hostname(), lower(n.role()), lower(n.availability()), lower(n.state()),
            n.reachability() == SwarmNode.Reachability.NONE ? "-" : lower(n.reachability()),
            n.engineVersion(), n.address()});
      }
      int[] widths = new int[rows.getFirst().length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      List<String> lines = new ArrayList<>();
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", row[i]));
        }
        lines.add(line.toString().stripTrailing());
      }
      return lines;
    }
  }

  @Command(name = "drain", description = {
      "Drain a node start-first: its tasks' replacements run healthy on the other nodes before the"
          + " node's own tasks stop (Swarm's own drain stops them first); then no new tasks go there."})
  static final class Drain implements Callable<Integer> {
    @ParentCommand SwarmCommand swarm;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NODE", description = "The node's id (or a unique prefix) or host name.")
    String node;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
        description = "How long the replacements may take to run healthy; past it the node is drained"
            + " anyway. Default: ${DEFAULT-VALUE}.")
    long timeout;

    @Override
    public Integer call() {
      Console console = swarm.root.console();
      if (timeout < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--timeout must be at least 1 second, found " + timeout);
      }
      SwarmDrain drained = swarm.onManager(c -> c.drain(node, java.time.Duration.ofSeconds(timeout), console::step));
      SwarmNode after = drained.node();
      if (console.json()) {
        console.json(Json.write(Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
            "host", swarm.root.target().address(), "node", node(after), "nothingToDo", !drained.changed(),
            "moved", drained.moved(), "startedFirst", drained.startedFirst())));
        return ExitCodes.OK;
      }
      String name = after.hostname() + " (" + after.id() + ")";
      if (!drained.changed()) {
        console.line("node " + name + ": nothing to do, already drained");
      } else {
        int tasks = drained.moved().values().stream().mapToInt(Integer::intValue).sum();
        console.line("node " + name + " is now drained: " + tasks + " task(s) of " + drained.moved().size()
            + " deploykit service(s) moved" + (tasks == 0 ? "" : drained.startedFirst()
                ? ", their replacements healthy before they stopped"
                : "; the replacements were not all healthy within " + timeout + " s, so some stopped first"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "activate", description = {"Make a drained (or paused) node take tasks again."})
  static final class Activate implements Callable<Integer> {
    @ParentCommand SwarmCommand swarm;

    @Parameters(index = "0", paramLabel = "NODE", description = "The node's id (or a unique prefix) or host name.")
    String node;

    @Override
    public Integer call() {
      Console console = swarm.root.console();
      SwarmNode.Availability wanted = SwarmNode.Availability.ACTIVE;
      SwarmNode[] before = new SwarmNode[1];
      SwarmNode after = swarm.onManager(c -> {
        before[0] = c.nodes().stream().filter(n -> n.id().equals(node) || n.hostname().equals(node)).findFirst()
            .orElse(null);
        return c.availability(node, wanted);
      });
      boolean changed = before[0] == null || before[0].availability() != wanted;
      if (console.json()) {
        console.json(Json.write(Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
            "host", swarm.root.target().address(), "node", node(after), "nothingToDo", !changed)));
        return ExitCodes.OK;
      }
      String name = after.hostname() + " (" + after.id() + ")";
      console.line(changed ? "node " + name + " is now " + lower(wanted)
          : "node " + name + ": nothing to do, already " + lower(wanted));
      return ExitCodes.OK;
    }
  }
}
