package dev.deploykit.core.internal.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.testing.FakeDockerHost;
import dev.deploykit.health.wait.FakeTimeSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The manager as a database step sees it on a cluster: the accessory's one-host container name
 * names its Swarm task's container; anything else is the manager's own.
 */
class SwarmDatabaseHostTest {
  private final FakeTimeSource time = new FakeTimeSource();
  private final FakeDockerHost manager = new FakeDockerHost(time);

  private String task(String service, String name) {
    manager.image("postgres:18.1");
    manager.ensureNetwork(SwarmNames.overlay("shop"), Map.of());
    String id = manager.create(ContainerSpec.builder(name, "postgres:18.1")
        .labels(Map.of("com.docker.swarm.service.name", service))
        .network(SwarmNames.overlay("shop"), List.of()).build());
    manager.start(id);
    return id;
  }

  @Test
  void theAccessorysOneHostNameNamesItsRunningTaskOnTheManager() {
    String id = task("shop-db", "shop-db.1.x7k2");
    SwarmDatabaseHost database = new SwarmDatabaseHost(manager, "shop", "db", "haproxy:3.0", time);

    ContainerState seen = database.inspect("shop-db", "shop").orElseThrow();

    assertThat(seen.id()).isEqualTo(id);
    assertThat(seen.name()).isEqualTo("shop-db.1.x7k2");
    assertThat(seen.running()).isTrue();
    assertThat(seen.ipAddress()).as("its address on the overlay").isNotNull();
    assertThat(database.logs("shop-db", 10)).isEqualTo(manager.logs(id, 10));
    assertThat(database.inspect("shop-proxy", "shop")).as("another name is the manager's")
        .isEqualTo(manager.inspect("shop-proxy", "shop"));
  }

  @Test
  void anAccessoryWithoutARunningTaskIsNamedWithWhatToRun() {
    task("other-db", "other-db.1.a1b2");
    SwarmDatabaseHost database = new SwarmDatabaseHost(manager, "shop", "db", "haproxy:3.0", time);

    assertThat(database.inspect("shop-db", "shop")).isEmpty();
    assertThatThrownBy(() -> database.exec("shop-db", List.of("true"), java.time.Duration.ofSeconds(5)))
        .isInstanceOf(DeployException.class)
        .hasMessageContaining("The Swarm service shop-db has no running task on the manager")
        .hasMessageContaining("docker service ps shop-db");
  }

  @Test
  void theRelayIsHaproxyInTcpModeToTheServicesPortReResolvedByDockersDns() {
    String config = SwarmRelay.config("shop-db", 5432);

    assertThat(config).contains("mode tcp", "nameserver dns 127.0.0.11:53", "bind :5432",
        "server target shop-db:5432 resolvers docker init-addr last,libc,none");
    assertThat(SwarmNames.relay("shop", "db")).isEqualTo("shop-db-relay");
  }
}
