package dev.deploykit.core.internal.swarm;

import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The health gate of a Swarm service: passed once as many of its tasks are {@code RUNNING} (which
 * Swarm reports only after a task's container healthcheck passed) as it has replicas; refused as
 * soon as a node rejects a task (an image the node lacks, a constraint no node meets: it will not
 * heal) or as many tasks have failed as the service has replicas (a release that keeps dying);
 * waiting otherwise. A failed task below that count is what a lost node leaves: Swarm replaces it.
 *
 * <p>Thread safety: stateless.
 */
public final class TaskGate {
  private static final Set<TaskState> GIVEN_UP = Set.of(TaskState.REJECTED);

  private TaskGate() {}

  /** Where the gate stands. */
  public sealed interface Verdict {
    /** Enough tasks run healthy. */
    record Passed(int running) implements Verdict {}

    /** Not yet: so many of the wanted tasks run. */
    record Waiting(int running, String detail) implements Verdict {}

    /** The release will not come up; {@code reason} names the task, its node and Swarm's error. */
    record Refused(String reason) implements Verdict {}
  }

  /**
   * The verdict for a service's tasks.
   *
   * @param tasks every task of the service, current and past
   * @param replicas how many must run
   * @param nodes node ids to host names, to name where a task failed
   */
  public static Verdict verdict(List<Task> tasks, int replicas, Map<String, String> nodes) {
    int running = 0;
    int failed = 0;
    Task lastFailed = null;
    Task notYet = null;
    for (Task t : tasks) {
      TaskState state = state(t);
      if (state == TaskState.RUNNING && t.getDesiredState() == TaskState.RUNNING) {
        running++;
      } else if (GIVEN_UP.contains(state)) {
        return new Verdict.Refused(describe(t, nodes));
      } else if (state == TaskState.FAILED) {
        failed++;
        lastFailed = t;
      } else if (t.getDesiredState() == TaskState.RUNNING && notYet == null) {
        notYet = t;
      }
    }
    if (running >= replicas) {
      return new Verdict.Passed(running);
    }
    if (lastFailed != null && failed >= replicas) {
      return new Verdict.Refused(failed + " tasks failed; the last: " + describe(lastFailed, nodes));
    }
    return new Verdict.Waiting(running, running + " of " + replicas + " tasks running healthy"
        + (notYet == null ? "" : "; " + describe(notYet, nodes)));
  }

  /** {@code task <name.slot> on <node>: <state>: <error or message>}. */
  static String describe(Task t, Map<String, String> nodes) {
    TaskStatus status = t.getStatus();
    String node = t.getNodeId() == null || t.getNodeId().isEmpty() ? "no node"
        : "node " + nodes.getOrDefault(t.getNodeId(), t.getNodeId());
    String error = status == null ? "" : status.getErr() != null && !status.getErr().isBlank() ? status.getErr()
        : String.valueOf(status.getMessage());
    return "task " + (t.getSlot() == null ? t.getId() : "slot " + t.getSlot()) + " on " + node + ": "
        + state(t).getValue() + ": " + error;
  }

  private static TaskState state(Task t) {
    return t.getStatus() == null || t.getStatus().getState() == null ? TaskState.NEW : t.getStatus().getState();
  }
}
