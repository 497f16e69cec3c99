package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DatabaseStep;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployListener;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.PruneResult;
import dev.deploykit.core.Release;
import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.internal.state.StackLock;
import dev.deploykit.health.wait.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One run of the release protocol (DESIGN.md, "The release protocol") for a whole stack. Each
 * step is a class of its own; this class only runs them in order:
 *
 * <ol>
 *   <li>take the stack's lock ({@link StackLock}), then converge what a cut-short run left
 *       ({@link Convergence});
 *   <li>deliver the images to a remote host through a registry ({@link ImageDelivery}), pin them
 *       ({@link ImagePins}) and write the snapshot ({@link Recording#begin});
 *   <li>volumes and accessories ({@link Accessories}), then the database step;
 *   <li>the web swap ({@link WebSwap}), the worker hand-over ({@link WorkerHandover}) and the
 *       watch window ({@link WatchWindow}), undone by {@link ReverseSwap} ({@link Handover});
 *   <li>record, audit and notify ({@link Recording}), prune ({@link Pruning}), free the lock.
 * </ol>
 *
 * <p>Every step can be repeated: a run after a crash at any point finds the half-done state and
 * converges (one live release per service, the proxy on a healthy container, strays removed).
 */
public final class ReleaseRun {
  /** What every run of one deployer shares. */
  public record Settings(String proxyImage, String proxyBindAddress, String owner,
      DatabaseStep databaseStep, Duration pullTimeout, Notifier notifier, DeliverySettings delivery) {}

  private final Settings settings;
  private final DockerHost host;
  private final TimeSource time;
  private final Clock clock;
  private final DeployListener listener;

  /** A run on {@code host}; {@link #run} may be called once. */
  public ReleaseRun(Settings settings, DockerHost host, TimeSource time, Clock clock, DeployListener listener) {
    this.settings = settings;
    this.host = host;
    this.time = time;
    this.clock = clock;
    this.listener = listener;
  }

  /** The notifier of release outcomes, posting with {@code client}. */
  public static Notifier notifier(okhttp3.OkHttpClient client) {
    return new Notifier(client);
  }

  /**
   * Releases the stack.
   *
   * @param pinned image ids to run instead of the stack's image references (a rollback's)
   * @param rollbackOf the release being restored, or null for a new release
   * @throws InterruptedException when interrupted at any step; the lock is freed and the next run
   *     converges
   */
  public DeployResult run(Stack stack, @Nullable String version, Map<String, String> pinned,
      @Nullable String rollbackOf) throws InterruptedException {
    long started = time.nanoTime();
    stack.requireReleasable();
    host.ping();
    return UnderLock.run(settings, host, time, clock, listener, started, stack, rollbackOf,
        run -> locked(run, version, pinned, rollbackOf));
  }

  private DeployResult locked(RunContext run, @Nullable String version, Map<String, String> pinned,
      @Nullable String rollbackOf) throws InterruptedException {
    new Convergence(run).converge();
    Recording recording = new Recording(run);
    Release pending = recording.newRelease(version, rollbackOf);
    ImageDelivery.Delivered delivered = ImageDelivery.applies(run)
        ? new ImageDelivery(run).deliver(pinned) : new ImageDelivery.Delivered(pinned, Map.of());
    ImagePins.Outcome images = new ImagePins(run).pin(delivered.pins());
    if (images instanceof ImagePins.Outcome.Missing m) {
      return recording.refuse(pending, m.reason(), List.of());
    }
    Map<String, String> imageIds = ((ImagePins.Outcome.Pinned) images).imageIds();
    Release release = recording.begin(pending, imageIds, delivered.digests());
    try {
      return released(run, recording, release, imageIds);
    } catch (InterruptedException | RuntimeException e) {
      recording.cutShort(release, e);
      throw e;
    }
  }

  private DeployResult released(RunContext run, Recording recording, Release release,
      Map<String, String> imageIds) throws InterruptedException {
    ReleaseContainers containers = new ReleaseContainers(run);
    Accessories accessories = new Accessories(run, containers);
    accessories.ensureVolumes();
    Optional<Accessories.Failure> accessory = accessories.ensure(imageIds);
    if (accessory.isPresent()) {
      return recording.refuse(release, accessory.get().reason(), run.logs(accessory.get().container()));
    }
    Optional<String> refusal = new DatabasePreparation(run).prepare(release);
    // The database step may have recorded a backup in the release.
    release = run.history().find(release.id()).orElse(release);
    if (refusal.isPresent()) {
      return recording.refuse(release, refusal.get(), List.of());
    }
    Optional<DeployResult> undone = new Handover(run, containers, recording).handOver(release, imageIds);
    if (undone.isPresent()) {
      return undone.get();
    }
    DeployResult.Deployed deployed = recording.live(release);
    PruneResult pruned = Pruning.prune(run.host, run.stack, run.history());
    if (!pruned.removedContainers().isEmpty()) {
      run.emit(new DeployEvent.Pruned(run.at(), pruned.removedContainers()));
    }
    return deployed;
  }
}
