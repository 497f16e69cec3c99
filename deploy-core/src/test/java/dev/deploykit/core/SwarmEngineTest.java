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
  void aDbInitThatNoSwarmReleaseRunsIsRefusedBeforeAnythingOnTheHostChanges() {
    Stack stack = ComposeFile.of(Path.of("..", "examples", "swarm", "compose.yaml")).environment(Map.of()).load();

    assertThatThrownBy(() -> h.deploy(stack, "v1")).isInstanceOf(DeployException.class)
        .hasMessageContaining("x-deploykit.db_init").hasMessageContaining("does not run on a Swarm cluster yet")
        .satisfies(e -> assertThat(((DeployException) e).reason()).isEqualTo(DeployException.Reason.INVALID_STACK));
    assertThat(h.fake.journal()).noneMatch(call -> call.startsWith("create "));
  }

  @Test
  void whatSwarmCannotRunIsNamedFirst() {
    Stack host = ComposeFile.of(Path.of("..", "examples", "compose.yaml")).environment(Map.of()).load();
    Stack stack = host.withSettings(host.settings().withEngine(Engine.SWARM));

    assertThatThrownBy(() -> h.deploy(stack, "v1")).isInstanceOf(DeployException.class)
        .hasMessageContaining("cannot run on a Swarm cluster").hasMessageContaining("service app: a web service");
  }
}
