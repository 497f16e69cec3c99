package dev.deploykit.core.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import dev.deploykit.core.StackHealth;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwarmStatusFactsTest {
  private static final Map<String, String> NODES = Map.of("n1", "manager", "n2", "worker-1");

  @Test
  void aServiceShowsItsTasksMeantToRunByNodeAndNoErrorOnceConverged() {
    SwarmStackStatus.Service s = SwarmStatusFacts.service(service("shop-app-r2", "app", "r2", "web", 2),
        List.of(task("t1", "n1", TaskState.RUNNING, TaskState.RUNNING, null),
            task("t2", "n2", TaskState.RUNNING, TaskState.RUNNING, null),
            task("t0", "n2", TaskState.FAILED, TaskState.SHUTDOWN, "task: non-zero exit (1)")), NODES);

    assertThat(s.tasks()).extracting(SwarmStackStatus.Task::id).containsExactly("t1", "t2");
    assertThat(s.byNode()).containsExactly(Map.entry("manager", 1L), Map.entry("worker-1", 1L));
    assertThat(s.converged()).isTrue();
    assertThat(s.lastError()).isNull();
    assertThat(s.release()).isEqualTo("r2");
    assertThat(s.service()).isEqualTo("app");
  }

  @Test
  void aServiceShortOfItsReplicasCarriesTheNewestTaskErrorWithItsNode() {
    SwarmStackStatus.Service s = SwarmStatusFacts.service(service("shop-app-r3", "app", "r3", "web", 2),
        List.of(task("t1", "n1", TaskState.RUNNING, TaskState.RUNNING, null),
            task("t2", "n2", TaskState.REJECTED, TaskState.SHUTDOWN, "No such image: app:v3").stamp("2026-12-03T06:00:02Z"),
            task("t3", "n2", TaskState.REJECTED, TaskState.SHUTDOWN, "older").stamp("2026-12-03T06:00:01Z"),
            task("t4", "", TaskState.PENDING, TaskState.RUNNING, null)), NODES);

    assertThat(s.running()).isEqualTo(1);
    assertThat(s.converged()).isFalse();
    assertThat(s.lastError()).isEqualTo("worker-1: No such image: app:v3");
    assertThat(s.tasks()).extracting(SwarmStackStatus.Task::node).containsExactly("", "manager");

    HealthReport report = SwarmHealth.report(status(List.of(s), List.of(up("a1"), down("a2"))), null);
    assertThat(report.check("swarm:shop-app-r3").orElseThrow().status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(report.check("swarm:shop-app-r3").orElseThrow().result().detail())
        .contains("1/2 tasks running (manager 1)", "No such image");
    assertThat(report.check("proxy:app").orElseThrow().status()).isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void healthIsUpWhenEveryLiveServiceConvergedAndTheBackendHasAsManyServersUpAsReplicas() {
    var live = SwarmStatusFacts.service(service("shop-app-r2", "app", "r2", "web", 2),
        List.of(task("t1", "n1", TaskState.RUNNING, TaskState.RUNNING, null),
            task("t2", "n2", TaskState.RUNNING, TaskState.RUNNING, null)), NODES);
    var kept = SwarmStatusFacts.service(service("shop-app-r1", "app", "r1", "web", 0), List.of(), NODES);
    var db = SwarmStatusFacts.service(service("shop-db", "db", null, "accessory", 1),
        List.of(task("t9", "n1", TaskState.RUNNING, TaskState.RUNNING, null)), NODES);
    SwarmStackStatus status = status(List.of(live, kept, db), List.of(up("b1"), up("b2"), maint("a1")));

    HealthReport all = SwarmHealth.report(status, null);
    assertThat(all.status()).isEqualTo(HealthStatus.UP);
    assertThat(all.checks()).extracting(c -> c.name())
        .containsExactly("swarm:shop-app-r2", "swarm:shop-db", "proxy", "proxy:app");
    assertThat(SwarmHealth.report(status, StackHealth.READINESS).checks()).extracting(c -> c.name())
        .containsExactly("proxy:app");
  }

  @Test
  void accessoriesComeFirstThenReleasesNewestFirst() {
    Service r9 = service("shop-app-r9", "app", "r9", "web", 0).withCreatedAt(new java.util.Date(1_000));
    Service r10 = service("shop-app-r10", "app", "r10", "web", 2).withCreatedAt(new java.util.Date(2_000));
    Service db = service("shop-db", "db", null, "accessory", 1).withCreatedAt(new java.util.Date(500));
    assertThat(java.util.stream.Stream.of(r9, db, r10).sorted(SwarmStatusFacts.ORDER).map(s -> s.getSpec().getName()))
        .containsExactly("shop-db", "shop-app-r10", "shop-app-r9");
  }

  @Test
  void healthIsDownWithoutTheProxyOrWithoutALiveRelease() {
    var kept = SwarmStatusFacts.service(service("shop-app-r1", "app", "r1", "web", 0), List.of(), NODES);
    HealthReport noRelease = SwarmHealth.report(status(List.of(kept), List.of(maint("a1"))), null);
    assertThat(noRelease.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(noRelease.check("proxy:app").orElseThrow().result().detail()).contains("no release of app runs");

    var live = SwarmStatusFacts.service(service("shop-app-r2", "app", "r2", "web", 1),
        List.of(task("t1", "n1", TaskState.RUNNING, TaskState.RUNNING, null)), NODES);
    HealthReport noProxy = SwarmHealth.report(new SwarmStackStatus("shop", List.of(), List.of(live), List.of(), false),
        null);
    assertThat(noProxy.check("proxy").orElseThrow().status()).isEqualTo(HealthStatus.DOWN);
    assertThat(noProxy.check("proxy:app").orElseThrow().result().detail()).contains("the proxy does not run");
  }

  private static SwarmStackStatus status(List<SwarmStackStatus.Service> services, List<SwarmStackStatus.ProxyServer> proxy) {
    return new SwarmStackStatus("shop", List.of(), services, proxy, true);
  }

  private static SwarmStackStatus.ProxyServer up(String server) {
    return new SwarmStackStatus.ProxyServer("app", server, "UP", "10.0.1.5:8080", 0);
  }

  private static SwarmStackStatus.ProxyServer down(String server) {
    return new SwarmStackStatus.ProxyServer("app", server, "DOWN", "10.0.1.6:8080", 0);
  }

  private static SwarmStackStatus.ProxyServer maint(String server) {
    return new SwarmStackStatus.ProxyServer("app", server, "MAINT", "", 0);
  }

  private static Service service(String name, String service, String release, String role, int replicas) {
    Map<String, String> labels = new java.util.HashMap<>(Map.of("dev.deploykit.stack", "shop",
        "dev.deploykit.service", service, "dev.deploykit.role", role));
    if (release != null) {
      labels.put("dev.deploykit.release", release);
    }
    Service s = new Service();
    s.withSpec(new ServiceSpec().withName(name).withLabels(labels)
        .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas))));
    return s;
  }

  private static StampedTask task(String id, String node, TaskState state, TaskState desired, String err) {
    StampedTask t = new StampedTask();
    t.withId(id).withNodeId(node).withDesiredState(desired)
        .withStatus(new TaskStatus().withState(state).withErr(err).withTimestamp("2026-12-03T06:00:00Z"));
    return t;
  }

  /** A task whose status timestamp a test sets. */
  private static final class StampedTask extends Task {
    StampedTask stamp(String timestamp) {
      getStatus().withTimestamp(timestamp);
      return this;
    }
  }
}
