package dev.deploykit.cli;

import dev.deploykit.core.Deployer;
import dev.deploykit.core.Release;
import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.host.HostCheck;
import dev.deploykit.core.host.HostReport;
import dev.deploykit.digitalocean.ApiEvent;
import dev.deploykit.digitalocean.DigitalOcean;
import dev.deploykit.digitalocean.DownResult;
import dev.deploykit.digitalocean.Droplet;
import dev.deploykit.digitalocean.DropletPlan;
import dev.deploykit.digitalocean.Firewall;
import dev.deploykit.digitalocean.FirewallRule;
import dev.deploykit.digitalocean.Provisioner;
import dev.deploykit.digitalocean.StackDroplets;
import dev.deploykit.digitalocean.UpResult;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code deploykit do up|status|down}: a DigitalOcean droplet for the stack, made from a token
 * (DIGITALOCEAN_TOKEN), its host key pinned before the first connection, behind a firewall. The
 * library ({@link Provisioner}) does the work; this class reads options and prints.
 */
@Command(name = "do", description = {
    "A DigitalOcean droplet for the stack: make it (up), look at it (status), destroy it (down).",
    "The token is read from " + DoCommand.TOKEN_VARIABLE + " only. See docs/digitalocean.md."},
    subcommands = {DoCommand.Up.class, DoCommand.Status.class, DoCommand.Down.class})
final class DoCommand extends CommandGroup {
  static final String TOKEN_VARIABLE = "DIGITALOCEAN_TOKEN";
  static final String URL_VARIABLE = "DIGITALOCEAN_API_URL";

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Override
  String missingCommand() {
    return "Missing command: deploykit do up, deploykit do status or deploykit do down";
  }

  /** The options every do command shares. */
  static final class Common {
    @Option(names = "--stack", paramLabel = "NAME",
        description = "The stack (default: the stack file's name). Its droplets are tagged deploykit:NAME.")
    @Nullable String stack;

    @Option(names = "--api-url", paramLabel = "URL",
        description = "The DigitalOcean API (default: " + URL_VARIABLE + ", else https://api.digitalocean.com).")
    @Nullable URI apiUrl;

    @Option(names = "--state-dir", paramLabel = "DIR",
        description = "Where the pinned host keys are kept (default ~/.deploykit/digitalocean).")
    @Nullable Path stateDir;
  }

