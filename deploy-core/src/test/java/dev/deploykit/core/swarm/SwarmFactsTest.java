package dev.deploykit.core.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.PeerNode;
import com.github.dockerjava.api.model.Reachability;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNodeAvailability;
import com.github.dockerjava.api.model.SwarmNodeDescription;
import com.github.dockerjava.api.model.SwarmNodeEngineDescription;
import com.github.dockerjava.api.model.SwarmNodeManagerStatus;
import com.github.dockerjava.api.model.SwarmNodeRole;
import com.github.dockerjava.api.model.SwarmNodeSpec;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.SwarmNodeStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwarmFactsTest {

  @Test
  void membershipFollowsTheLocalNodeStateAndControl() {
    assertThat(SwarmFacts.membership(null)).isEqualTo(SwarmFacts.Membership.NONE);
    assertThat(SwarmFacts.membership(new SwarmInfo().withLocalNodeState(LocalNodeState.INACTIVE)))
        .isEqualTo(SwarmFacts.Membership.NONE);
    assertThat(SwarmFacts.membership(new SwarmInfo().withLocalNodeState(LocalNodeState.ACTIVE).withControlAvailable(true)))
        .isEqualTo(SwarmFacts.Membership.MANAGER);
    assertThat(SwarmFacts.membership(new SwarmInfo().withLocalNodeState(LocalNodeState.ACTIVE).withControlAvailable(false)))
        .isEqualTo(SwarmFacts.Membership.WORKER);
    assertThat(SwarmFacts.membership(new SwarmInfo().withLocalNodeState(LocalNodeState.LOCKED)))
        .isEqualTo(SwarmFacts.Membership.OTHER);
  }

  @Test
  void engineTextsAreRecognised() {
    assertThat(SwarmFacts.problemIn("Status 503: {\"message\":\"rpc error: code = Unknown desc = The swarm does not have"
        + " a leader. It's possible that too few managers are online.\"}")).contains(SwarmException.Problem.QUORUM_LOST);
    assertThat(SwarmFacts.problemIn("This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\""
        + " to connect this node to swarm and try again.")).contains(SwarmException.Problem.NOT_IN_SWARM);
    assertThat(SwarmFacts.problemIn("This node is not a swarm manager. Worker nodes can't be used to view or modify"
        + " cluster state.")).contains(SwarmException.Problem.NOT_A_MANAGER);
    assertThat(SwarmFacts.problemIn("could not choose an IP address to advertise since this system has multiple"
        + " addresses")).contains(SwarmException.Problem.NO_ADVERTISE_ADDRESS);
    assertThat(SwarmFacts.problemIn("no such image")).isEmpty();
    assertThat(SwarmFacts.problemIn(null)).isEmpty();
  }

  @Test
  void aFollowerGivingUpOnItsLeaderIsToldApartFromARefusal() {
    assertThat(SwarmFacts.leaderUnanswered("Status 500: {\"message\":\"rpc error: code = DeadlineExceeded desc ="
        + " context deadline exceeded\"}")).isTrue();
    assertThat(SwarmFacts.problemIn("rpc error: code = DeadlineExceeded desc = context deadline exceeded")).isEmpty();
    assertThat(SwarmFacts.leaderUnanswered("The swarm does not have a leader.")).isFalse();
    assertThat(SwarmFacts.leaderUnanswered(null)).isFalse();
  }

  @Test
  void theManagerAddressIsItsOwnPeerEntryElseItsNodeAddressOnTheManagementPort() {
    SwarmInfo swarm = new SwarmInfo().withNodeID("m1").withNodeAddr("10.0.0.1")
        .withRemoteManagers(List.of(new PeerNode().withNodeID("m2").withAddr("10.0.0.2:2377"),
            new PeerNode().withNodeID("m1").withAddr("10.0.0.1:2377")));
    assertThat(SwarmFacts.managerAddress(swarm)).isEqualTo("10.0.0.1:2377");
    assertThat(SwarmFacts.managerAddress(new SwarmInfo().withNodeID("m1").withNodeAddr("10.0.0.9")))
        .isEqualTo("10.0.0.9:2377");
    assertThat(SwarmFacts.withPort("10.0.0.9:4000")).isEqualTo("10.0.0.9:4000");
    assertThat(SwarmFacts.withPort("fd00::1")).isEqualTo("[fd00::1]:2377");
  }

  @Test
  void aNodeReadsWithItsRoleAvailabilityStateAndReachability() {
    var leader = new com.github.dockerjava.api.model.SwarmNode().withId("abc")
        .withSpec(new SwarmNodeSpec().withRole(SwarmNodeRole.MANAGER).withAvailability(SwarmNodeAvailability.DRAIN))
        .withDescription(new SwarmNodeDescription().withHostname("node-1")
            .withEngine(new SwarmNodeEngineDescription().withEngineVersion("26.1.5")))
        .withStatus(new SwarmNodeStatus().withState(SwarmNodeState.READY).withAddress("10.0.0.1"))
        .withManagerStatus(new SwarmNodeManagerStatus().withLeader(true).withReachability(Reachability.REACHABLE));
    assertThat(SwarmFacts.node(leader)).isEqualTo(new SwarmNode("abc", "node-1", SwarmNode.Role.MANAGER,
        SwarmNode.Availability.DRAIN, SwarmNode.State.READY, SwarmNode.Reachability.LEADER, "26.1.5", "10.0.0.1"));

    var unreachable = new com.github.dockerjava.api.model.SwarmNode().withId("def")
        .withSpec(new SwarmNodeSpec().withRole(SwarmNodeRole.MANAGER))
        .withManagerStatus(new SwarmNodeManagerStatus().withReachability(Reachability.UNREACHABLE));
    assertThat(SwarmFacts.node(unreachable).reachability()).isEqualTo(SwarmNode.Reachability.UNREACHABLE);

    var bare = new com.github.dockerjava.api.model.SwarmNode().withId("w");
    assertThat(SwarmFacts.node(bare)).isEqualTo(new SwarmNode("w", "", SwarmNode.Role.WORKER,
        SwarmNode.Availability.ACTIVE, SwarmNode.State.UNKNOWN, SwarmNode.Reachability.NONE, "", ""));
  }

  @Test
  void aLostQuorumSaysHowManyManagersThereAreAndWhatToDo() {
    SwarmInfo swarm = new SwarmInfo().withNodeID("m1").withNodeAddr("10.0.0.1").withManagers(3)
        .withRemoteManagers(List.of(new PeerNode().withNodeID("m1").withAddr("10.0.0.1:2377"),
            new PeerNode().withNodeID("m2").withAddr("10.0.0.2:2377"), new PeerNode().withNodeID("m3").withAddr("10.0.0.3:2377")));
    String text = SwarmFacts.quorumLost("ssh://deploy@m1", swarm);
    assertThat(text).contains("ssh://deploy@m1", "lost its quorum", "3 manager(s)", "needs 2", "only 1 answers here",
        "10.0.0.2:2377, 10.0.0.3:2377", "Start the managers that are down",
        "docker swarm init --force-new-cluster --advertise-addr 10.0.0.1");
    assertThat(SwarmFacts.quorumLost("m", null)).contains("lost its quorum", "--force-new-cluster");
  }
}
