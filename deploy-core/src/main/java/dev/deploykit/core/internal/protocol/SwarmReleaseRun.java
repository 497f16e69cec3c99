package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployListener;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Release;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.backup.BackupSettings;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.core.internal.swarm.SwarmAccessories;
import dev.deploykit.core.internal.swarm.SwarmDatabaseHost;
import dev.deploykit.core.internal.swarm.SwarmProxy;
import dev.deploykit.core.internal.swarm.SwarmRefusals;
import dev.deploykit.core.internal.swarm.SwarmServices;
import dev.deploykit.core.internal.swarm.SwarmWatch;
import dev.deploykit.core.internal.swarm.SwarmWebRelease;
import dev.deploykit.core.swarm.SwarmCluster;
import dev.deploykit.health.wait.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The release protocol on a Swarm cluster ({@code x-deploykit.engine: swarm}), run against a
 * manager's engine. What one host keeps, the manager keeps: the stack's lock, its history, each
 * release's configuration snapshot and the audit log ({@link RunContext}'s state on the manager),
 * with the same outcomes and events as on one host.
 *
 * <ol>
 *   <li>refusals first, nothing changed: what Swarm cannot run ({@link SwarmRefusals}), and
 *       backups kept in a volume on the host, which deploykit does not yet keep on a cluster;
 *   <li>the lock; a release an earlier run left pending is marked interrupted;
 *   <li>the accessories ({@link SwarmAccessories}: pinned to the manager beside their volumes,
 *       kept), and the stack's proxy on the manager ({@link SwarmProxy});
 *   <li>the database step (db-init by default, the backup before migrations), as on one host,
 *       against the manager seen through {@link SwarmDatabaseHost}: the accessory's task runs
 *       there, reached through a relay on the stack's networks;
 *   <li>each worker's new Swarm service, gated on its tasks running healthy, beside the old one;
 *   <li>the web service's new Swarm service, gated, then switched to in the proxy ({@link
 *       SwarmWebRelease#start}); the old one keeps running, drained;
 *   <li>the watch window ({@link SwarmWatch}): from a release's first short read, the old release
 *       serves beside it (hedged); a release that turns unhealthy is switched back from, and its
 *       services are taken away: rolled back, the old release never stopped;
 *   <li>the old web and worker services are scaled to 0 (their tasks stop after their grace
 *       period, a worker finishing its job), kept for a rollback; the release is live; services of
 *       releases past {@code retain} are removed.
 * </ol>
 *
 * <p>A rollback to release R brings R's own Swarm services back from their stored specs (kept at 0
 * replicas in the cluster), with R's replicas from its snapshot; if they were pruned, they are made
 * anew from the snapshot.
 */
public final class SwarmReleaseRun {
  private final ReleaseRun.Settings settings;
  private final DockerHost host;
  private final TimeSource time;
  private final Clock clock;
  private final DeployListener listener;

