package dev.deploykit.core.internal.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's verdict from a service's tasks. */
class TaskGateTest {
  private static final Map<String, String> NODES = Map.of("n1", "manager-1", "n2", "worker-2");

  @Test
  void passesOnceAsManyTasksRunAsReplicas() {
    assertThat(TaskGate.verdict(List.of(task(1, "n1", TaskState.RUNNING, ""), task(2, "n2", TaskState.STARTING, "")), 2, NODES))
        .isEqualTo(new TaskGate.Verdict.Waiting(1, "1 of 2 tasks running healthy; task slot 2 on node worker-2: starting: starting"));
    assertThat(TaskGate.verdict(List.of(task(1, "", TaskState.PENDING,
        "no suitable node (scheduling constraints not satisfied on 3 nodes)")), 1, NODES))
        .isEqualTo(new TaskGate.Verdict.Waiting(0, "0 of 1 tasks running healthy; task slot 1 on no node: pending:"
            + " no suitable node (scheduling constraints not satisfied on 3 nodes)"));
    assertThat(TaskGate.verdict(List.of(task(1, "n1", TaskState.RUNNING, ""), task(2, "n2", TaskState.RUNNING, "")), 2, NODES))
        .isEqualTo(new TaskGate.Verdict.Passed(2));
  }

  @Test
  void aTaskTheNodeRejectsRefusesTheReleaseNamingTheNodeAndItsError() {
    TaskGate.Verdict v = TaskGate.verdict(List.of(task(1, "n1", TaskState.RUNNING, ""),
        task(2, "n2", TaskState.REJECTED, "No such image: deploykit.local/sample-app:v3")), 2, NODES);

    assertThat(v).isEqualTo(new TaskGate.Verdict.Refused(
        "task slot 2 on node worker-2: rejected: No such image: deploykit.local/sample-app:v3"));
  }

  @Test
  void aFailedTaskIsReplacedUntilAsManyFailedAsThereAreReplicas() {
    Task lost = task(2, "n2", TaskState.FAILED, "node is down");
    assertThat(TaskGate.verdict(List.of(task(1, "n1", TaskState.RUNNING, ""), lost), 2, NODES))
        .isInstanceOf(TaskGate.Verdict.Waiting.class);
    assertThat(TaskGate.verdict(List.of(task(1, "n1", TaskState.FAILED, "task: non-zero exit (1)"), lost), 2, NODES))
        .isEqualTo(new TaskGate.Verdict.Refused("2 tasks failed; the last: task slot 2 on node worker-2: failed: node is down"));
  }

  @Test
  void aTaskThatIsStoppingDoesNotCount() {
    Task stopping = task(1, "n1", TaskState.RUNNING, "").withDesiredState(TaskState.SHUTDOWN);
    assertThat(TaskGate.verdict(List.of(stopping), 1, NODES)).isInstanceOf(TaskGate.Verdict.Waiting.class);
  }

  private static Task task(int slot, String node, TaskState state, String err) {
    return new Task().withId("t" + slot).withSlot(slot).withNodeId(node).withDesiredState(TaskState.RUNNING)
        .withStatus(new TaskStatus().withState(state).withErr(err).withMessage(state.getValue()));
  }
}