  DigitalOcean api(Common common, Console console) {
    String token = root.environment.apply(TOKEN_VARIABLE);
    if (token == null || token.isBlank()) {
      throw UserError.badInput("No DigitalOcean token: set " + TOKEN_VARIABLE + " to a token with read and write"
          + " scopes (https://cloud.digitalocean.com/account/api/tokens); deploykit reads it from there only");
    }
    URI url = common.apiUrl;
    String fromEnv = root.environment.apply(URL_VARIABLE);
    if (url == null && fromEnv != null && !fromEnv.isBlank()) {
      url = URI.create(fromEnv.strip());
    }
    char[] chars = token.strip().toCharArray();
    try {
      return DigitalOcean.builder(chars).baseUrl(url == null ? DigitalOcean.DEFAULT_BASE_URL : url)
          .events(e -> {
            if (e instanceof ApiEvent.RateLimited || e instanceof ApiEvent.Retrying) {
              console.hint("  " + e.message());
            }
          }).build();
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  Provisioner provisioner(DigitalOcean api, Common common, Console console) {
    Provisioner.Builder builder = Provisioner.builder(api).events(line -> console.hint("  " + line))
        .knownHosts(knownHosts());
    if (common.stateDir != null) {
      builder.stateDir(common.stateDir);
    }
    return builder.build();
  }

  Path knownHosts() {
    Path file = root.hostOptions.knownHosts;
    return file != null ? file : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  /** The stack's name: --stack, else the stack file's (when there is one). */
  String stackName(Common common, @Nullable String fallback) {
    if (common.stack != null) {
      return common.stack;
    }
    Stack stack = stackOrNull();
    if (stack != null) {
      return stack.name();
    }
    if (fallback != null) {
      return fallback;
    }
    throw UserError.badInput("Which stack? Name it with --stack NAME, or give its file with -f FILE");
  }

  @Nullable Stack stackOrNull() {
    if (root.file == null && !Files.isRegularFile(Path.of("compose.yaml"))) {
      return null;
    }
    return root.loadStack();
  }

  @Command(name = "up", description = {
      "Make the stack's droplet, or find it made, and wait until deploykit can release to it.",
      "Uploads the public key if the account lacks it; creates the droplet (tags deploykit and deploykit:STACK)"
          + " with a cloud-config that creates the deploy user, installs Docker and carries a host key made here,"
          + " whose known_hosts line is written before the first connection; a firewall (SSH from --admin-cidr only;"
          + " 80, 443 and the proxy port from anywhere); waits for SSH and the engine. A second run has nothing to do."})
  static final class Up implements Callable<Integer> {
    @ParentCommand DoCommand parent;

    @picocli.CommandLine.Mixin Common common = new Common();

    @Option(names = "--name", paramLabel = "NAME", description = "The droplet's name (default: STACK-1).")
    @Nullable String name;

    @Option(names = "--region", paramLabel = "SLUG", defaultValue = "nyc3", description = "Region (default ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--size", paramLabel = "SLUG", defaultValue = "s-1vcpu-1gb", description = "Size (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--image", paramLabel = "SLUG", defaultValue = "ubuntu-24-04-x64",
        description = "Image, Debian or Ubuntu (default ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--user", paramLabel = "USER", defaultValue = "deploy", description = "The deploy user (default ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--public-key", paramLabel = "FILE",
        description = "The public key authorised for the user (default: the --identity key's .pub, else ~/.ssh/id_ed25519.pub).")
    @Nullable Path publicKey;

    @Option(names = "--admin-cidr", paramLabel = "CIDR", required = true,
        description = "Where SSH may come from (repeatable), e.g. 203.0.113.4/32.")
    List<String> adminCidrs = new ArrayList<>();

    @Option(names = "--allow-ssh-from-anywhere", description = "Let --admin-cidr be 0.0.0.0/0 or ::/0.")
    boolean anywhere;

    @Option(names = "--proxy-port", paramLabel = "PORT",
        description = "The stack's proxy port opened in the firewall (default: the stack file's, else 8080).")
    @Nullable Integer proxyPort;

    @Option(names = "--reserved-ip", paramLabel = "IP", description = "A reserved IP of the account to assign to the droplet.")
    @Nullable String reservedIp;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "600",
        description = "How long SSH and the engine may take to answer (default ${DEFAULT-VALUE}).")
    int readyTimeout;

    @Option(names = "--cleanup-on-failure", description = "Destroy a droplet made by this run when it never becomes ready.")
    boolean cleanup;

    @Override
    public Integer call() {
      Console console = parent.root.console();
      Stack stack = parent.stackOrNull();
      String stackName = common.stack != null ? common.stack : stack != null ? stack.name() : null;
      if (stackName == null) {
        throw UserError.badInput("Which stack? Name it with --stack NAME, or give its file with -f FILE");
      }
      int port = proxyPort != null ? proxyPort : stack != null ? stack.settings().proxyPort() : 8080;
      Path identity = parent.root.hostOptions.identities.isEmpty() ? null : parent.root.hostOptions.identities.get(0);
      Path keyFile = publicKey != null ? publicKey : identity != null ? Path.of(identity + ".pub")
          : Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519.pub");
      String key;
      try {
        key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw UserError.badInput("Cannot read the public key " + keyFile + " (" + e.getClass().getSimpleName()
            + "); name it with --public-key FILE");
      }
      DropletPlan plan = new DropletPlan(stackName, name != null ? name : stackName.replace('_', '-') + "-1", region, size,
          image, user, key, identity, adminCidrs, anywhere, port, reservedIp, Duration.ofSeconds(readyTimeout), cleanup);
      DigitalOcean api = parent.api(common, console);
      console.hint("do up: droplet " + plan.name() + " for stack " + stackName + " (" + api.baseUrl() + ")");
      UpResult result = parent.provisioner(api, common, console).up(plan);
      if (console.json()) {
        console.json(Json.write(Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
            "nothingToDo", result.nothingToDo(), "changes", result.changes(), "droplet", droplet(result.droplet()),
            "host", result.host(), "hostKey", result.hostKeyFingerprint(), "engineVersion", result.engineVersion(),
            "firewall", firewall(result.firewall()), "reservedIp", result.reservedIp(),
            "apiCalls", result.apiCalls(), "apiRetries", result.apiRetries(), "millis", result.millis())));
        return ExitCodes.OK;
      }
      console.line((result.nothingToDo() ? "nothing to do: " : "ready: ") + "droplet " + result.droplet().id() + " ("
          + result.droplet().name() + ") at " + result.droplet().publicIpv4() + ", Docker " + result.engineVersion());
      console.line("  host key " + result.hostKeyFingerprint() + " pinned in " + parent.knownHosts());
      console.line("  firewall " + result.firewall().name() + ": " + result.firewall().inbound().stream()
          .map(FirewallRule::toString).toList());
      result.changes().forEach(c -> console.line("  changed: " + c));
      console.line("  " + result.apiCalls() + " API calls (" + result.apiRetries() + " retried) in " + result.millis() + " ms");
      console.line("deploy with: deploykit deploy --host " + result.host()
          + (parent.root.hostOptions.knownHosts != null ? " --known-hosts " + parent.root.hostOptions.knownHosts : "")
          + (identity != null ? " --identity " + identity : ""));
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", description = {
      "The stack's droplets on DigitalOcean, their addresses, the firewall, whether each engine answers over SSH,"
          + " and the stack's health report on each droplet whose engine answers (as deploykit health --host reads it).",
      "Exit 0 when every droplet's engine answers and no health report is down, 1 otherwise."})
  static final class Status implements Callable<Integer> {
    @ParentCommand DoCommand parent;

    @picocli.CommandLine.Mixin Common common = new Common();

    @Option(names = "--user", paramLabel = "USER", defaultValue = "deploy", description = "The deploy user (default ${DEFAULT-VALUE}).")
    String user;

    @Override
    public Integer call() throws InterruptedException {
      Console console = parent.root.console();
      Stack file = parent.stackOrNull();
      String stack = parent.stackName(common, null);
      DigitalOcean api = parent.api(common, console);
      StackDroplets found = parent.provisioner(api, common, console).status(stack);
      List<Map<String, @Nullable Object>> rows = new ArrayList<>();
      List<@Nullable HealthReport> reports = new ArrayList<>();
      boolean healthy = !found.droplets().isEmpty();
      for (Droplet d : found.droplets()) {
        String engine = "no address yet";
        boolean up = false;
        HealthReport health = null;
        String healthNote = null;
        if (d.publicIpv4() != null) {
          SshHost.Builder ssh = DockerHost.ssh(d.publicIpv4()).user(user).knownHosts(parent.knownHosts())
              .connectTimeout(Duration.ofSeconds(10));
          parent.root.hostOptions.identities.forEach(ssh::identityFile);
          try {
            HostReport report = HostCheck.of(ssh).run();
            up = report instanceof HostReport.Ready;
            engine = report instanceof HostReport.Ready r ? "Docker " + r.engineVersion() : ((HostReport.NotReady) report).message();
          } catch (RuntimeException e) {
            engine = String.valueOf(e.getMessage());
          }
          if (up) {
            try {
              health = parent.stackHealth(ssh, stack, file);
              healthNote = health == null ? "no release deployed (deploykit deploy --host ssh://" + user + "@"
                  + d.publicIpv4() + ")" : null;
            } catch (RuntimeException e) {
              healthNote = "health not read: " + e.getMessage();
            }
          }
        }
        healthy &= up && (health == null || health.status() != HealthStatus.DOWN);
        Map<String, @Nullable Object> row = droplet(d);
        row.put("engine", engine);
        row.put("engineReady", up);
        row.put("health", health == null ? null : Json.parse(health.toJson()));
        row.put("healthNote", healthNote);
        rows.add(row);
        reports.add(health);
      }
      int code = healthy ? ExitCodes.OK : ExitCodes.NOT_DEPLOYED;
      if (console.json()) {
        console.json(Json.write(Json.object("ok", healthy, "exitCode", code, "status", ExitCodes.status(code),
            "stack", stack, "droplets", rows, "firewall", found.firewall().map(DoCommand::firewall).orElse(null),
            "reservedIps", found.reservedIps().stream().map(r -> r.ip()).toList())));
        return code;
      }
      if (found.droplets().isEmpty()) {
        console.line("stack " + stack + ": no droplet on DigitalOcean (deploykit do up makes one)");
        return code;
      }
      console.line(console.bold("stack ") + stack);
      for (int i = 0; i < rows.size(); i++) {
        Map<String, @Nullable Object> row = rows.get(i);
        console.line("  droplet " + row.get("id") + " " + row.get("name") + " " + row.get("status") + " " + row.get("publicIpv4")
            + " (" + row.get("region") + ", " + row.get("size") + "): " + row.get("engine"));
        HealthReport health = reports.get(i);
        if (health != null) {
          health.toText().stripTrailing().lines().forEach(l -> console.line("    " + l));
        } else if (row.get("healthNote") != null) {
          console.line("    health: " + row.get("healthNote"));
        }
      }
      console.line("  firewall: " + found.firewall().map(f -> f.name() + " " + f.inbound().stream()
          .map(FirewallRule::toString).toList()).orElse("none"));
      found.reservedIps().forEach(r -> console.line("  reserved IP: " + r.ip() + " -> droplet " + r.dropletId()));
      return code;
    }
  }

  @Command(name = "down", description = {
      "Destroy the stack's droplets (only those tagged deploykit:STACK), its firewall (only deploykit's),"
          + " and their known_hosts lines. Reserved IPs stay on the account. Asks first unless --yes."})
  static final class Down implements Callable<Integer> {
    @ParentCommand DoCommand parent;

    @picocli.CommandLine.Mixin Common common = new Common();

    @Option(names = "--name", paramLabel = "NAME", description = "Only this droplet of the stack.")
    @Nullable String name;

    @Option(names = "--yes", description = "Do not ask.")
    boolean yes;

    @Override
    public Integer call() {
      Console console = parent.root.console();
      String stack = parent.stackName(common, null);
      DigitalOcean api = parent.api(common, console);
      Provisioner provisioner = parent.provisioner(api, common, console);
      if (!yes) {
        StackDroplets found = provisioner.status(stack);
        if (found.droplets().isEmpty() && found.firewall().isEmpty()) {
          console.line("stack " + stack + ": nothing on DigitalOcean to destroy");
          return ExitCodes.OK;
        }
        String what = found.droplets().stream().map(d -> d.id() + " (" + d.name() + ")").toList()
            + found.firewall().map(f -> " and firewall " + f.name()).orElse("");
        if (System.console() == null || console.json()) {
          throw UserError.badInput("deploykit do down would destroy droplets " + what + "; run it again with --yes");
        }
        console.hint("Destroy droplets " + what + "? Type yes: ");
        String answer = System.console().readLine();
        if (answer == null || !answer.strip().equalsIgnoreCase("yes")) {
          console.line("nothing destroyed");
          return ExitCodes.OK;
        }
      }
      DownResult result = provisioner.down(stack, name);
      if (console.json()) {
        console.json(Json.write(Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
            "nothingToDo", result.nothingToDo(), "droplets", result.droplets().stream().map(Droplet::id).toList(),
            "firewall", result.firewall(), "knownHostsLines", result.knownHostsLines())));
        return ExitCodes.OK;
      }
      if (result.nothingToDo()) {
        console.line("stack " + stack + ": nothing on DigitalOcean to destroy");
        return ExitCodes.OK;
      }
      console.line("destroyed: droplets " + result.droplets().stream().map(d -> d.id() + " (" + d.name() + ")").toList()
          + ", firewall " + result.firewall() + ", known_hosts lines for " + result.knownHostsLines());
      return ExitCodes.OK;
    }
  }

