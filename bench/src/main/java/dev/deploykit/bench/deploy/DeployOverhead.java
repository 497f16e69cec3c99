package dev.deploykit.bench.deploy;

import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.images.Recipes;
import dev.deploykit.images.StandInImages;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The overhead of a redeploy on the local engine: the sample stack ({@code examples/compose.yaml})
 * deployed once, then {@code swaps} redeploys that change only the app image (v1 and v2 in turn;
 * the worker image, PostgreSQL and Ollama unchanged). For each redeploy it prints the wall time,
 * what the release had to wait for (the app's gate, the worker's gate, the watch window) and the
 * rest, which is deploykit's own overhead: the lock, convergence, image checks, the accessories'
 * checks, db-init, starting containers, the switch, the drain and recording. At the end: the
 * overhead's median and p95 against its target (1.5 s), and healthy-to-switched's distribution
 * over the swaps against its target (p95 at most 25 ms). Figures only; nothing is asserted.
 *
 * <p>Run it with {@code bench/deploy.sh [swaps, default 20]}. Needs a Docker engine; the images
 * (stand-ins where no registry answers, the sample app v1/v2 and worker v1) are built once. The
 * stack ({@code bench-deploy}) is removed at the end, volumes included.
 */
public final class DeployOverhead {
  private static final String STACK = "bench-deploy";
  private static final double OVERHEAD_TARGET_MS = 1500;
  private static final double HEALTHY_TO_SWITCHED_TARGET_MS = 25;

  private DeployOverhead() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int swaps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path compose = Path.of(System.getProperty("deploykit.repository.root", ".")).resolve("examples/compose.yaml");
    try (DockerHost host = DockerHost.local()) {
      StandInImages images = StandInImages.builder(host.client()).build();
      for (String v : List.of("v1", "v2")) {
        images.build(Recipes.sampleApp(v));
      }
      images.build(Recipes.sampleWorker("v1"));
      String proxyImage = images.resolve(Deployer.DEFAULT_PROXY_IMAGE).image();
      int port = freePort();
      List<DeployEvent> events = new CopyOnWriteArrayList<>();
      Deployer deployer = Deployer.builder(host).proxyImage(proxyImage).listener(events::add).build();
      try {
        Stack first = stack(compose, images, port, "v1");
        DeployResult initial = deployer.deploy(first, "v1");
        System.out.printf("first deploy (creates PostgreSQL, Ollama, the proxy): %s in %d ms%n",
            Redeploy.outcome(initial), initial.elapsed().toMillis());
        List<Redeploy> runs = new ArrayList<>();
        for (int i = 1; i <= swaps; i++) {
          String version = i % 2 == 1 ? "v2" : "v1";
          events.clear();
          DeployResult result = deployer.deploy(stack(compose, images, port, version), version);
          Redeploy run = Redeploy.of(result, List.copyOf(events));
          runs.add(run);
          System.out.println(run.line(i, version));
        }
        System.out.println();
        System.out.print(Redeploy.summary(runs, OVERHEAD_TARGET_MS, HEALTHY_TO_SWITCHED_TARGET_MS));
        System.out.printf("load average (1 min) at the end: %.2f%n", loadAverage());
      } finally {
        deployer.down(STACK, true);
      }
    }
  }

  private static Stack stack(Path compose, StandInImages images, int port, String appVersion) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(Map.of("PROXY_PORT", Integer.toString(port), "APP_VERSION", appVersion,
        "WORKER_VERSION", "v1", "WATCH_WINDOW", System.getProperty("bench.watchWindow", "3s"),
        "DB_PASSWORD", "bench-deploy-secret"));
    Stack stack = ComposeFile.of(compose).environment(env).projectName(STACK).load();
    List<Service> services = stack.services().stream()
        .map(s -> Recipes.forOfficial(s.image()).isPresent()
            ? s.newBuilder().image(images.resolve(s.image()).image()).build() : s)
        .toList();
    return new Stack(stack.name(), services, stack.settings());
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Shorthand used by {@link Redeploy}. */
  static double ms(Duration d) {
    return d.toNanos() / 1e6;
  }
}
