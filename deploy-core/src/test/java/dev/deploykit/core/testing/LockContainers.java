package dev.deploykit.core.testing;

import dev.deploykit.core.StackNames;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a deploy lock container says on the host, in the format {@code StackLock} writes (these
 * labels are that format: a lock written by an older or newer deploykit must read the same), for
 * tests that stage the lock of a process that died or of another machine.
 */
public final class LockContainers {
  /** The owning process's id. */
  public static final String PID = "dev.deploykit.lock.pid";
  /** When the owning process started. */
  public static final String PID_START = "dev.deploykit.lock.pid-start";
  /** When the owning process started, in clock ticks after boot. */
  public static final String PID_START_TICKS = "dev.deploykit.lock.pid-start-ticks";
  /** The owning machine's id: machine id and host name. */
  public static final String MACHINE = "dev.deploykit.lock.machine";
  /** The owning machine's name. */
  public static final String HOST = "dev.deploykit.lock.host";
  /** A pid no Linux process can have (above the kernel's {@code PID_MAX_LIMIT}). */
  public static final long DEAD_PID = 99_999_999L;

  private LockContainers() {}

  /** The stack's lock now names a process of this machine that no longer exists. */
  public static void abandonedOnThisMachine(FakeDockerHost fake, String stack) {
    fake.relabel(StackNames.lockContainer(stack), Map.of(PID, Long.toString(DEAD_PID), PID_START, ""));
  }

  /**
   * The stack's lock now says its owner (this live process) started at another instant, as a
   * process reading the start after the wall clock was stepped sees it.
   */
  public static void startSeenAfterAClockStep(FakeDockerHost fake, String stack, Duration step) {
    String recorded = fake.inspect(StackNames.lockContainer(stack), StackNames.network(stack)).orElseThrow()
        .label(PID_START).orElseThrow();
    fake.relabel(StackNames.lockContainer(stack), Map.of(PID_START, Instant.parse(recorded).plus(step).toString()));
  }

  /** The stack's lock now names this live pid with another start: the pid was reused since. */
  public static void pidReusedSince(FakeDockerHost fake, String stack) {
    String ticks = fake.inspect(StackNames.lockContainer(stack), StackNames.network(stack)).orElseThrow()
        .label(PID_START_TICKS).orElseThrow();
    fake.relabel(StackNames.lockContainer(stack), Map.of(PID_START_TICKS, Long.toString(Long.parseLong(ticks) - 1)));
  }

  /** The stack's lock now names a process of another machine ({@code host}), alive or not. */
  public static void heldOnAnotherMachine(FakeDockerHost fake, String stack, String host) {
    Map<String, String> labels = new HashMap<>();
    labels.put(MACHINE, "0123456789abcdef:" + host);
    labels.put(HOST, host);
    fake.relabel(StackNames.lockContainer(stack), labels);
  }

  /** Every lock this process holds now names a process that no longer exists (it "died"). */
  static void abandonedByThisProcess(FakeDockerHost fake) {
    String me = Long.toString(ProcessHandle.current().pid());
    for (FakeContainer c : fake.containers(Map.of(StackNames.LABEL_KIND, StackNames.KIND_LOCK))) {
      if (me.equals(c.labels().get(PID))) {
        c.relabel(Map.of(PID, Long.toString(DEAD_PID), PID_START, ""));
      }
    }
  }
}
