package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.swarm.SwarmNode;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DropletImages;
import dev.deploykit.it.support.SwarmDroplets;
import java.time.Duration;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.junit.jupiter.api.Test;

/**
 * Three test droplets form a swarm through SwarmCluster: one manager, two workers, all Ready,
 * each holding the images given; reruns of init and join change nothing; a node is drained and
 * activated, and one stopped outright goes Down.
 */
class SwarmDropletsSshIT {

  @Test
  void threeDropletsFormASwarmWithTheirImagesAndAStoppedNodeGoesDown() {
    List<String> images = DropletImages.standIns(Recipes.BUSYBOX);
    try (SwarmDroplets swarm = SwarmDroplets.start(3, images)) {
      DockerHost local = DockerHost.of(DockerClientFactory.instance().client(), "local engine");
      for (int i = 0; i < swarm.size(); i++) {
        assertThat(swarm.host(i).imageId(images.getFirst())).isEqualTo(local.imageId(images.getFirst()));
      }
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

      swarm.stop(2);
      assertThat(swarm.awaitState(2, SwarmNode.State.DOWN, Duration.ofSeconds(90)).id()).isEqualTo(swarm.nodeId(2));
      assertThat(swarm.cluster().nodes()).filteredOn(n -> n.state() == SwarmNode.State.READY).hasSize(2);
    }
  }
}
