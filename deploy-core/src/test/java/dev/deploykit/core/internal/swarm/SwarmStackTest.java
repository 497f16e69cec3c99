package dev.deploykit.core.internal.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Engine;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which stacks Swarm can run: the sample's Swarm variant, and the one-host sample refused. */
class SwarmStackTest {
  private static final Path SWARM_SAMPLE = Path.of("..", "examples", "swarm", "compose.yaml");
  private static final Path HOST_SAMPLE = Path.of("..", "examples", "compose.yaml");

  @Test
  void theSwarmSampleReadsAsASwarmStackThatSwarmCanRun() {
    Stack stack = ComposeFile.of(SWARM_SAMPLE).environment(Map.of()).load();

    assertThat(stack.settings().engine()).isEqualTo(Engine.SWARM);
    assertThat(SwarmRefusals.problems(stack)).isEmpty();
    Service app = stack.service("app").orElseThrow();
    assertThat(app.replicas()).isEqualTo(2);
    assertThat(app.healthcheck()).isPresent();
    assertThat(stack.services()).allSatisfy(s -> assertThat(s.dependsOn()).isEmpty());
  }

  @Test
  void aStackWithoutEngineRunsOnOneHost() {
    assertThat(ComposeFile.of(HOST_SAMPLE).environment(Map.of()).load().settings().engine()).isEqualTo(Engine.HOST);
  }

  @Test
  void theOneHostSampleIsRefusedWithEveryProblemNamed() {
    Stack stack = ComposeFile.of(HOST_SAMPLE).environment(Map.of()).load();

    assertThat(SwarmRefusals.problems(stack)).containsExactly(
        "service app: a web service on a Swarm cluster needs a healthcheck (Swarm counts a task running, and"
            + " deploykit's gate passes, only once it is healthy); add healthcheck: with a test on /up",
        "service app: depends_on.db.condition: service_healthy is not run by Swarm; deploykit starts accessories"
            + " first and gates them on their healthcheck itself, so drop the condition (examples/swarm/compose.yaml)",
        "service worker: depends_on.db.condition: service_healthy is not run by Swarm; deploykit starts accessories"
            + " first and gates them on their healthcheck itself, so drop the condition (examples/swarm/compose.yaml)");
    assertThatThrownBy(() -> SwarmRefusals.check(stack)).isInstanceOf(DeployException.class)
        .hasMessageStartingWith("Stack deploykit-sample cannot run on a Swarm cluster (x-deploykit.engine: swarm):\n"
            + "  service app: a web service");
  }

  @Test
  void aPublishedPortOnAReplicatedServiceIsRefused() {
    Stack sample = ComposeFile.of(SWARM_SAMPLE).environment(Map.of()).load();
    Service app = sample.service("app").orElseThrow();
    Service published = app.newBuilder().port(
        new dev.deploykit.core.engine.PortMapping(null, 8081, 8081, "tcp")).build();
    Stack stack = sample.withServices(sample.services().stream().map(s -> s.name().equals("app") ? published : s).toList());

    assertThat(SwarmRefusals.problems(stack)).singleElement().asString()
        .startsWith("service app: ports: publishes a host port; on a Swarm cluster only deploykit's proxy publishes");
  }
}
