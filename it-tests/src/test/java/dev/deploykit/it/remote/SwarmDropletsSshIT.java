package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.swarm.SwarmNode;
import dev.deploykit.it.support.SwarmDroplets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Three test droplets form a swarm through SwarmCluster: one manager, two workers, all Ready. */
class SwarmDropletsSshIT {

  @Test
  void threeDropletsFormASwarmAndASecondInitOrJoinChangesNothing() {
    try (SwarmDroplets swarm = SwarmDroplets.start(3, List.of())) {
      List<SwarmNode> nodes = swarm.cluster().nodes();
      assertThat(nodes).hasSize(3).allMatch(n -> n.state() == SwarmNode.State.READY);
      assertThat(nodes).filteredOn(SwarmNode::isManager).singleElement()
          .satisfies(m -> {
            assertThat(m.id()).isEqualTo(swarm.nodeId(0));
            assertThat(m.reachability()).isEqualTo(SwarmNode.Reachability.LEADER);
            assertThat(m.engineVersion()).isNotBlank();
          });
      assertThat(nodes).extracting(SwarmNode::id).containsExactlyInAnyOrderElementsOf(swarm.nodeIds());

      assertThat(swarm.cluster().init(SwarmDroplets.bridgeAddress(swarm.managerDroplet())).created()).isFalse();
      assertThat(swarm.cluster().join(swarm.host(1)).joined()).isFalse();

      assertThat(swarm.drain(2).availability()).isEqualTo(SwarmNode.Availability.DRAIN);
      assertThat(swarm.activate(2).availability()).isEqualTo(SwarmNode.Availability.ACTIVE);
    }
  }
}
