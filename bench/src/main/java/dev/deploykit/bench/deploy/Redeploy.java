package dev.deploykit.bench.deploy;

import static dev.deploykit.bench.deploy.DeployOverhead.ms;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One measured redeploy: its wall time, what it waited for (gates, watch window), the rest
 * (deploykit's overhead), healthy-to-switched, and the gap before each event, so the summary can
 * say where the overhead goes.
 */
record Redeploy(String outcome, double wallMs, double appGateMs, double workerGateMs, double watchMs,
    double healthyToSwitchedMs, double drainMs, Map<String, Double> gapsMs) {

  /** Wall time minus what the release had to wait for. */
  double overheadMs() {
    return wallMs - appGateMs - workerGateMs - watchMs;
  }

  static Redeploy of(DeployResult result, List<DeployEvent> events) {
    double appGate = 0;
    double workerGate = 0;
    double watch = 0;
    double h2s = Double.NaN;
    double drain = 0;
    Map<String, Double> gaps = new LinkedHashMap<>();
    Duration last = Duration.ZERO;
    for (DeployEvent e : events) {
      switch (e) {
        case DeployEvent.HealthGatePassed g when g.service().equals("app") -> appGate = ms(g.waited());
        case DeployEvent.HealthGatePassed g when g.service().equals("worker") -> workerGate = ms(g.waited());
        case DeployEvent.WatchPassed w -> watch = ms(w.window());
        case DeployEvent.TrafficSwitched t -> h2s = ms(t.healthyToSwitched());
        case DeployEvent.Drained d -> drain = ms(d.drainTime());
        default -> { }
      }
      Duration at = e.at();
      gaps.merge(label(e), ms(at.minus(last)), Double::sum);
      last = at;
    }
    return new Redeploy(outcome(result), ms(result.elapsed()), appGate, workerGate, watch, h2s, drain, gaps);
  }

  /** deployed, refused (why) or rolled back (why). */
  static String outcome(DeployResult result) {
    return switch (result) {
      case DeployResult.Deployed d -> "deployed";
      case DeployResult.Refused r -> "refused (" + r.reason() + ")";
      case DeployResult.RolledBack r -> "rolled back (" + r.reason() + ")";
    };
  }

  private static String label(DeployEvent e) {
    String type = e.getClass().getSimpleName();
    return switch (e) {
      case DeployEvent.ImageReady i -> type + " " + i.service();
      case DeployEvent.AccessoryReady a -> type + " " + a.service();
      case DeployEvent.ContainerStarted c -> type + " " + c.service();
      case DeployEvent.HealthGatePassed g -> type + " " + g.service();
      case DeployEvent.OldStopped o -> type + " " + o.service();
      default -> type;
    };
  }

  String line(int n, String version) {
    return String.format(Locale.ROOT, "redeploy %2d -> app %s: %s, wall %6.0f ms = app gate %5.0f + worker gate"
        + " %5.0f + watch %5.0f + overhead %5.0f ms; healthy to switched %5.1f ms, drain %5.1f ms",
        n, version, outcome, wallMs, appGateMs, workerGateMs, watchMs, overheadMs(), healthyToSwitchedMs, drainMs);
  }

  static String summary(List<Redeploy> runs, double overheadTarget, double h2sTarget) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "over %d redeploys (%d deployed)%n", runs.size(),
        runs.stream().filter(r -> r.outcome.equals("deployed")).count()));
    out.append(figure(runs, "overhead (wall - gates - watch)", Redeploy::overheadMs, overheadTarget, 50));
    out.append(figure(runs, "healthy to switched", Redeploy::healthyToSwitchedMs, h2sTarget, 95));
    out.append(figure(runs, "drain", Redeploy::drainMs, Double.NaN, 95));
    out.append(figure(runs, "app gate", Redeploy::appGateMs, Double.NaN, 95));
    out.append(figure(runs, "worker gate", Redeploy::workerGateMs, Double.NaN, 95));
    out.append(figure(runs, "wall", Redeploy::wallMs, Double.NaN, 95));
    out.append("where the time goes (median gap before each event, ms):\n");
    for (String label : runs.getFirst().gapsMs.keySet()) {
      out.append(String.format(Locale.ROOT, "  %8.1f  %s%n",
          percentile(runs, r -> r.gapsMs.getOrDefault(label, 0.0), 50), label));
    }
    return out.toString();
  }

  private static String figure(List<Redeploy> runs, String name, ToDoubleFunction<Redeploy> f,
      double target, int targetPercentile) {
    double p50 = percentile(runs, f, 50);
    double p95 = percentile(runs, f, 95);
    String verdict = Double.isNaN(target) ? "" : String.format(Locale.ROOT, "; target p%d <= %.0f ms: %s",
        targetPercentile, target, (targetPercentile == 50 ? p50 : p95) <= target ? "met" : "not met");
    return String.format(Locale.ROOT, "  %-32s p50 %7.1f ms, p95 %7.1f ms, max %7.1f ms%s%n", name, p50, p95,
        percentile(runs, f, 100), verdict);
  }

  private static double percentile(List<Redeploy> runs, ToDoubleFunction<Redeploy> f, int p) {
    List<Double> values = new ArrayList<>();
    for (Redeploy r : runs) {
      double v = f.applyAsDouble(r);
      if (!Double.isNaN(v)) {
        values.add(v);
      }
    }
    if (values.isEmpty()) {
      return Double.NaN;
    }
    values.sort(Double::compare);
    int index = (int) Math.ceil(p / 100.0 * values.size()) - 1;
    return values.get(Math.max(0, Math.min(values.size() - 1, index)));
  }
}
