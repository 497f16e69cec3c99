package dev.deploykit.it.remote;

import dev.deploykit.core.DeployEvent;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one deploy cost, read off its events and the counters around it: wall time, the web
 * swap's timings (healthy to switched, the switch's commands, the drain), whether a worker was
 * handed over, SSH connections opened and engine calls made.
 *
 * @param label what was deployed where
 * @param wall the whole deploy, as the caller saw it
 * @param gate boot to healthy of the new app container
 * @param healthyToSwitched the gate's last probe to the proxy taking the new container
 * @param switchTime the proxy's switch commands
 * @param drain the old container's drain
 * @param workerHandedOver whether an old worker was stopped for a new one
 * @param connections SSH connections opened during the deploy (0 on the local engine)
 * @param engineCalls calls to the engine, by method
 */
record DeployFigures(String label, Duration wall, Duration gate, Duration healthyToSwitched,
    Duration switchTime, Duration drain, boolean workerHandedOver, int connections,
    Map<String, Long> engineCalls) {

  /** The figures of the deploy that emitted {@code events}. */
  static DeployFigures of(String label, Duration wall, List<DeployEvent> events, int connections,
      Map<String, Long> engineCalls) {
    Duration gate = Duration.ZERO;
    Duration healthyToSwitched = Duration.ZERO;
    Duration switchTime = Duration.ZERO;
    Duration drain = Duration.ZERO;
    boolean worker = false;
    for (DeployEvent e : events) {
      switch (e) {
        case DeployEvent.HealthGatePassed g when g.service().equals("app") -> gate = g.waited();
        case DeployEvent.TrafficSwitched t -> {
          healthyToSwitched = t.healthyToSwitched();
          switchTime = t.switchTime();
        }
        case DeployEvent.Drained d -> drain = d.drainTime();
        case DeployEvent.OldStopped o when o.service().equals("worker") -> worker = true;
        default -> { }
      }
    }
    return new DeployFigures(label, wall, gate, healthyToSwitched, switchTime, drain, worker, connections,
        engineCalls);
  }

  /** Engine calls in all. */
  long calls() {
    return engineCalls.values().stream().mapToLong(Long::longValue).sum();
  }

  /** One line for the report. */
  String line() {
    return String.format(Locale.ROOT, "%-28s wall %6d ms, gate %5d ms, healthy->switched %4d ms (switch %3d ms),"
        + " drain %4d ms, worker %s, SSH connections %d, engine calls %d %s", label, wall.toMillis(),
        gate.toMillis(), healthyToSwitched.toMillis(), switchTime.toMillis(), drain.toMillis(),
        workerHandedOver ? "handed over" : "kept", connections, calls(), engineCalls);
  }

  /** Min / median / max of one figure over several deploys. */
  static String spread(List<DeployFigures> deploys, java.util.function.Function<DeployFigures, Duration> figure) {
    List<Long> sorted = deploys.stream().map(figure).map(Duration::toMillis).sorted().toList();
    return sorted.isEmpty() ? "-" : String.format(Locale.ROOT, "%d / %d / %d ms", sorted.getFirst(),
        sorted.get(sorted.size() / 2), sorted.getLast());
  }
}
