package dev.deploykit.cli;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployListener;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a release run's events as they happen (one line each, with the time since the run
 * started) and keeps them for the {@code --json} document.
 */
final class EventLines implements DeployListener {
  private final Console console;
  private final List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());
  private volatile Console.@org.jspecify.annotations.Nullable Progress progress;

  EventLines(Console console) {
    this.console = console;
  }

  /** The live line to relabel with what the run waits on next. */
  void progress(Console.Progress progress) {
    this.progress = progress;
  }

  @Override
  public void on(DeployEvent event) {
    events.add(event);
    console.line(console.dim(String.format(Locale.ROOT, "  %6.1fs ", seconds(event.at()))) + text(event));
    Console.Progress p = progress;
    if (p != null) {
      p.label(waitingOn(event));
    }
  }

  List<DeployEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  private String text(DeployEvent event) {
    return switch (event) {
      case DeployEvent.LockTaken e -> "lock taken by " + e.lock().owner();
      case DeployEvent.LockTakenOver e -> console.yellow("took the lock over: " + e.why());
      case DeployEvent.Converged e -> console.yellow("converged what an earlier run left: removed "
          + e.removedContainers() + ", interrupted releases " + e.interruptedReleases());
      case DeployEvent.SnapshotWritten e -> "configuration snapshot of release " + e.release() + " stored";
      case DeployEvent.ImageReady e -> e.service() + ": image " + e.image() + (e.pulled() ? " pulled" : " present")
          + ", pinned " + shortId(e.imageId());
      case DeployEvent.ImagePushed e -> e.service() + ": image " + e.image() + " pushed, pinned " + e.pinned();
      case DeployEvent.ImageTransfer e -> e.service() + ": " + (e.direction() == DeployEvent.ImageTransfer.Direction.PUSH
          ? "pushing " : "pulling ") + e.image() + " " + e.bytesDone() / 1024 + " of " + e.bytesTotal() / 1024 + " KiB";
      case DeployEvent.AccessoryReady e -> e.service() + ": " + (e.created() ? "created, healthy" : "running, kept");
      case DeployEvent.DatabasePrepared e -> "database prepared: " + e.summary();
      case DeployEvent.DatabaseBackedUp e -> e.backup() == null
          ? console.yellow("database backup before " + e.pending().size() + " pending migration(s) failed: " + e.detail())
          : "database backed up before " + e.pending().size() + " pending migration(s): backup " + e.backup()
              + " (" + e.detail() + ", " + ms(e.took()) + ")";
      case DeployEvent.ContainerStarted e -> e.service() + ": started " + e.container();
      case DeployEvent.HealthGatePassed e -> e.service() + ": " + console.green("healthy") + " after "
          + ms(e.waited()) + " (" + e.probes() + " probes)";
      case DeployEvent.HealthGateFailed e -> e.service() + ": " + console.red("health gate failed") + ": " + e.reason();
      case DeployEvent.TrafficSwitched e -> e.service() + ": " + console.bold("traffic switched") + " to "
          + e.container() + " (switch " + ms(e.switchTime()) + ", healthy to switched " + ms(e.healthyToSwitched()) + ")";
      case DeployEvent.Drained e -> e.service() + ": old container drained in " + ms(e.drainTime())
          + (e.leftSessions() == 0 ? "" : console.yellow(", " + e.leftSessions() + " sessions cut at the drain timeout"));
      case DeployEvent.OldStopped e -> e.service() + ": old container " + e.container() + " stopped, kept for rollback";
      case DeployEvent.WatchPassed e -> "watch window of " + ms(e.window()) + " passed: " + console.green("healthy");
      case DeployEvent.WatchFailed e -> e.service() + ": " + console.red("unhealthy in the watch window") + ": " + e.reason();
      case DeployEvent.RolledBack e -> e.service() + ": " + console.yellow("traffic back on release " + e.restoredRelease());
      case DeployEvent.Recorded e -> "release " + e.release().id() + " recorded: " + outcome(e.release().outcome());
      case DeployEvent.Notified e -> "notification " + (e.delivered() ? "sent" : console.yellow("not delivered: " + e.detail()));
      case DeployEvent.Pruned e -> "pruned " + e.removedContainers().size() + " old container(s)";
      case DeployEvent.LockReleased e -> "lock released";
    };
  }

  private static String waitingOn(DeployEvent event) {
    return switch (event) {
      case DeployEvent.ContainerStarted e -> e.service() + ": health gate";
      case DeployEvent.TrafficSwitched e -> e.service() + ": draining the old container";
      case DeployEvent.OldStopped e -> "watch window";
      case DeployEvent.HealthGatePassed e -> e.service() + ": switching";
      case DeployEvent.ImageReady e -> "images, accessories";
      default -> "working";
    };
  }

  String outcome(Release.Outcome outcome) {
    String word = outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return switch (outcome) {
      case LIVE -> console.green(word);
      case REFUSED, ROLLED_BACK, INTERRUPTED -> console.red(word);
      default -> word;
    };
  }

  /** The result in one or two lines; the exit code that goes with it. */
  int summarize(DeployResult result) {
    Release r = result.release();
    String what = "release " + r.id() + (r.version() == null ? "" : " (" + r.version() + ")");
    switch (result) {
      case DeployResult.Deployed d -> console.line(console.green("✔ ") + what + " is live, in "
          + ms(d.elapsed()));
      case DeployResult.Refused f -> {
        console.line(console.red("✘ ") + what + " was refused: " + f.reason());
        console.line("  The previous release still serves; nothing was switched.");
        lastLogs(f.logs());
      }
      case DeployResult.RolledBack b -> {
        console.line(console.red("✘ ") + what + " was rolled back to " + b.restoredRelease() + ": " + b.reason());
        lastLogs(b.logs());
      }
    }
    return result instanceof DeployResult.Deployed ? ExitCodes.OK : ExitCodes.NOT_DEPLOYED;
  }

  private void lastLogs(List<String> logs) {
    if (logs.isEmpty()) {
      return;
    }
    console.line("  Last log lines of the failing container:");
    logs.stream().skip(Math.max(0, logs.size() - 10)).forEach(l -> console.line(console.dim("    | " + l)));
  }

  /** The {@code --json} document of a release run. */
  Map<String, Object> document(DeployResult result) {
    Map<String, Object> doc = new java.util.LinkedHashMap<>();
    doc.put("ok", result instanceof DeployResult.Deployed);
    doc.put("outcome", switch (result) {
      case DeployResult.Deployed d -> "deployed";
      case DeployResult.Refused f -> "refused";
      case DeployResult.RolledBack b -> "rolled_back";
    });
    doc.put("result", Json.plain(result));
    List<Object> list = new ArrayList<>();
    for (DeployEvent e : events()) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("event", e.getClass().getSimpleName());
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) Json.plain(e);
      m.putAll(fields);
      list.add(m);
    }
    doc.put("events", list);
    return doc;
  }

  static String shortId(String imageId) {
    String id = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  static String ms(Duration d) {
    long millis = d.toMillis();
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