  /** A run on the manager {@code host}; {@link #run} may be called once. */
  public SwarmReleaseRun(ReleaseRun.Settings settings, DockerHost host, TimeSource time, Clock clock,
      DeployListener listener) {
    this.settings = settings;
    this.host = host;
    this.time = time;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Releases the stack on the cluster.
   *
   * @param rollbackOf the release whose services come back, or null for a new release
   * @throws DeployException when the stack cannot run on the cluster (every problem named), the
   *     host manages no swarm, or the manager fails a step
   * @throws InterruptedException when interrupted; the next run converges
   */
  public DeployResult run(Stack stack, @Nullable String version, @Nullable String rollbackOf)
      throws InterruptedException {
    long started = time.nanoTime();
    SwarmRefusals.check(stack);
    refuseWhatIsNotRunHere(stack);
    SwarmCluster.of(host).requireUsable();
    return UnderLock.run(settings, host, time, clock, listener, started, stack, rollbackOf,
        run -> locked(run, version, rollbackOf));
  }

  private static void refuseWhatIsNotRunHere(Stack stack) {
    stack.requireReleasable();
    DatabaseSettings db = stack.settings().database();
    if (db != null && db.backup().beforeMigrations() && db.backup().store() == BackupSettings.Store.HOST) {
      throw new DeployException(DeployException.Reason.INVALID_STACK, "Stack " + stack.name()
          + " keeps its backups in a volume on the host (x-deploykit.db_init.backup.store: host), which"
          + " deploykit does not do on a Swarm cluster yet (docs/swarm.md, Status): use store: local (a folder"
          + " on the machine that deploys), or before_migrations: false");
    }
  }

  private DeployResult locked(RunContext run, @Nullable String version, @Nullable String rollbackOf)
      throws InterruptedException {
    markInterrupted(run);
    Recording recording = new Recording(run);
    Release release = recording.begin(recording.newRelease(version, rollbackOf), Map.of(), Map.of());
    try {
      return released(run, recording, release);
    } catch (InterruptedException | RuntimeException e) {
      recording.cutShort(release, e);
      throw e;
    }
  }

  /** A release an earlier run left pending was cut short; its services are settled below. */
  private static void markInterrupted(RunContext run) {
    List<String> interrupted = new ArrayList<>();
    for (Release r : run.history().releases()) {
      if (r.outcome() == Release.Outcome.PENDING) {
        interrupted.add(r.id());
        run.history(run.history().with(r.withOutcome(Release.Outcome.INTERRUPTED,
            "cut short; a later run converged")));
      }
    }
    if (!interrupted.isEmpty()) {
      run.saveHistory();
      run.emit(new DeployEvent.Converged(run.at(), List.of(), interrupted));
    }
  }

  private DeployResult released(RunContext run, Recording recording, Release release)
      throws InterruptedException {
    Stack stack = run.stack;
    SwarmServices services = new SwarmServices(host.client(), host.describe(), time);
    services.ensureOverlay(stack.name());
    try {
      for (SwarmAccessories.Ready ready : new SwarmAccessories(host, services).ensure(stack)) {
        run.emit(new DeployEvent.AccessoryReady(run.at(), ready.service(), ready.created()));
      }
    } catch (DeployException e) {
      return recording.refuse(release, e.getMessage(), List.of());
    }
    DatabaseSettings db = stack.settings().database();
    if (db != null) {
      Optional<String> refused;
      try (SwarmDatabaseHost database = new SwarmDatabaseHost(host, stack.name(), db.service(),
          settings.proxyImage(), time)) {
        refused = new DatabasePreparation(run, database).prepare(release);
      }
      // The database step may have recorded a backup in the release.
      release = run.history().find(release.id()).orElse(release);
      if (refused.isPresent()) {
        return recording.refuse(release, refused.get(), List.of());
      }
    }
    SwarmReleaseSpecs specs = new SwarmReleaseSpecs(run, services, release);
    SwarmWorkers workers = new SwarmWorkers(run, services);
    Optional<String> workerFailure = workers.start(specs);
    if (workerFailure.isPresent()) {
      return recording.refuse(release, workerFailure.get(), List.of());
    }
    Optional<Service> web = stack.services(Role.WEB).stream().findFirst();
    if (web.isEmpty()) {
      workers.retireOld();
      return live(run, recording, release, services);
    }
    try (SwarmProxy proxy = SwarmProxy.ensure(host, stack.name(), settings.proxyImage(),
        stack.settings().proxyPort(), List.of(slotGroups(web.get())), Duration.ofSeconds(60), time)) {
      SwarmWebSwap swap = new SwarmWebSwap(run, services, proxy.slots());
      Optional<String> refused = swap.start(web.get(), specs.of(web.get()));
      if (refused.isPresent()) {
        workers.withdraw();
        return recording.refuse(release, refused.get(), List.of());
      }
      Optional<String> unhealthy = new SwarmWatch(proxy.slots(), services, time)
          .watch(web.get().name(), swap.liveGroup(), swap.heldGroup(), swap.started(), web.get().replicas(),
              web.get().deploy().watchWindow());
      if (unhealthy.isPresent()) {
        run.emit(new DeployEvent.WatchFailed(run.at(), web.get().name(), unhealthy.get()));
        String restored = swap.switchBack(web.get());
        workers.withdraw();
        run.emit(new DeployEvent.RolledBack(run.at(), web.get().name(), restored));
        Release rolled = release.withOutcome(Release.Outcome.ROLLED_BACK,
            "service " + web.get().name() + " turned unhealthy after the switch: " + unhealthy.get());
        recording.record(rolled);
        return new DeployResult.RolledBack(rolled, run.at(), rolled.message(), restored, List.of());
      }
      run.emit(new DeployEvent.WatchPassed(run.at(), web.get().deploy().watchWindow()));
      swap.retireOld(web.get());
      workers.retireOld();
    }
    return live(run, recording, release, services);
  }

  private static DeployResult live(RunContext run, Recording recording, Release release, SwarmServices services) {
    DeployResult.Deployed deployed = recording.live(release);
    List<String> pruned = SwarmPruning.prune(run.stack, services);
    if (!pruned.isEmpty()) {
      run.emit(new DeployEvent.Pruned(run.at(), pruned));
    }
    return deployed;
  }

  /** The web service's two slot groups in the proxy, each as large as a release may be. */
  static HaproxyConfig.SlotGroups slotGroups(Service web) {
    return new HaproxyConfig.SlotGroups(new HaproxyConfig.Frontend(web.name(), HaproxyConfig.LISTEN_PORT),
        web.deploy().healthPath(), web.probePort().orElseThrow(), HaproxyConfig.MAX_SLOTS);
  }
}
