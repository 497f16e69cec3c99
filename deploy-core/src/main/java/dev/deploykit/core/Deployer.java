package dev.deploykit.core;

import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ContainerState;

import dev.deploykit.core.internal.protocol.DeliverySettings;
import dev.deploykit.core.internal.protocol.Pruning;
import dev.deploykit.core.internal.protocol.ReleaseRun;
import dev.deploykit.core.internal.protocol.SwarmReleaseRun;
import dev.deploykit.core.internal.state.HostState;
import dev.deploykit.core.internal.state.StackLock;
import dev.deploykit.health.wait.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The release engine's entry point: deploys a {@link Stack} to a {@link DockerHost} with zero
 * downtime, rolls back, and reads the host's release history.
 *
 * <pre>{@code
 * try (DockerHost host = DockerHost.local()) {
 *   Deployer deployer = Deployer.builder(host).listener(System.out::println).build();
 *   DeployResult result = deployer.deploy(ComposeFile.load(Path.of("compose.yaml")), "v2");
 *   switch (result) {
 *     case DeployResult.Deployed d -> System.out.println("live: " + d.release().id());
 *     case DeployResult.Refused r -> System.out.println("refused: " + r.reason());
 *     case DeployResult.RolledBack b -> System.out.println("rolled back: " + b.reason());
 *   }
 * }
 * }</pre>
 *
 * <p>For a remote host ({@link dev.deploykit.core.engine.SshHost}) a release first delivers its
 * images from the operator's engine: pushed to the stack's {@code x-deploykit.registry} (or, with
 * none, to a registry on the operator's loopback that the host reaches through an SSH remote
 * forward), pinned by digest, pulled on the host with the credentials in the call
 * ({@link Builder#imageSource}, {@link Builder#localRegistry}, {@link RegistrySettings}).
 *
 * <p>Each call that changes the host takes the stack's lock on the host first; a held lock is a
 * {@link LockHeldException} naming its owner. Expected outcomes (refused, rolled back) are
 * {@link DeployResult} values; {@link DeployException} is for what the caller must fix, and every
 * method may throw one when the engine fails (its {@link DeployException#reason()} says which
 * kind of failure). The {@link DockerHost} stays the caller's: a deployer never closes it.
 *
 * <p>Thread safety: immutable; calls for different stacks may run concurrently, calls for one
 * stack are serialised by its lock.
 */
public final class Deployer {
  /**
   * The proxy's image unless {@link Builder#proxyImage(String)} names another: the official
   * HAProxy 3.0 image (a caller without a registry resolves it to a stand-in of its own).
   */
  public static final String DEFAULT_PROXY_IMAGE = "haproxy:3.0";
  /** The registry image of the local-registry mode unless {@link Builder#localRegistry} names another. */
  public static final String DEFAULT_LOCAL_REGISTRY_IMAGE = "registry:2";
  /** The loopback port of the local-registry mode unless {@link Builder#localRegistry} names another. */
  public static final int DEFAULT_LOCAL_REGISTRY_PORT = 5555;

  private final DockerHost host;
  private final ReleaseRun.Settings settings;
  private final DeployListener listener;
  private final TimeSource time;
  private final Clock clock;

  private Deployer(Builder b) {
    this.host = b.host;
    this.listener = b.listener;
    this.time = b.time;
    this.clock = b.clock;
    this.settings = new ReleaseRun.Settings(b.proxyImage, b.proxyBindAddress, b.owner, b.databaseStep,
        b.pullTimeout, ReleaseRun.notifier(b.httpClient),
        new DeliverySettings(b.imageSource, b.localRegistryImage, b.localRegistryPort, b.environment));
  }

  /**
   * A builder of a deployer for the given host; every other setting has a default.
   *
   * @param host the engine to deploy to, owned (and closed) by the caller
   */
  public static Builder builder(DockerHost host) {
    return new Builder(host);
  }

  /**
   * Releases the stack as it is configured now.
   *
   * @param stack the stack as it should run, for example from {@link ComposeFile#load}
   * @param version the operator's label for the release (a tag, a commit), or null
   * @return deployed, refused (the old release still serves) or rolled back
   * @throws LockHeldException when another run holds the stack's lock
   * @throws DeployException when the engine fails or the stack cannot be deployed as configured
   *     ({@link DeployException.Reason#INVALID_STACK}, see {@link Stack#requireReleasable()})
   * @throws InterruptedException when interrupted; the next run converges what this one left
   */
  public DeployResult deploy(Stack stack, @Nullable String version) throws InterruptedException {
    if (stack.settings().engine() == Engine.SWARM) {
      return new SwarmReleaseRun(settings, host, time, clock, listener).run(stack, version, null);
    }
    return new ReleaseRun(settings, host, time, clock, listener).run(stack, version, Map.of(), null);
  }

  /**
   * {@link #deploy(Stack, String)} without a version label.
   *
   * @throws LockHeldException when another run holds the stack's lock
   * @throws DeployException when the engine fails or the stack cannot be deployed as configured
   * @throws InterruptedException when interrupted; the next run converges what this one left
   */
  public DeployResult deploy(Stack stack) throws InterruptedException {
    return deploy(stack, null);
  }

  /**
   * Rolls back to the release before the live one: the same protocol with that release's images
   * (pinned by id) and its configuration snapshot.
   *
   * @param stack the stack's name
   * @throws DeployException with {@link DeployException.Reason#NO_EARLIER_RELEASE} when there is
   *     no earlier release to go back to, or as {@link #rollback(String, String)}
   * @throws LockHeldException when another run holds the stack's lock
   * @throws InterruptedException when interrupted; the next run converges what this one left
   */
  public DeployResult rollback(String stack) throws InterruptedException {
    Release target = history(stack).previous()
        .orElseThrow(() -> new DeployException(DeployException.Reason.NO_EARLIER_RELEASE,
            "Stack " + stack + " has no earlier release to roll back to"));
    return rollback(stack, target.id());
  }

  /**
   * Rolls back to the named release, with its images and its own configuration.
   *
   * @param stack the stack's name
   * @param release the id of the release to restore, from {@link #history(String)}
   * @throws DeployException with {@link DeployException.Reason#UNKNOWN_RELEASE} when the history
   *     has no such release, {@link DeployException.Reason#RELEASE_NOT_RESTORABLE} when its
   *     snapshot is missing or it never pinned its images
   * @throws LockHeldException when another run holds the stack's lock
   * @throws InterruptedException when interrupted; the next run converges what this one left
   */
  public DeployResult rollback(String stack, String release) throws InterruptedException {
    Release target = history(stack).find(release)
        .orElseThrow(() -> new DeployException(DeployException.Reason.UNKNOWN_RELEASE, "Stack " + stack
            + " has no release " + release + " on " + host.describe() + "; `deploykit releases` lists them"));
    Stack config = HostState.existing(host, stack).flatMap(s -> s.snapshot(release))
        .orElseThrow(() -> new DeployException(DeployException.Reason.RELEASE_NOT_RESTORABLE,
            "The configuration snapshot of release " + release + " is missing on " + host.describe()
                + "; it cannot be restored"));
    if (config.settings().engine() == Engine.SWARM) {
      // The cluster keeps the release's own Swarm service specs; Swarm's nodes resolve its images.
      return new SwarmReleaseRun(settings, host, time, clock, listener).run(config, "rollback to " + release, release);
    }
    if (target.imageIds().isEmpty()) {
      throw new DeployException(DeployException.Reason.RELEASE_NOT_RESTORABLE, "Release " + release
          + " never pinned its images (it was " + target.outcome() + "); pick a release that ran");
    }
    return new ReleaseRun(settings, host, time, clock, listener)
        .run(config, "rollback to " + release, target.pins(), release);
  }

  /**
   * The stack's release history on the host (empty when it has none).
   *
   * @param stack the stack's name
   */
  public ReleaseHistory history(String stack) {
    return HostState.existing(host, stack).map(HostState::history).orElse(ReleaseHistory.empty());
  }

  /**
   * Removes the stopped containers of releases the engine no longer keeps for rollback (see
   * {@link ReleaseHistory#retainedForRollback(int)}), under the stack's lock, exactly as a deploy
   * prunes after it records a release. On a stack with {@code engine: swarm} (the host its
   * manager): the release services kept at 0 replicas beyond {@code retain} per service, listed
   * in {@link PruneResult#removedContainers()}.
   *
   * @throws LockHeldException when another run holds the stack's lock
   */
  public PruneResult prune(Stack stack) {
    StackLock lock = lock(stack.name(), "prune");
    try {
      if (stack.settings().engine() == Engine.SWARM) {
        dev.deploykit.core.swarm.SwarmCluster.of(host).requireUsable();
        return dev.deploykit.core.internal.protocol.SwarmPruning.pruneNow(stack, swarmServices());
      }
      return Pruning.prune(host, stack, history(stack.name()));
    } finally {
      lock.close();
    }
  }

  /**
   * What runs on the host for the stack now: its containers, the proxy and its URL, the lock and
   * the release history, read through the labels deploykit puts on the host. Reads only; takes
   * no lock, so a deploy may change the host right after.
   */
  public DeployedStack inspect(Stack stack) {
    return DeployedStack.read(host, stack, history(stack.name()), lock(stack.name()).orElse(null));
  }

  /**
   * The health checks of a deployed stack, built from what its services declare (role, probe,
   * probe port), reaching every container through the host. Close it when done: it owns the
   * checks and the forwards it opened.
   *
   * <pre>{@code
   * try (StackHealth health = deployer.health(deployer.inspect(stack))) {
   *   HealthReport ready = health.run(StackHealth.READINESS);
   * }
   * }</pre>
   */
  public StackHealth health(DeployedStack deployed) {
    return StackHealth.open(host, deployed, time);
  }

  /** Takes the stack's lock; a take-over from a holder that is provably gone gets an audit line. */
  private StackLock lock(String stack, String operation) {
    StackLock lock = StackLock.acquire(host, stack, lockImage(stack), settings.owner(), operation, clock);
    lock.takenOver().ifPresent(t -> HostState.existing(host, stack).ifPresent(state ->
        state.audit(clock.instant() + " " + stack + " lock taken over by " + lock.info().owner()
            + " for " + operation + ": " + t.why())));
    return lock;
  }

  /**
   * The configuration a release ran with, as its snapshot on the host holds it (secrets
   * included), or empty when the host has no snapshot of that release.
   *
   * @param stack the stack's name
   * @param release the release's id
   */
  public Optional<Stack> snapshot(String stack, String release) {
    return HostState.existing(host, stack).flatMap(s -> s.snapshot(release));
  }

  /**
   * The stack's audit log, oldest first, one line per release outcome and lock take-over.
   *
   * @param stack the stack's name
   */
  public List<String> auditLog(String stack) {
    return HostState.existing(host, stack).map(HostState::auditLog).orElse(List.of());
  }

  /**
   * Who holds the stack's lock, if anyone; reading it takes nothing.
   *
   * @param stack the stack's name
   */
  public Optional<LockInfo> lock(String stack) {
    return StackLock.read(host, stack);
  }

  /**
   * Takes the stack's deploy lock for work of the caller's own (a maintenance job, a migration
   * run by hand) that must not overlap a deploy. A lock whose holder is provably gone is taken
   * over, as a deploy would.
   *
   * @param stack the stack's name
   * @param operation what the caller does, for {@code deploykit lock status}
   * @return the held lock; close it to free the lock
   * @throws LockHeldException when a live run holds it
   */
  public HeldLock acquireLock(String stack, String operation) {
    StackLock lock = lock(stack, operation);
    return new HeldLock() {
      @Override
      public LockInfo info() {
        return lock.info();
      }

      @Override
      public void close() {
        lock.close();
      }
    };
  }

  /**
   * Breaks the stack's lock whoever holds it ({@code --force-unlock}): for an operator who made
   * sure that its owner is gone. The next run converges what the owner left half done. Nothing
   * happens when the stack is not locked.
   *
   * @param stack the stack's name
   */
  public void forceUnlock(String stack) {
    StackLock.forceRelease(host, stack);
  }

  /**
   * Removes everything deploykit created for the stack: containers (the proxy and accessories
   * included), the network, the state, and with {@code volumes} also the stack's named volumes;
   * on a swarm manager also the stack's Swarm services and its overlay network.
   * It takes the stack's lock first, like every call that changes the host.
   *
   * @param stack the stack's name
   * @param volumes whether to remove the services' named volumes too (their data is lost)
   * @throws LockHeldException when another run holds the stack's lock
   */
  public void down(String stack, boolean volumes) {
    boolean swarm = managesASwarm();
    if (swarm || !host.list(Map.of(StackNames.LABEL_STACK, stack), StackNames.network(stack)).isEmpty()) {
      StackLock lock = lock(stack, "down");
      try {
        if (swarm) {
          // On a cluster first its Swarm services, so that the accessories' tasks free their volumes.
          onTheSwarm("taking down the Swarm services of " + stack, s -> s.removeStack(stack, Duration.ofMinutes(2)));
        }
        for (ContainerState c : host.list(Map.of(StackNames.LABEL_STACK, stack), StackNames.network(stack))) {
          if (c.label(StackNames.LABEL_KIND).filter(StackNames.KIND_LOCK::equals).isEmpty()) {
            host.remove(c.id());
          }
        }
      } finally {
        lock.close();
      }
    }
    host.removeNetwork(StackNames.network(stack));
    if (swarm) {
      onTheSwarm("removing the overlay network of " + stack, s -> s.removeOverlay(stack, Duration.ofMinutes(1)));
    }
    host.removeVolumes(Map.of(StackNames.LABEL_STACK, stack, StackNames.LABEL_KIND, StackNames.KIND_STATE));
    if (volumes) {
      host.removeVolumes(Map.of(StackNames.LABEL_STACK, stack, StackNames.LABEL_KIND, StackNames.KIND_VOLUME));
    }
  }

  /** A step of {@link #down} on the swarm the host manages. */
  @FunctionalInterface
  private interface SwarmStep {
    void run(dev.deploykit.core.internal.swarm.SwarmServices services) throws InterruptedException;
  }

  private void onTheSwarm(String doing, SwarmStep step) {
    try {
      step.run(swarmServices());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while " + doing + " on "
          + host.describe() + "; run it again to finish", e);
    }
  }

  private dev.deploykit.core.internal.swarm.SwarmServices swarmServices() {
    return new dev.deploykit.core.internal.swarm.SwarmServices(host.client(), host.describe(), time);
  }

  /**
   * Whether the host is a manager of a swarm (whose services {@link #down} removes too); an
   * engine that cannot say (no docker-java client, or unreachable) is taken for one host, and
   * the removal of the containers names what is wrong with it.
   */
  private boolean managesASwarm() {
    try {
      return dev.deploykit.core.swarm.SwarmCluster.of(host).managesASwarm();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * An image the host surely has, for the never-started lock container: the one the stack's state
   * container was made from (a deploy made it, with the proxy image present then), else the
   * configured proxy image. A deployer built with defaults can thus take the lock of a stack
   * deployed with a stand-in proxy image.
   */
  private String lockImage(String stack) {
    return host.inspect(StackNames.stateContainer(stack), StackNames.network(stack))
        .map(ContainerState::image).orElse(settings.proxyImage());
  }

  /**
   * Settings of a {@link Deployer}; every one has a default. Setters return this builder.
   *
   * <p>Thread safety: not thread safe; build on one thread, then share the deployer.
   */
  public static final class Builder {
    private final DockerHost host;
    private String proxyImage = DEFAULT_PROXY_IMAGE;
    private String proxyBindAddress = "0.0.0.0";
    private String owner = System.getProperty("user.name", "unknown") + "@" + StackLock.thisHost();
    private DatabaseStep databaseStep = DatabaseStep.fromStack();
    private DeployListener listener = DeployListener.NONE;
    private TimeSource time = TimeSource.system();
    private Clock clock = Clock.systemUTC();
    private Duration pullTimeout = Duration.ofMinutes(10);
    private OkHttpClient httpClient = new OkHttpClient();
    private @Nullable DockerHost imageSource;
    private String localRegistryImage = DEFAULT_LOCAL_REGISTRY_IMAGE;
    private int localRegistryPort = DEFAULT_LOCAL_REGISTRY_PORT;
    private java.util.function.Function<String, @Nullable String> environment = System::getenv;

    private Builder(DockerHost host) {
      this.host = Objects.requireNonNull(host, "host");
    }

    /** The HAProxy image of the stack's proxy; default {@link #DEFAULT_PROXY_IMAGE}. */
    public Builder proxyImage(String proxyImage) {
      this.proxyImage = Objects.requireNonNull(proxyImage, "proxyImage");
      return this;
    }

    /** The host address the proxy publishes the stack's port on; default all ({@code 0.0.0.0}). */
    public Builder proxyBindAddress(String proxyBindAddress) {
      this.proxyBindAddress = Objects.requireNonNull(proxyBindAddress, "proxyBindAddress");
      return this;
    }

    /** Who deploys, for the lock, the history and the audit log; default {@code user@host}. */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /**
     * Prepares the database during each release; default {@link DatabaseStep#fromStack()},
     * db-init as the stack's {@code x-deploykit.db_init} says.
     */
    public Builder databaseStep(DatabaseStep databaseStep) {
      this.databaseStep = Objects.requireNonNull(databaseStep, "databaseStep");
      return this;
    }

    /** Receives every step as it happens; default none. */
    public Builder listener(DeployListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Where waiting reads time and sleeps; default the system's (tests pass a fake one). */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /** The wall clock for release ids and records; default UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long pulling one image may take; default 10 minutes.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder pullTimeout(Duration pullTimeout) {
      if (pullTimeout.isNegative() || pullTimeout.isZero()) {
        throw new IllegalArgumentException("pullTimeout must be positive, was " + pullTimeout);
      }
      this.pullTimeout = pullTimeout;
      return this;
    }

    /**
     * The HTTP client for release notifications (its timeouts are bounded anyway); default a new
     * one. The caller keeps owning a client it passes.
     */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The engine holding the stack's images, which a release pushes from to reach the host
     * (through the stack's {@code x-deploykit.registry}, or the local-registry mode). Default:
     * for a remote host ({@link dev.deploykit.core.engine.SshHost}) the local engine, opened for
     * each release and closed after; for any other host none, and the host uses the images it
     * has or pulls them itself. The caller keeps owning an engine it passes.
     */
    public Builder imageSource(DockerHost imageSource) {
      this.imageSource = Objects.requireNonNull(imageSource, "imageSource");
      return this;
    }

    /**
     * The registry run on the operator's engine when the stack names no registry, and its port
     * on the operator's loopback, forwarded to the same port on the host's loopback while the
     * host pulls; default {@link #DEFAULT_LOCAL_REGISTRY_IMAGE} on
     * {@value #DEFAULT_LOCAL_REGISTRY_PORT}.
     *
     * @throws IllegalArgumentException when the port is not 1-65535
     */
    public Builder localRegistry(String image, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("local registry port must be 1-65535, was " + port);
      }
      this.localRegistryImage = Objects.requireNonNull(image, "image");
      this.localRegistryPort = port;
      return this;
    }

    /**
     * Where a registry's {@code password_env} is read; default {@link System#getenv(String)}.
     */
    public Builder environment(java.util.function.Function<String, @Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** The deployer, immutable; the builder may be changed and built again afterwards. */
    public Deployer build() {
      return new Deployer(this);
    }
  }
}
