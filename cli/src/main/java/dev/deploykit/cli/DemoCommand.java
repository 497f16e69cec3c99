package dev.deploykit.cli;

import java.util.Optional;

import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Stack;
import dev.deploykit.health.HealthReport;
import dev.deploykit.images.ImageSource;
import dev.deploykit.images.Recipes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", description = {
    "The whole thing on this machine: deploy, zero-downtime update, automatic rollback.",
    "The whole thing on this machine in a few minutes: builds or pulls the sample stack's images,"
        + " deploys examples/compose.yaml (PostgreSQL, an Ollama LLM service, a web app, a worker)"
        + " to the local Docker engine with its proxy on 127.0.0.1, puts steady traffic on it,"
        + " deploys v2 with zero downtime, then a broken v3 that deploykit rolls back by itself,"
        + " and prints the request counts and the health report.",
    "demo --down removes everything the demo made (containers, network, volumes)."})
final class DemoCommand implements Callable<Integer> {
  static final String FAULT = "unhealthy-after:2s";
  /** The demo's traffic stops by itself after this long, whatever happens to the demo. */
  private static final Duration TRAFFIC_LIMIT = Duration.ofMinutes(15);

  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Option(names = "--down", description = "Remove the demo's stack: containers, network, volumes, state.")
  boolean down;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
      description = "The port the proxy publishes on 127.0.0.1 (default: the stack file's proxy_port when free,"
          + " else any free port).")
  int port;

  @Option(names = "--images", paramLabel = "SOURCE", defaultValue = "auto",
      description = "auto (official images where they can be pulled, else stand-ins built here),"
          + " official or local. Default: ${DEFAULT-VALUE}.")
  ImageSource images = ImageSource.AUTO;

  @Option(names = "--clients", paramLabel = "N", defaultValue = "4",
      description = "Concurrent clients of the load generator (default: ${DEFAULT-VALUE}).")
  int clients;

  @Override
  public Integer call() throws InterruptedException {
    Console console = root.console();
    if (root.file == null) {
      root.file = sampleStackFile();
    }
    if (port < 0 || port > 65535 || clients < 1) {
      throw UserError.badInput("--port must be 0-65535 and --clients at least 1");
    }
    Stack written = root.loadStack();
    if (!down && root.target().remote()) {
      throw UserError.badInput("deploykit demo builds and serves its stack on this machine's engine,"
          + " not on " + root.target().describe() + ": a remote host takes demo --down only."
          + " Deploy a stack of your own there with deploykit --host ... deploy.");
    }
    try (DockerHost host = root.connect()) {
      if (down) {
        return down(console, host, written.name());
      }
      return run(console, host, written);
    }
  }

  private int down(Console console, DockerHost host, String stack) {
    Deployer.builder(host).build().down(stack, true);
    if (console.json()) {
      console.json(Json.write(Json.object("ok", true, "removed", stack)));
    } else {
      console.line(console.green("✔ ") + "removed the demo's stack " + stack
          + " (containers, network, volumes, release state) from " + host.describe());
    }
    return ExitCodes.OK;
  }

  private int run(Console console, DockerHost host, Stack written) throws InterruptedException {
    long t0 = System.nanoTime();
    Deployer deployer = Deployer.builder(host).build();
    // A demo stack that is still up keeps its port (its proxy holds it); else the file's or any free one.
    int filePort = written.settings().proxyPort();
    int proxyPort = port != 0 ? port
        : deployer.inspect(written).proxyUrl().map(URI::getPort).orElseGet(() -> freePort(filePort));
    console.heading("deploykit demo on " + host.describe() + ", stack file " + root.stackFile());

    console.heading("images");
    StackImages resolver = new StackImages(host, images, console);
    String proxyImage = resolver.proxyImage();
    buildSampleImages(resolver);
    Stack v1 = stack(resolver, proxyPort, "v1", "v1", "");
    long imagesDone = System.nanoTime();

    Releasing releasing = new Releasing(root, host, proxyImage, "127.0.0.1");
    URI url = URI.create("http://127.0.0.1:" + proxyPort + "/version");
    List<Map<String, Object>> steps = new ArrayList<>();

    console.heading("1/3 release v1: PostgreSQL and the LLM service created, schema migrated, app and worker v1");
    Releasing.Outcome first = releasing.run("release v1", d -> d.deploy(v1, "v1"));
    steps.add(step("v1", first.result()));
    if (!(first.result() instanceof DeployResult.Deployed)) {
      console.error("The first release did not go live, so the demo stops here. `deploykit -f "
          + root.stackFile() + " logs app` shows why; `deploykit demo --down` cleans up.");
      return finish(console, steps, null, null, t0, imagesDone, proxyPort, ExitCodes.NOT_DEPLOYED);
    }

    console.heading("traffic: " + clients + " clients on " + url + ", every answer counted");
    LoadGenerator load = LoadGenerator.builder(url).clients(clients).pause(Duration.ofMillis(20))
        .timeLimit(TRAFFIC_LIMIT).start();
    Releasing.Outcome third;
    try {
      Thread.sleep(1000);
      console.step(counts(console, load));

      console.heading("2/3 release v2 under load: the new app is health-gated, then takes traffic; the old one drains");
      Stack v2 = stack(resolver, proxyPort, "v2", "v2", "");
      Releasing.Outcome second = releasing.run("release v2", d -> d.deploy(v2, "v2"));
      steps.add(step("v2", second.result()));
      console.step(counts(console, load));

      console.heading("3/3 release v3 with a defect (SAMPLE_FAULT=" + FAULT
          + "): it passes its gate, turns unhealthy in the watch window, deploykit rolls it back");
      Stack v3 = stack(resolver, proxyPort, "v3", "v2", FAULT);
      third = releasing.run("release v3", d -> d.deploy(v3, "v3"));
      steps.add(step("v3", third.result()));
      Thread.sleep(1000);
    } finally {
      load.close();
    }
    console.step(counts(console, load));

    console.heading("health");
    HealthReport health = HealthCommand.report(deployer, deployer.inspect(v1), null);
    console.line(health.toText().stripTrailing());

    boolean good = steps.get(0).get("outcome").equals("deployed") && steps.get(1).get("outcome").equals("deployed")
        && !steps.get(2).get("outcome").equals("deployed") && load.failed() == 0;
    printResult(console, load, steps, third.result());
    lookAround(console, proxyPort, filePort);
    return finish(console, steps, load, health, t0, imagesDone, proxyPort, good ? ExitCodes.OK : ExitCodes.NOT_DEPLOYED);
  }

  private static void buildSampleImages(StackImages resolver) {
    for (String v : List.of("v1", "v2", "v3")) {
      resolver.build(Recipes.sampleApp(v));
    }
    for (String v : List.of("v1", "v2")) {
      resolver.build(Recipes.sampleWorker(v));
    }
  }

  private static void printResult(Console console, LoadGenerator load, List<Map<String, Object>> steps,
      DeployResult third) {
    console.heading("result");
    console.line(String.format(Locale.ROOT, "requests: %s served, %s failed (%.0f/s); answers by version: %s",
        console.bold(Long.toString(load.served())),
        load.failed() == 0 ? console.green("0") : console.red(Long.toString(load.failed())), load.requestsPerSecond(),
        load.byVersion()));
    load.lastFailure().ifPresent(f -> console.line("last failure: " + f));
    console.line("releases: v1 " + steps.get(0).get("outcome") + ", v2 " + steps.get(1).get("outcome")
        + " with zero downtime, v3 " + steps.get(2).get("outcome")
        + (third instanceof DeployResult.RolledBack b ? " (traffic back on " + b.restoredRelease() + ")" : ""));
  }

  /** The commands to look around the demo's stack with, as this shell would type them. */
  private void lookAround(Console console, int proxyPort, int filePort) {
    Path file = root.stackFile().toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath();
    String f = "-f " + (file.startsWith(cwd) ? cwd.relativize(file) : file);
    String env = proxyPort == filePort ? "" : "PROXY_PORT=" + proxyPort + " ";
    String launcher = System.getProperty("deploykit.home") == null ? "deploykit"
        : cwd.equals(Path.of(System.getProperty("deploykit.home")).toAbsolutePath()) ? "./deploykit"
        : Path.of(System.getProperty("deploykit.home"), "deploykit").toString();
    console.line("");
    console.line(console.bold("Look around:"));
    console.line("  curl http://127.0.0.1:" + proxyPort + "/version");
    console.line("  " + env + launcher + " " + f + " status");
    console.line("  " + env + launcher + " " + f + " releases");
    console.line("  " + env + launcher + " " + f + " health");
    console.line("  " + env + launcher + " " + f + " logs worker");
    console.line("  " + env + launcher + " " + f + " rollback");
    console.line(console.bold("Tear down:") + " " + launcher + " demo --down");
  }

  private int finish(Console console, List<Map<String, Object>> steps, @Nullable LoadGenerator load,
      @Nullable HealthReport health, long t0, long imagesDone, int proxyPort, int code) {
    Duration wall = Duration.ofNanos(System.nanoTime() - t0);
    Duration releases = Duration.ofNanos(System.nanoTime() - imagesDone);
    console.line(String.format(Locale.ROOT, "demo wall time: %.1f s (images %.1f s, releases and traffic %.1f s)",
        wall.toMillis() / 1000.0, (wall.toMillis() - releases.toMillis()) / 1000.0, releases.toMillis() / 1000.0));
    if (console.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("ok", code == ExitCodes.OK);
      doc.put("url", "http://127.0.0.1:" + proxyPort);
      doc.put("releases", steps);
      if (load != null) {
        doc.put("requests", Json.object("served", load.served(), "failed", load.failed(), "versions", load.byVersion()));
      }
      if (health != null) {
        doc.put("health", health.status().name());
      }
      doc.put("wallSeconds", wall.toMillis() / 1000.0);
      console.json(Json.write(doc));
    }
    return code;
  }

  private static Map<String, Object> step(String version, DeployResult result) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("release", result.release().id());
    m.put("outcome", switch (result) {
      case DeployResult.Deployed d -> "deployed";
      case DeployResult.Refused r -> "refused";
      case DeployResult.RolledBack b -> "rolled back";
    });
    m.put("seconds", result.elapsed().toMillis() / 1000.0);
    return m;
  }

  private static String counts(Console console, LoadGenerator load) {
    return String.format(Locale.ROOT, "traffic so far: %d served, %s failed", load.served(),
        load.failed() == 0 ? console.green("0") : console.red(Long.toString(load.failed())));
  }

  /**
   * The sample stack for a release: the images as the engine can run them, and (when the file has
   * no db_init block) the sample's migrations run by the release's database step.
   */
  private Stack stack(StackImages resolver, int proxyPort, String app, String worker, String fault) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PROXY_PORT", Integer.toString(proxyPort));
    env.put("APP_VERSION", app);
    env.put("WORKER_VERSION", worker);
    env.put("WATCH_WINDOW", "6s");
    env.put("SAMPLE_FAULT", fault);
    Stack stack = root.loadStack(env);
    if (Optional.ofNullable(stack.settings().database()).isEmpty() && stack.service("db").isPresent()) {
      Path migrations = root.stackFile().toAbsolutePath().getParent().resolve("migrations");
      String password = stack.service("db").get().environment().getOrDefault("POSTGRES_PASSWORD", "sample-secret");
      stack = new Stack(stack.name(), stack.services(), stack.settings().withDatabase(
          new DatabaseSettings("db", 5432, "app", "app", password,
              Files.isDirectory(migrations) ? List.of("filesystem:" + migrations) : List.of(),
              null, null, Duration.ofMinutes(2))));
    }
    return resolver.resolveStack(stack);
  }

  /** examples/compose.yaml of the repository the launcher runs from, or of the working folder. */
  static Path sampleStackFile() {
    String home = System.getProperty("deploykit.home");
    Path here = Path.of("examples", "compose.yaml");
    if (home != null && !home.isBlank()) {
      Path p = Path.of(home).resolve(here);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return here;
  }

  private static int freePort(int preferred) {
    for (int candidate : new int[] {preferred, 0}) {
      try (ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // next candidate
      }
    }
    throw UserError.environment("No free TCP port on 127.0.0.1 for the demo's proxy; name one with --port",
        new IllegalStateException());
  }
}