  /**
   * The stack's health on the droplet, read over SSH exactly as {@code deploykit health --host}
   * reads it ({@link HealthCommand#of}): the stack file's stack when there is a file (it is what
   * was deployed there, whatever --stack tags the droplets), else the live release's snapshot of
   * the stack named {@code stack}; null when the host has no live release of it.
   */
  @Nullable HealthReport stackHealth(SshHost.Builder ssh, String stack, @Nullable Stack declared)
      throws InterruptedException {
    String name = declared != null ? declared.name() : stack;
    try (DockerHost host = ssh.build()) {
      host.ping();
      Deployer deployer = Deployer.builder(host).build();
      Optional<Release> live = deployer.history(name).live();
      if (live.isEmpty()) {
        return null;
      }
      Stack deployed = declared != null ? declared : deployer.snapshot(name, live.get().id()).orElse(null);
      return deployed == null ? null : HealthCommand.of(deployer, deployed, null, root.environment);
    }
  }

  static Map<String, @Nullable Object> droplet(Droplet d) {
    return Json.object("id", d.id(), "name", d.name(), "status", d.status(), "publicIpv4", d.publicIpv4(),
        "privateIpv4", d.privateIpv4(), "region", d.region(), "size", d.size(), "image", d.image(), "tags", d.tags());
  }

  static Map<String, @Nullable Object> firewall(Firewall f) {
    return Json.object("id", f.id(), "name", f.name(), "status", f.status(),
        "inbound", f.inbound().stream().map(FirewallRule::toString).toList(), "tags", f.tags());
  }
}
