package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Release;
import dev.deploykit.core.ReleaseHistory;
import dev.deploykit.core.internal.state.StackLock;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Protocol steps 2 and 10: the release's record. It starts as a pending release whose snapshot
 * is written before anything changes, and ends as one outcome, written to the history and the
 * audit log and sent to the notification webhook.
 */
final class Recording {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final RunContext run;

  Recording(RunContext run) {
    this.run = run;
  }

  /** A new pending release of the stack, not yet written anywhere. */
  Release newRelease(@Nullable String version, @Nullable String rollbackOf) {
    Instant now = run.clock.instant();
    String id = ID_TIME.format(now) + "-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    Map<String, String> refs = new LinkedHashMap<>();
    run.stack.services().forEach(s -> refs.put(s.name(), s.image()));
    return new Release(id, run.stack.name(), now, run.settings.owner(), version, refs, Map.of(),
        Release.Outcome.PENDING, "running", rollbackOf);
  }

  /** Writes the release's snapshot, then the release as pending: a crash from here on is visible. */
  Release begin(Release pending, Map<String, String> imageIds, Map<String, String> imageDigests) {
    Release release = new Release(pending.id(), pending.stack(), pending.createdAt(), pending.createdBy(),
        pending.version(), pending.images(), imageIds, Release.Outcome.PENDING, "running",
        pending.rollbackOf(), imageDigests);
    run.state.saveSnapshot(release.id(), run.stack);
    run.save(release);
    run.emit(new DeployEvent.SnapshotWritten(run.at(), release.id()));
    return release;
  }

  /** Records a refusal: nothing switched, the old release still serves. */
  DeployResult refuse(Release release, String reason, List<String> logs) {
    Release refused = release.withOutcome(Release.Outcome.REFUSED, reason);
    record(refused);
    return new DeployResult.Refused(refused, run.at(), reason, logs);
  }

  /** Records the release as live; the release that was live before becomes superseded. */
  DeployResult.Deployed live(Release release) {
    ReleaseHistory history = run.history();
    for (Release r : history.releases()) {
      if (r.outcome() == Release.Outcome.LIVE && !r.id().equals(release.id())) {
        history = history.with(r.withOutcome(Release.Outcome.SUPERSEDED, "replaced by " + release.id()));
      }
    }
    run.history(history);
    Release live = release.withOutcome(Release.Outcome.LIVE,
        release.rollbackOf() == null ? "deployed" : "restored release " + release.rollbackOf());
    record(live);
    return new DeployResult.Deployed(live, run.at());
  }

  /** Says that this run took the stack's lock over from a holder that was provably gone, and audits it. */
  void tookOver(StackLock lock, StackLock.TakeOver t) {
    run.emit(new DeployEvent.LockTakenOver(run.at(), run.stack.name(), t.previous(), t.why()));
    run.state.audit(run.clock.instant() + " " + run.stack.name() + " lock taken over by "
        + lock.info().owner() + ": " + t.why());
  }

  /**
   * Records a release whose run ended by an interrupt or an engine failure as interrupted, with
   * an audit line, so the history shows no pending release once the lock is free. Best effort:
   * the next run converges it anyway; a failure to record is added to {@code cause}.
   */
  void cutShort(Release release, Exception cause) {
    String why = (Interrupts.isInterrupt(cause) ? "interrupted" : "failed: " + firstLine(cause.getMessage()))
        + "; a later run converges";
    Interrupts.uninterrupted(() -> {
      try {
        Release cut = release.withOutcome(Release.Outcome.INTERRUPTED, why);
        run.save(cut);
        audit(cut);
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    });
  }

  private static String firstLine(@Nullable String message) {
    String text = message == null ? "no message" : message.strip();
    int nl = text.indexOf('\n');
    text = nl < 0 ? text : text.substring(0, nl);
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  /** Writes the outcome to the history and the audit log, and notifies. */
  void record(Release release) {
    run.save(release);
    audit(release);
    run.emit(new DeployEvent.Recorded(run.at(), release));
    notify(release);
  }

  private void audit(Release release) {
    run.state.audit(run.clock.instant() + " " + release.stack() + " " + release.id() + " "
        + release.outcome() + " by " + release.createdBy()
        + (release.version() == null ? "" : " version " + release.version()) + ": " + release.message());
  }

  private void notify(Release release) {
    URI hook = run.stack.settings().notifyWebhook();
    if (hook == null) {
      return;
    }
    Notifier.Delivery d = run.settings.notifier().send(hook, "deploykit: " + release.stack() + " release "
        + release.id() + (release.version() == null ? "" : " (" + release.version() + ")") + " "
        + release.outcome().name().toLowerCase(Locale.ROOT) + ": " + release.message());
    run.emit(new DeployEvent.Notified(run.at(), d.delivered(), d.detail()));
  }
}
