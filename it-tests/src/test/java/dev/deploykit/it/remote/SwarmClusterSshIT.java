package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.it.cli.Cli;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.SwarmDroplets;
import dev.deploykit.it.support.TestDroplet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;

/**
 * {@code deploykit swarm} against three droplets of its own, in order: a manager that cannot be
 * reached, a join to a manager in no swarm, init and two joins (each run twice: the second has
 * nothing to do), the nodes with their roles, drain and activate, a worker named as the manager, and last a quorum lost (the
 * workers promoted to managers, then two of the three managers stopped).
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class SwarmClusterSshIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Not a host anyone listens on. */
  private static final String NOWHERE = "ssh://deploy@127.0.0.1:1";

  private final List<TestDroplet> droplets = new ArrayList<>();
  private final List<String> addresses = new ArrayList<>();
  private final List<String> access = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    var starting = List.of(java.util.concurrent.CompletableFuture.supplyAsync(() -> TestDroplet.start()),
        java.util.concurrent.CompletableFuture.supplyAsync(() -> TestDroplet.start()),
        java.util.concurrent.CompletableFuture.supplyAsync(() -> TestDroplet.start()));
    for (var future : starting) {
      droplets.add(future.join());
    }
    Path knownHosts = droplets.getFirst().folder().resolve("all_known_hosts");
    StringBuilder lines = new StringBuilder();
    for (TestDroplet droplet : droplets) {
      addresses.add("ssh://" + TestDroplet.USER + "@127.0.0.1:" + droplet.port());
      lines.append(droplet.knownHostsLine()).append('\n');
      access.add("--identity");
      access.add(droplet.userKey().toString());
    }
    Files.writeString(knownHosts, lines);
    access.add("--known-hosts");
    access.add(knownHosts.toString());
  }

  @AfterAll
  void stop() {
    droplets.forEach(TestDroplet::close);
  }

  private Cli.Result swarm(String... args) throws Exception {
    // swarm SUBCOMMAND first, then its options, then the SSH options (inherited).
    List<String> ordered = new ArrayList<>();
    ordered.add("swarm");
    ordered.addAll(List.of(args));
    ordered.addAll(access);
    return Cli.run(TIMEOUT, ordered.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void aManagerThatCannotBeReachedIsNamedWithExitCode4() throws Exception {
    Cli.Result nodes = swarm("nodes", "--host", NOWHERE);
    assertThat(nodes.exitCode()).as(nodes.all()).isEqualTo(4);
    assertThat(nodes.err()).contains("Cannot reach the swarm manager", "127.0.0.1");

    Cli.Result join = swarm("join", "--host", addresses.get(1), "--manager", NOWHERE);
    assertThat(join.exitCode()).as(join.all()).isEqualTo(4);
    assertThat(join.err()).contains("Cannot reach the swarm manager ssh://deploy@127.0.0.1:1");
  }

  @Test
  @Order(2)
  void aJoinToAManagerInNoSwarmIsRefusedBeforeAnythingChanges() throws Exception {
    Cli.Result join = swarm("join", "--host", addresses.get(1), "--manager", addresses.get(0));
    assertThat(join.exitCode()).as(join.all()).isEqualTo(2);
    assertThat(join.err()).contains("is in no swarm", "deploykit swarm init");

    Cli.Result nodes = swarm("nodes", "--host", addresses.get(0));
    assertThat(nodes.exitCode()).as(nodes.all()).isEqualTo(2);
    assertThat(nodes.err()).contains("is in no swarm");

    // status and health of a stack on engine: swarm read the cluster: a host in no swarm says so.
    Path file = droplets.getFirst().folder().resolve("swarm-compose.yaml");
    Files.writeString(file, """
        name: shop
        x-deploykit:
          engine: swarm
        services:
          app:
            image: deploykit.local/sample-app:v1
            healthcheck:
              test: ["CMD", "true"]
            x-deploykit:
              role: web
              health_path: /up
              health_port: 8080
        """);
    for (String command : List.of("status", "health")) {
      List<String> args = new ArrayList<>(List.of(command, "-f", file.toString(), "--host", addresses.get(0)));
      args.addAll(access);
      Cli.Result r = Cli.run(TIMEOUT, args.toArray(String[]::new));
      assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
      assertThat(r.err()).contains("is in no swarm", "deploykit swarm init").doesNotContain("\tat ");
    }
  }

  @Test
  @Order(3)
  void initAndJoinMakeAThreeNodeSwarmAndSecondRunsHaveNothingToDo() throws Exception {
    String advertise = SwarmDroplets.bridgeAddress(droplets.get(0));
    Cli.Result init = swarm("init", "--host", addresses.get(0), "--advertise-addr", advertise);
    assertThat(init.exitCode()).as(init.all()).isZero();
    assertThat(init.out()).contains("manages the new swarm", advertise + ":2377");
    Cli.Result again = swarm("init", "--host", addresses.get(0));
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.out()).contains("nothing to do, already a manager of swarm");

    for (int i = 1; i < 3; i++) {
      Cli.Result join = swarm("join", "--host", addresses.get(i), "--manager", addresses.get(0));
      assertThat(join.exitCode()).as(join.all()).isZero();
      assertThat(join.out()).contains("joined swarm", "as a worker");
    }
    Cli.Result rejoin = swarm("join", "--host", addresses.get(1), "--manager", addresses.get(0));
    assertThat(rejoin.exitCode()).as(rejoin.all()).isZero();
    assertThat(rejoin.out()).contains("nothing to do, already node");

    JsonNode nodes = nodesJson();
    assertThat(nodes).hasSize(3);
    assertThat(StreamSupport.stream(nodes.spliterator(), false).map(n -> n.get("role").asText()))
        .containsExactly("manager", "worker", "worker");
    assertThat(nodes.get(0).get("managerStatus").asText()).isEqualTo("leader");
    assertThat(nodes.get(1).get("managerStatus").isNull()).isTrue();
    assertThat(nodes.get(0).get("address").asText()).isEqualTo(advertise);

    Cli.Result table = swarm("nodes", "--host", addresses.get(0));
    assertThat(table.exitCode()).as(table.all()).isZero();
    assertThat(table.out().lines().toList()).hasSize(4).first().asString()
        .contains("ID", "HOSTNAME", "ROLE", "AVAILABILITY", "STATE", "MANAGER", "ENGINE", "ADDRESS");
    assertThat(table.out()).contains("leader", "worker");
  }

  @Test
  @Order(4)
  void aNodeIsDrainedAndActivatedByItsHostNameAndAWorkerIsNoManager() throws Exception {
    String hostname = nodesJson().get(2).get("hostname").asText();
    Cli.Result drain = swarm("drain", hostname, "--host", addresses.get(0));
    assertThat(drain.exitCode()).as(drain.all()).isZero();
    assertThat(drain.out()).contains("is now drain");
    assertThat(nodesJson().get(2).get("availability").asText()).isEqualTo("drain");
    Cli.Result again = swarm("drain", hostname, "--host", addresses.get(0));
    assertThat(again.out()).contains("nothing to do, already drain");

    Cli.Result activate = swarm("activate", hostname, "--host", addresses.get(0));
    assertThat(activate.exitCode()).as(activate.all()).isZero();
    assertThat(nodesJson().get(2).get("availability").asText()).isEqualTo("active");

    Cli.Result onWorker = swarm("nodes", "--host", addresses.get(1));
    assertThat(onWorker.exitCode()).as(onWorker.all()).isEqualTo(2);
    assertThat(onWorker.err()).contains("is a worker of a swarm, not a manager",
        SwarmDroplets.bridgeAddress(droplets.get(0)) + ":2377");

    Cli.Result unknown = swarm("drain", "no-such-node", "--host", addresses.get(0));
    assertThat(unknown.exitCode()).as(unknown.all()).isEqualTo(2);
    assertThat(unknown.err()).contains("No node", "no-such-node", hostname);
  }

  @Test
  @Order(5)
  void aSwarmWithTwoOfItsThreeManagersStoppedSaysItsQuorumIsLostAndWhatToDo() throws Exception {
    JsonNode nodes = nodesJson();
    droplets.getFirst().must("docker", "node", "promote", nodes.get(1).get("id").asText(), nodes.get(2).get("id").asText());
    awaitManagersReachable(3);

    var docker = DockerClientFactory.instance().client();
    docker.stopContainerCmd(droplets.get(1).container()).withTimeout(2).exec();
    docker.stopContainerCmd(droplets.get(2).container()).withTimeout(2).exec();

    Cli.Result lost = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() - deadline < 0) {
      lost = swarm("nodes", "--host", addresses.get(0));
      if (lost.exitCode() != 0) {
        break;
      }
      Thread.sleep(1000);
    }
    assertThat(lost).isNotNull();
    assertThat(lost.exitCode()).as(lost.all()).isEqualTo(4);
    assertThat(lost.err()).contains("lost its quorum", "3 manager(s)", "needs 2", "only 1 answers here",
        "Start the managers that are down", "--force-new-cluster");
  }

  private void awaitManagersReachable(int managers) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long reachable = 0;
    while (System.nanoTime() - deadline < 0) {
      JsonNode nodes = nodesJson();
      reachable = StreamSupport.stream(nodes.spliterator(), false)
          .filter(n -> List.of("leader", "reachable").contains(n.get("managerStatus").asText())).count();
      if (reachable == managers) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("only " + reachable + " of " + managers + " managers reachable");
  }

  private JsonNode nodesJson() throws Exception {
    Cli.Result nodes = swarm("nodes", "--host", addresses.get(0), "--json");
    assertThat(nodes.exitCode()).as(nodes.all()).isZero();
    return JSON.readTree(nodes.out()).get("nodes");
  }
}
