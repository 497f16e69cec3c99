package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a stack on engine: swarm may not hold is refused before anything on the manager changes. */
class SwarmEngineTest {
  private final Harness h = new Harness().images("app:v1", "postgres:18.1");

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void backupsKeptInAVolumeOnTheHostAreRefusedOnASwarmBeforeAnythingOnTheHostChanges() {
    Stack sample = ComposeFile.of(Path.of("..", "examples", "swarm", "compose.yaml")).environment(Map.of()).load();
    DatabaseSettings db = sample.settings().database();
    Stack stack = sample.withSettings(sample.settings().withDatabase(
        db.withBackup(db.backup().withStore(dev.deploykit.core.backup.BackupSettings.Store.HOST, null))));

    assertThatThrownBy(() -> h.deploy(stack, "v1")).isInstanceOf(DeployException.class)
        .hasMessageContaining("x-deploykit.db_init.backup.store: host").hasMessageContaining("use store: local")
        .satisfies(e -> assertThat(((DeployException) e).reason()).isEqualTo(DeployException.Reason.INVALID_STACK));
    assertThat(h.fake.journal()).noneMatch(call -> call.startsWith("create "));
    // The sample stack as it stands (db_init, backups to a local folder) passes these checks.
    sample.requireReleasable();
  }

  @Test
  void whatSwarmCannotRunIsNamedFirst() {
    Stack host = ComposeFile.of(Path.of("..", "examples", "compose.yaml")).environment(Map.of()).load();
    Stack stack = host.withSettings(host.settings().withEngine(Engine.SWARM));

    assertThatThrownBy(() -> h.deploy(stack, "v1")).isInstanceOf(DeployException.class)
        .hasMessageContaining("cannot run on a Swarm cluster").hasMessageContaining("service app: a web service");
  }

  @Test
  void aWebServiceWithTwoReplicasIsReleasableOnASwarmOnlyAndOneWithoutAPortOnNeither() {
    Service web = Service.builder("app").image("app:v1").replicas(2)
        .port(new dev.deploykit.core.engine.PortMapping(null, null, 8080, "tcp"))
        .deploy(ServiceDeploy.of(Role.WEB).withHealth("/up", null)).build();
    Stack onOneHost = new Stack("shop", java.util.List.of(web), StackSettings.defaults());
    Stack onASwarm = onOneHost.withSettings(StackSettings.defaults().withEngine(Engine.SWARM));

    assertThatThrownBy(onOneHost::requireReleasable).isInstanceOf(DeployException.class)
        .hasMessageContaining("asks for 2 replicas").hasMessageContaining("set deploy.replicas to 1");
    onASwarm.requireReleasable();
    Stack portless = onASwarm.withServices(java.util.List.of(Service.builder("app").image("app:v1").replicas(2)
        .deploy(ServiceDeploy.of(Role.WEB).withHealth("/up", null)).build()));
    assertThatThrownBy(portless::requireReleasable).isInstanceOf(DeployException.class)
        .hasMessageContaining("has no port to check");
  }
}
