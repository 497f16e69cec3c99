package dev.deploykit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.swarm.SwarmException;
import dev.deploykit.core.swarm.SwarmNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwarmCommandTest {

  @Test
  void theNodesTableHasAHeadingAndPaddedColumns() {
    List<String> lines = SwarmCommand.Nodes.table(List.of(
        new SwarmNode("m1abc", "manager-1", SwarmNode.Role.MANAGER, SwarmNode.Availability.ACTIVE, SwarmNode.State.READY,
            SwarmNode.Reachability.LEADER, "26.1.5", "10.0.0.1"),
        new SwarmNode("w2", "w", SwarmNode.Role.WORKER, SwarmNode.Availability.DRAIN, SwarmNode.State.DOWN,
            SwarmNode.Reachability.NONE, "26.1.5", "10.0.0.2")));
    assertThat(lines).containsExactly(
        "ID     HOSTNAME   ROLE     AVAILABILITY  STATE  MANAGER  ENGINE  ADDRESS",
        "m1abc  manager-1  manager  active        ready  leader   26.1.5  10.0.0.1",
        "w2     w          worker   drain         down   -        26.1.5  10.0.0.2");
  }

  @Test
  void swarmProblemsTheUserFixesByNamingAnotherHostAreBadInputTheRestEnvironment() {
    assertThat(SwarmCommand.exitCode(SwarmException.Problem.NOT_IN_SWARM)).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(SwarmCommand.exitCode(SwarmException.Problem.NOT_A_MANAGER)).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(SwarmCommand.exitCode(SwarmException.Problem.UNKNOWN_NODE)).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(SwarmCommand.exitCode(SwarmException.Problem.QUORUM_LOST)).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(SwarmCommand.exitCode(SwarmException.Problem.JOIN_REFUSED)).isEqualTo(ExitCodes.ENVIRONMENT);
  }
}
