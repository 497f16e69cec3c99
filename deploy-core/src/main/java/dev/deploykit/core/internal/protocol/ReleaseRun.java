package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.ContainerSpec;
import dev.deploykit.core.ContainerState;
import dev.deploykit.core.DatabaseStep;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployListener;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.DockerHost;
import dev.deploykit.core.PortMapping;
import dev.deploykit.core.Release;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.VolumeMount;
import dev.deploykit.core.internal.haproxy.HaproxySwitch;
import dev.deploykit.core.internal.state.HostState;
import dev.deploykit.core.internal.state.Names;
import dev.deploykit.core.internal.state.StackLock;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.checks.HttpCheck;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the release protocol (DESIGN.md, "The release protocol") for a whole stack: lock,
 * converge what a crashed run left, pin images, snapshot the configuration, accessories, the
 * database step, web (start next to the old one, health gate, switch, drain, stop and keep the
 * old one), workers (overlap), watch window with automatic rollback, record, audit, notify,
 * prune, unlock.
 *
 * <p>Every step can be repeated: a run after a crash at any point finds the half-done state and
 * converges (one live release per service, the proxy on a healthy container, strays removed).
 */
public final class ReleaseRun {
  private static final Logger log = LoggerFactory.getLogger(ReleaseRun.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final int LOG_LINES = 30;
  /** Consecutive failed probes in the watch window that count as "turned unhealthy". */
  private static final int WATCH_FAILURES = 3;

  /** What every run of one deployer shares. */
  public record Settings(String proxyImage, String proxyBindAddress, String owner,
      DatabaseStep databaseStep, Duration pullTimeout, Notifier notifier) {}

  private final Settings settings;
  private final DockerHost host;
  private final TimeSource time;
  private final Clock clock;
  private final DeployListener listener;
  private long started;

  public ReleaseRun(Settings settings, DockerHost host, TimeSource time, Clock clock, DeployListener listener) {
    this.settings = settings;
    this.host = host;
    this.time = time;
    this.clock = clock;
    this.listener = listener;
  }

  public static Notifier notifier(okhttp3.OkHttpClient client) {
    return new Notifier(client);
  }

  /**
   * Releases the stack.
   *
   * @param pinned image ids to run instead of the stack's image references (a rollback's)
   * @param rollbackOf the release being restored, or null for a new release
   */
  public DeployResult run(Stack stack, @Nullable String version, Map<String, String> pinned,
      @Nullable String rollbackOf) throws InterruptedException {
    started = time.nanoTime();
    validate(stack);
    host.ping();
    String network = Names.network(stack.name());
    String operation = rollbackOf == null ? "deploy" : "rollback to " + rollbackOf;
    try (StackLock lock = StackLock.acquire(host, stack.name(), settings.proxyImage(), settings.owner(),
        operation, clock.instant())) {
      emit(new DeployEvent.LockTaken(at(), stack.name(), lock.info()));
      try {
        return locked(stack, version, pinned, rollbackOf, network);
      } finally {
        lock.close();
        emit(new DeployEvent.LockReleased(at(), stack.name()));
      }
    }
  }

  private DeployResult locked(Stack stack, @Nullable String version, Map<String, String> pinned,
      @Nullable String rollbackOf, String network) throws InterruptedException {
    host.ensureNetwork(network, Names.labels(stack.name(), "network"));
    HostState state = HostState.open(host, stack.name(), settings.proxyImage());
    ProxyControl proxy = new ProxyControl(host, settings.proxyImage(), settings.proxyBindAddress(), time);
    List<Release> history = new ArrayList<>(state.releases());
    converge(stack, history, state, proxy, network);

    Instant now = clock.instant();
    String id = ID_TIME.format(now) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    Map<String, String> refs = new LinkedHashMap<>();
    stack.services().forEach(s -> refs.put(s.name(), s.image()));
    Release release = new Release(id, stack.name(), now, settings.owner(), version, refs, Map.of(),
        Release.Outcome.PENDING, "running", rollbackOf);

    // Images first: a missing image fails the release before anything is touched.
    Map<String, String> imageIds = new LinkedHashMap<>();
    for (Service s : stack.services()) {
      String ref = pinned.getOrDefault(s.name(), s.image());
      Optional<String> present = host.imageId(ref);
      String imageId;
      try {
        imageId = present.orElseGet(() -> host.pull(ref, settings.pullTimeout()));
      } catch (DeployException e) {
        return refuse(stack, state, history, release, "service " + s.name() + ": " + e.getMessage(), List.of());
      }
      imageIds.put(s.name(), imageId);
      emit(new DeployEvent.ImageReady(at(), s.name(), ref, imageId, present.isEmpty()));
    }
    release = new Release(id, stack.name(), now, settings.owner(), version, refs, imageIds,
        Release.Outcome.PENDING, "running", rollbackOf);
    state.saveSnapshot(id, stack);
    history.add(release);
    state.saveReleases(history);
    emit(new DeployEvent.SnapshotWritten(at(), id));

    for (Service s : stack.services()) {
      for (VolumeMount v : s.volumes()) {
        if (v.type().equals("volume")) {
          host.ensureVolume(Names.volume(stack.name(), v.source()), Names.labels(stack.name(), "volume"));
        }
      }
    }
    Gates gates = new Gates(host, network, time);
    for (Service s : inDependencyOrder(stack.services(Role.ACCESSORY), stack)) {
      Optional<String> failure = accessory(stack, s, imageIds.get(s.name()), network, gates);
      if (failure.isPresent()) {
        return refuse(stack, state, history, release, failure.get(),
            host.logs(Names.accessoryContainer(stack.name(), s.name()), LOG_LINES));
      }
    }
    try {
      Optional<String> prepared = settings.databaseStep().prepare(stack, host);
      if (prepared.isPresent()) {
        emit(new DeployEvent.DatabasePrepared(at(), prepared.get()));
      }
    } catch (DeployException e) {
      return refuse(stack, state, history, release, "database step: " + e.getMessage(), List.of());
    }

    Optional<Service> web = stack.services(Role.WEB).stream().findFirst();
    List<ContainerState> previousWeb = web.map(w -> running(stack, w, network)).orElse(List.of());
    Optional<ContainerState> newWeb = Optional.empty();
    if (web.isPresent()) {
      Service w = web.get();
      ContainerState fresh = startNew(stack, w, release, imageIds.get(w.name()), 0, network);
      Gates.Verdict verdict = gates.web(w, fresh, w.deploy().deployTimeout());
      if (!verdict.passed()) {
        List<String> logs = host.logs(fresh.id(), LOG_LINES);
        host.remove(fresh.id());
        emit(new DeployEvent.HealthGateFailed(at(), w.name(), fresh.name(), verdict.reason()));
        return refuse(stack, state, history, release, "service " + w.name() + ": " + verdict.reason(), logs);
      }
      emit(new DeployEvent.HealthGatePassed(at(), w.name(), fresh.name(), verdict.waited(), verdict.probes()));
      long healthyAt = time.nanoTime();
      HaproxySwitch proxySwitch = proxy.ensure(stack, w);
      HaproxySwitch.Result switched = proxySwitch.switchTo(w.name(), fresh.address().orElseThrow(),
          w.healthPort().orElseThrow(), w.deploy().drainTimeout());
      emit(new DeployEvent.TrafficSwitched(at(), w.name(), fresh.name(), switched.switchTime(),
          Duration.ofNanos(time.nanoTime() - healthyAt)));
      if (switched.drainedSlot() != null) {
        emit(new DeployEvent.Drained(at(), w.name(), switched.drainTime(), switched.leftSessions()));
      }
      for (ContainerState old : previousWeb) {
        host.stop(old.id(), w.stopGracePeriod());
        emit(new DeployEvent.OldStopped(at(), w.name(), old.name()));
      }
      newWeb = Optional.of(fresh);
    }

    Map<String, List<ContainerState>> previousWorkers = new LinkedHashMap<>();
    for (Service w : stack.services(Role.WORKER)) {
      List<ContainerState> old = running(stack, w, network);
      List<ContainerState> fresh = new ArrayList<>();
      for (int i = 0; i < w.replicas(); i++) {
        fresh.add(startNew(stack, w, release, imageIds.get(w.name()), i, network));
      }
      for (ContainerState c : fresh) {
        Gates.Verdict verdict = gates.started(c, w.deploy().deployTimeout());
        if (!verdict.passed()) {
          List<String> logs = host.logs(c.id(), LOG_LINES);
          emit(new DeployEvent.HealthGateFailed(at(), w.name(), c.name(), verdict.reason()));
          fresh.forEach(f -> host.remove(f.id()));
          // The web part of this release already serves: undo it, as the watch window would.
          if (newWeb.isPresent()) {
            rollBack(stack, history, release, web.get(), newWeb.get(), previousWorkers, network, gates,
                proxy);
          }
          return refuse(stack, state, history, release, "service " + w.name() + ": " + verdict.reason(), logs);
        }
        emit(new DeployEvent.HealthGatePassed(at(), w.name(), c.name(), verdict.waited(), verdict.probes()));
      }
      for (ContainerState c : old) {
        host.stop(c.id(), w.stopGracePeriod());
        emit(new DeployEvent.OldStopped(at(), w.name(), c.name()));
      }
      previousWorkers.put(w.name(), old);
    }

    if (web.isPresent() && newWeb.isPresent() && !web.get().deploy().watchWindow().isZero()) {
      Optional<String> unhealthy = watch(web.get(), newWeb.get(), gates);
      if (unhealthy.isPresent()) {
        emit(new DeployEvent.WatchFailed(at(), web.get().name(), unhealthy.get()));
        List<String> logs = host.logs(newWeb.get().id(), LOG_LINES);
        String restored = rollBack(stack, history, release, web.get(), newWeb.get(), previousWorkers,
            network, gates, proxy);
        Release rolled = release.withOutcome(Release.Outcome.ROLLED_BACK,
            "service " + web.get().name() + " turned unhealthy after the switch: " + unhealthy.get());
        record(stack, state, history, rolled);
        return new DeployResult.RolledBack(rolled, at(), rolled.message(), restored, logs);
      }
      emit(new DeployEvent.WatchPassed(at(), web.get().deploy().watchWindow()));
    }

    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).outcome() == Release.Outcome.LIVE) {
        history.set(i, history.get(i).withOutcome(Release.Outcome.SUPERSEDED, "replaced by " + id));
      }
    }
    Release live = release.withOutcome(Release.Outcome.LIVE,
        rollbackOf == null ? "deployed" : "restored release " + rollbackOf);
    record(stack, state, history, live);
    prune(stack, history, network);
    return new DeployResult.Deployed(live, at());
  }

  /** Returns the restored release's id, or a note that there was none. */
  private String rollBack(Stack stack, List<Release> history, Release release, Service web,
      ContainerState fresh, Map<String, List<ContainerState>> previousWorkers, String network,
      Gates gates, ProxyControl proxy) throws InterruptedException {
    Optional<Release> previous = history.stream()
        .filter(r -> r.outcome() == Release.Outcome.LIVE).reduce((a, b) -> b);
    Optional<ContainerState> kept = previous.flatMap(p -> host.list(Map.of(
            Names.STACK, stack.name(), Names.SERVICE, web.name(), Names.RELEASE, p.id()), network)
        .stream().findFirst());
    HaproxySwitch proxySwitch = proxy.ensure(stack, web);
    String restored;
    if (kept.isPresent()) {
      host.start(kept.get().id());
      ContainerState again = host.inspect(kept.get().id(), network).orElseThrow();
      Service previousWeb = previous.flatMap(p -> snapshotService(stack, p, web.name())).orElse(web);
      Gates.Verdict verdict = gates.web(previousWeb, again, previousWeb.deploy().deployTimeout());
      if (!verdict.passed()) {
        throw new DeployException("Rolling back " + web.name() + " failed: the previous release's"
            + " container " + again.name() + " is not healthy either (" + verdict.reason()
            + "). The new release still serves; investigate with `docker logs " + again.name() + "`");
      }
      proxySwitch.switchTo(web.name(), again.address().orElseThrow(),
          previousWeb.healthPort().orElseThrow(), web.deploy().drainTimeout());
      restored = previous.get().id();
    } else {
      proxySwitch.stopAll(web.name());
      restored = "none (no earlier release: the service is out of traffic)";
    }
    host.stop(fresh.id(), web.stopGracePeriod());
    for (Map.Entry<String, List<ContainerState>> e : previousWorkers.entrySet()) {
      for (ContainerState old : e.getValue()) {
        host.start(old.id());
      }
      Service worker = stack.service(e.getKey()).orElseThrow();
      for (ContainerState mine : host.list(Map.of(Names.STACK, stack.name(), Names.SERVICE, worker.name(),
          Names.RELEASE, release.id()), network)) {
        host.stop(mine.id(), worker.stopGracePeriod());
      }
    }
    emit(new DeployEvent.RolledBack(at(), web.name(), restored));
    return restored;
  }

  private Optional<Service> snapshotService(Stack stack, Release release, String service) {
    return HostState.existing(host, stack.name()).flatMap(s -> s.snapshot(release.id()))
        .flatMap(snapshot -> snapshot.service(service));
  }

  /** Empty while healthy through the window; else why it turned unhealthy. */
  private Optional<String> watch(Service web, ContainerState container, Gates gates)
      throws InterruptedException {
    AtomicInteger failuresInARow = new AtomicInteger();
    try (HttpCheck check = HttpCheck.builder(Gates.healthUrl(web, container))
        .connectTimeout(Duration.ofSeconds(1)).build()) {
      AwaitResult<HealthResult> result = Await.atMost(web.deploy().watchWindow())
          .backoff(Backoff.fixed(Duration.ofMillis(250))).timeSource(time)
          .until(deadline -> {
            HealthResult r = check.check(CheckContext.of(gates.probeDeadline(deadline)));
            if (r.isUp()) {
              failuresInARow.set(0);
            } else {
              failuresInARow.incrementAndGet();
            }
            return r;
          }, r -> failuresInARow.get() >= WATCH_FAILURES);
      return result.isSatisfied()
          ? Optional.of(WATCH_FAILURES + " probes in a row failed; last: " + result.last().describe())
          : Optional.empty();
    }
  }

  private Optional<String> accessory(Stack stack, Service s, String imageId, String network, Gates gates)
      throws InterruptedException {
    String name = Names.accessoryContainer(stack.name(), s.name());
    Optional<ContainerState> existing = host.inspect(name, network);
    boolean created = existing.isEmpty();
    if (created) {
      Map<String, String> labels = new LinkedHashMap<>(s.labels());
      labels.putAll(Names.labels(stack.name(), "accessory"));
      labels.put(Names.SERVICE, s.name());
      labels.put(Names.ROLE, "accessory");
      host.create(base(stack, s, name, imageId, network).labels(labels).ports(s.ports()).build());
    }
    if (existing.isEmpty() || !existing.get().running()) {
      host.start(name);
    }
    ContainerState c = host.inspect(name, network).orElseThrow();
    Gates.Verdict verdict = gates.started(c, s.deploy().deployTimeout());
    if (!verdict.passed()) {
      return Optional.of("accessory " + s.name() + ": " + verdict.reason());
    }
    emit(new DeployEvent.AccessoryReady(at(), s.name(), created));
    return Optional.empty();
  }

  private ContainerState startNew(Stack stack, Service s, Release release, String imageId, int replica,
      String network) {
    String name = Names.releaseContainer(stack.name(), s.name(), release.id(), replica);
    Map<String, String> labels = new LinkedHashMap<>(s.labels());
    labels.putAll(Names.labels(stack.name(), "app"));
    labels.put(Names.SERVICE, s.name());
    labels.put(Names.RELEASE, release.id());
    labels.put(Names.ROLE, s.role().name().toLowerCase(java.util.Locale.ROOT));
    Map<String, String> env = new LinkedHashMap<>(s.environment());
    env.put("DEPLOYKIT_RELEASE", release.id());
    env.put("DEPLOYKIT_SERVICE", s.name());
    // No host port: web traffic arrives through the proxy, and two releases run side by side.
    List<PortMapping> exposed = s.ports().stream()
        .map(p -> new PortMapping(null, null, p.target(), p.protocol())).toList();
    String id = host.create(base(stack, s, name, imageId, network).labels(labels).environment(env)
        .ports(exposed).build());
    host.start(id);
    ContainerState c = host.inspect(id, network).orElseThrow(
        () -> new DeployException("Container " + name + " vanished right after it started"));
    emit(new DeployEvent.ContainerStarted(at(), s.name(), name));
    return c;
  }

  private ContainerSpec.Builder base(Stack stack, Service s, String name, String imageId, String network) {
    List<VolumeMount> volumes = s.volumes().stream()
        .map(v -> v.type().equals("volume")
            ? new VolumeMount("volume", Names.volume(stack.name(), v.source()), v.target(), v.readOnly())
            : v)
        .toList();
    return ContainerSpec.builder(name, imageId)
        .environment(s.environment())
        .command(s.command().orElse(null))
        .entrypoint(s.entrypoint().orElse(null))
        .network(network, List.of(s.name()))
        .volumes(volumes)
        .stopSignal(s.stopSignal().orElse(null))
        .stopGracePeriod(s.stopGracePeriod())
        .restart(s.restart())
        .healthcheck(s.healthcheck().orElse(null));
  }

  private List<ContainerState> running(Stack stack, Service s, String network) {
    return host.list(Map.of(Names.STACK, stack.name(), Names.SERVICE, s.name(), Names.KIND, "app"), network)
        .stream().filter(ContainerState::running).toList();
  }

  /**
   * Repairs what a run cut short left behind: its release is marked interrupted, and a web
   * container of it that serves no traffic is removed. Containers that serve (the proxy points
   * at them) and workers that may hold a job stay until this run replaces them gracefully.
   */
  private void converge(Stack stack, List<Release> history, HostState state, ProxyControl proxy,
      String network) {
    List<String> interrupted = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).outcome() == Release.Outcome.PENDING) {
        interrupted.add(history.get(i).id());
        history.set(i, history.get(i).withOutcome(Release.Outcome.INTERRUPTED,
            "cut short; a later run converged"));
      }
    }
    Set<String> liveReleases = new LinkedHashSet<>();
    history.stream().filter(r -> r.outcome() == Release.Outcome.LIVE).forEach(r -> liveReleases.add(r.id()));
    Optional<String> liveAddress = stack.services(Role.WEB).stream().findFirst()
        .flatMap(w -> proxy.existing(stack).flatMap(sw -> sw.liveAddress(w.name())));
    List<String> removed = new ArrayList<>();
    for (ContainerState c : host.list(Map.of(Names.STACK, stack.name(), Names.KIND, "app"), network)) {
      String release = c.label(Names.RELEASE).orElse("");
      if (liveReleases.contains(release) || !c.running()) {
        continue;
      }
      boolean web = c.label(Names.ROLE).filter("web"::equals).isPresent();
      boolean serving = liveAddress.isPresent() && c.address().isPresent()
          && liveAddress.get().startsWith(c.address().get() + ":");
      if (web && !serving) {
        host.remove(c.id());
        removed.add(c.name());
      }
    }
    if (!interrupted.isEmpty() || !removed.isEmpty()) {
      state.saveReleases(history);
      emit(new DeployEvent.Converged(at(), removed, interrupted));
    }
  }

  private DeployResult refuse(Stack stack, HostState state, List<Release> history, Release release, String reason,
      List<String> logs) {
    Release refused = release.withOutcome(Release.Outcome.REFUSED, reason);
    history.removeIf(r -> r.id().equals(release.id()));
    record(stack, state, history, refused);
    return new DeployResult.Refused(refused, at(), reason, logs);
  }

  private void record(Stack stack, HostState state, List<Release> history, Release release) {
    history.removeIf(r -> r.id().equals(release.id()));
    history.add(release);
    state.saveReleases(history);
    state.audit(clock.instant() + " " + release.stack() + " " + release.id() + " " + release.outcome()
        + " by " + release.createdBy() + (release.version() == null ? "" : " version " + release.version())
        + ": " + release.message());
    emit(new DeployEvent.Recorded(at(), release));
    notify(stack, release);
  }

  private void notify(Stack stack, Release release) {
    stack.settings().webhook().ifPresent(hook -> {
      Notifier.Delivery d = settings.notifier().send(hook, "deploykit: " + release.stack() + " release "
          + release.id() + (release.version() == null ? "" : " (" + release.version() + ")") + " "
          + release.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": " + release.message());
      emit(new DeployEvent.Notified(at(), d.delivered(), d.detail()));
    });
  }

  /** Removes stopped containers of releases beyond the retain count, and of failed releases. */
  private void prune(Stack stack, List<Release> history, String network) {
    List<Release> good = history.stream()
        .filter(r -> r.outcome() == Release.Outcome.LIVE || r.outcome() == Release.Outcome.SUPERSEDED)
        .toList();
    Set<String> keep = new LinkedHashSet<>();
    good.subList(Math.max(0, good.size() - stack.settings().retain()), good.size())
        .forEach(r -> keep.add(r.id()));
    List<String> removed = new ArrayList<>();
    for (ContainerState c : host.list(Map.of(Names.STACK, stack.name(), Names.KIND, "app"), network)) {
      if (!c.running() && !keep.contains(c.label(Names.RELEASE).orElse(""))) {
        host.remove(c.id());
        removed.add(c.name());
      }
    }
    if (!removed.isEmpty()) {
      emit(new DeployEvent.Pruned(at(), removed));
    }
  }

  private static List<Service> inDependencyOrder(List<Service> services, Stack stack) {
    List<Service> ordered = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    List<Service> left = new ArrayList<>(services);
    while (!left.isEmpty()) {
      boolean progress = false;
      for (var it = left.iterator(); it.hasNext(); ) {
        Service s = it.next();
        boolean ready = s.dependsOn().stream().allMatch(d -> placed.contains(d.service())
            || stack.service(d.service()).map(x -> x.role() != Role.ACCESSORY).orElse(true));
        if (ready) {
          ordered.add(s);
          placed.add(s.name());
          it.remove();
          progress = true;
        }
      }
      if (!progress) {
        throw new DeployException("The accessories " + left.stream().map(Service::name).toList()
            + " depend on each other in a circle; break the cycle in depends_on");
      }
    }
    return ordered;
  }

  private static void validate(Stack stack) {
    List<Service> web = stack.services(Role.WEB);
    if (web.size() > 1) {
      throw new DeployException("Stack " + stack.name() + " has " + web.size() + " web services ("
          + web.stream().map(Service::name).toList() + "): the proxy routes one web service per stack;"
          + " make the others workers or accessories");
    }
    for (Service w : web) {
      if (w.replicas() != 1) {
        throw new DeployException("Web service " + w.name() + " asks for " + w.replicas()
            + " replicas: the proxy switches one container per web service; set deploy.replicas to 1");
      }
      if (w.healthPort().isEmpty()) {
        throw new DeployException("Web service " + w.name() + " has no port to check: add its"
            + " container port under ports or x-deploykit.health_port");
      }
    }
  }

  private void emit(DeployEvent event) {
    try {
      listener.on(event);
    } catch (RuntimeException e) {
      log.warn("A deploy listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
    }
  }

  private Duration at() {
    return Duration.ofNanos(time.nanoTime() - started);
  }
}
