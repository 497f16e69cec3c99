package dev.deploykit.core.testing;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployListener;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ExecResult;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.TransferProgress;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.VolumeMount;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.health.wait.FakeTimeSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory Docker engine for tests of the release engine's decisions, as OkHttp ships
 * MockWebServer: containers (created, running, exited, restarted by their policy), labels, names
 * unique as the engine keeps them, networks, volumes, files written into containers (also into
 * never-started ones), images, logs and Docker health, with fake time. {@link #forward} hands out
 * real loopback addresses served in-process: a container's health endpoint as its
 * {@link ContainerScript} says, and for the stack's proxy a fake HAProxy Runtime API.
 *
 * <pre>{@code
 * FakeTimeSource time = new FakeTimeSource();
 * try (FakeDockerHost fake = new FakeDockerHost(time)) {
 *   fake.image("haproxy:3.0");
 *   fake.image("app:v2");
 *   fake.whenCreated("app:v2").probe("/up").failsFrom(Duration.ofSeconds(2));
 *   Deployer deployer = Deployer.builder(fake).timeSource(time).clock(fake.clock())
 *       .listener(fake.listener()).build();
 *   DeployResult result = deployer.deploy(stack);   // rolled back in its watch window
 *   assertThat(fake.proxy("shop").servedContainer("web")).contains(v1Container);
 *   assertThat(fake.openForwards()).isEmpty();
 * }
 * }</pre>
 *
 * <p>What can go wrong is scripted: {@link #pullFails}, {@link #whenCreated}, {@link #crashAfter}
 * (the run dies at an event, as with {@code kill -9}; {@link #recover()} lets a fresh deployer
 * converge), {@link #crashOn} (it dies at an engine call or proxy command), {@link #callTimesOut},
 * {@link #drainTakes}, {@link #interruptWhenSleeping}.
 *
 * <p>Thread safety: every engine call and query synchronises on the host; the forwards' server
 * threads do too.
 */
public final class FakeDockerHost implements DockerHost {
  private static final String PROXY_CONFIG = "/usr/local/etc/haproxy/haproxy.cfg";

  private final FakeTimeSource time;
  private final TimeSourceClock clock;
  private final Map<String, FakeContainer> containers = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> networks = new LinkedHashMap<>();
  private final Map<String, FakeVolume> volumes = new LinkedHashMap<>();
  private final Map<String, String> images = new LinkedHashMap<>();
  /** Every image id present, tagged or not (a retagged image stays, as Docker keeps it). */
  private final Set<String> imageIds = new HashSet<>();
  private final Map<String, String> registry = new HashMap<>();
  private final Map<String, String> pullFailures = new HashMap<>();
  private final List<FakeRegistry> reachable = new ArrayList<>();
  private final List<Map.Entry<Predicate<ContainerSpec>, ContainerScript>> scripts = new ArrayList<>();
  private final List<FakeForward> forwards = new ArrayList<>();
  private final List<String> journal = new ArrayList<>();
  private final List<DeployEvent> events = new ArrayList<>();
  private final Mishaps mishaps = new Mishaps();
  private FakeHaproxy.Drain drain = FakeHaproxy.Drain.AT_ONCE;
  private boolean engineDown;
  private int nextAddress = 2;
  private int nextPublished = 32768;
  private long nextId = 1;

  /** A stored volume: its labels and the files written under its mount points. */
  private record FakeVolume(Map<String, String> labels, Map<String, byte[]> files) {}

  /** An empty engine on {@code time}; it owns the time source's sleep hook. */
  public FakeDockerHost(FakeTimeSource time) {
    this.time = Objects.requireNonNull(time, "time");
    this.clock = new TimeSourceClock(time);
    time.onSleep(slept -> afterSleep());
  }

  // ---------------------------------------------------------------- scripting

  /** Makes the image present (as if pulled before) and returns its id. */
  public synchronized String image(String reference) {
    String id = images.computeIfAbsent(reference, FakeDockerHost::idOf);
    imageIds.add(id);
    return id;
  }

  /**
   * The tag now names another image (someone pushed the same tag again); returns the new id.
   * Containers created before keep running the old one.
   */
  public synchronized String retag(String reference) {
    String id = idOf(reference + "#" + nextId++);
    images.put(reference, id);
    imageIds.add(id);
    return id;
  }

  /** The id the image has (or would have once pulled). */
  public static String idOf(String reference) {
    return "sha256:" + sha256(reference);
  }

  /** Makes the image pullable: absent now, present after {@link #pull}. */
  public synchronized FakeDockerHost registry(String reference) {
    registry.put(reference, idOf(reference));
    return this;
  }

  /** Lets the engine push to and pull from {@code registry} (images named {@code server/...}). */
  public synchronized FakeDockerHost reaches(FakeRegistry registry) {
    reachable.add(registry);
    return this;
  }

  /** Makes pulling the image fail as a registry does for an unknown tag. */
  public synchronized FakeDockerHost pullFails(String reference) {
    pullFailures.put(reference, "manifest for " + reference + " not found: manifest unknown");
    return this;
  }

  /**
   * The script of every container created later from {@code imageOrName} (an image reference,
   * its id, or a container name). A later script for the same containers wins.
   */
  public ContainerScript whenCreated(String imageOrName) {
    return whenCreated(spec -> spec.name().equals(imageOrName) || spec.image().equals(imageOrName)
        || spec.image().equals(idOf(imageOrName)));
  }

  /** The script of every container created later whose spec matches. */
  public synchronized ContainerScript whenCreated(Predicate<ContainerSpec> matcher) {
    ContainerScript script = new ContainerScript();
    scripts.add(Map.entry(matcher, script));
    return script;
  }

  /** Matches the containers of one service (by deploykit's service label). */
  public static Predicate<ContainerSpec> service(String service) {
    return spec -> service.equals(spec.labels().get(StackNames.LABEL_SERVICE));
  }

  /**
   * The next call of {@code operation} ({@code create}, {@code start}, {@code stop},
   * {@code inspect}, {@code pull}, {@code writeFile}, ...) does not answer in time: it throws a
   * {@link DeployException} as a transport's deadline does, and changes nothing.
   */
  public FakeDockerHost callTimesOut(String operation) {
    return callTimesOut(call -> call.equals(operation) || call.startsWith(operation + " "));
  }

  /** The next call that matches, as {@link #journal()} writes it, does not answer in time. */
  public synchronized FakeDockerHost callTimesOut(Predicate<String> call) {
    mishaps.timeOut(Objects.requireNonNull(call, "call"));
    return this;
  }

  /** The run dies right after the first later event of that type reaches {@link #listener()}. */
  public FakeDockerHost crashAfter(Class<? extends DeployEvent> type) {
    return crashAfter(type::isInstance);
  }

  /** The run dies right after the {@code n}-th later event (1 for the next one). */
  public FakeDockerHost crashAfterEvents(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, was " + n);
    }
    int[] seen = {0};
    return crashAfter(event -> ++seen[0] == n);
  }

  /** The run dies right after the first later event that matches reaches {@link #listener()}. */
  public synchronized FakeDockerHost crashAfter(Predicate<DeployEvent> event) {
    mishaps.crashAfter(Objects.requireNonNull(event, "event"));
    return this;
  }

  /**
   * The run dies at the first later call that matches, as {@link #journal()} writes it
   * ({@code "stop shop-web-..."}, {@code "proxy shop-proxy: set server web/a state drain"}). An
   * engine call is not carried out; a proxy command is (HAProxy got it) but its answer is lost.
   */
  public synchronized FakeDockerHost crashOn(Predicate<String> call) {
    mishaps.crashOn(Objects.requireNonNull(call, "call"));
    return this;
  }

  /**
   * The connection of the first later proxy command that matches breaks before HAProxy reads it
   * (as a forward over SSH does when the connection drops): the command is not carried out and
   * the client reads an empty answer. Once per call of this method; the run goes on.
   */
  public synchronized FakeDockerHost loseProxyCommand(Predicate<String> call) {
    mishaps.lose(Objects.requireNonNull(call, "call"));
    return this;
  }

  /**
   * The crashed process is gone and the engine answers the next one: calls work again, and the
   * locks the dead run held name a process that no longer exists (as after {@code kill -9}).
   */
  public synchronized FakeDockerHost recover() {
    mishaps.recover();
    LockContainers.abandonedByThisProcess(this);
    return this;
  }

  /** Whether a scripted crash happened and {@link #recover()} was not called since. */
  public synchronized boolean crashed() {
    return mishaps.crashed();
  }

  /** The engine stops answering ({@link #ping()} fails), or answers again. */
  public synchronized FakeDockerHost engineDown(boolean down) {
    this.engineDown = down;
    return this;
  }

  /** A draining server holds {@code sessions} open requests for {@code takes}, then none. */
  public synchronized FakeDockerHost drainTakes(Duration takes, int sessions) {
    this.drain = new FakeHaproxy.Drain(takes, sessions, false);
    return this;
  }

  /** A draining server holds {@code sessions} open requests for good (the drain timeout ends it). */
  public synchronized FakeDockerHost drainNeverEnds(int sessions) {
    this.drain = new FakeHaproxy.Drain(Duration.ZERO, sessions, true);
    return this;
  }

  /** Interrupts the engine's thread at the first fake sleep after which {@code when} holds. */
  public synchronized FakeDockerHost interruptWhenSleeping(BooleanSupplier when) {
    mishaps.interruptWhen(Objects.requireNonNull(when, "when"));
    return this;
  }

  /** Interrupts the engine's thread while it waits for a new container's health gate. */
  public FakeDockerHost interruptDuringGate() {
    return interruptWhenSleeping(() -> lastEvent() instanceof DeployEvent.ContainerStarted);
  }

  /** Interrupts the engine's thread while the proxy drains a server. */
  public FakeDockerHost interruptDuringDrain() {
    return interruptWhenSleeping(() -> {
      synchronized (this) {
        return containers.values().stream().anyMatch(c -> c.proxy() != null && c.proxy().draining());
      }
    });
  }

  /** Changes labels of a container (a test's surgery: a lock written by another machine). */
  public synchronized void relabel(String container, Map<String, String> changes) {
    find(container).orElseThrow(() -> new IllegalArgumentException("no container " + container))
        .relabel(changes);
  }

  // ---------------------------------------------------------------- queries

  /** The fake time every scripted duration is measured in. */
  public FakeTimeSource time() {
    return time;
  }

  /** A wall clock on the fake time, for {@code Deployer.Builder.clock}. */
  public Clock clock() {
    return clock;
  }

  /** Records every event and fires the crash scripts; give it to {@code Deployer.Builder.listener}. */
  public DeployListener listener() {
    return event -> {
      boolean deadAlready;
      boolean dies;
      synchronized (this) {
        deadAlready = mishaps.crashed();
        if (!deadAlready) {
          events.add(event);
        }
        dies = !deadAlready && mishaps.diesAfter(event);
      }
      if (deadAlready || dies) {
        // A dead process emits nothing more; the one that just died stops here.
        throw new SimulatedCrash((dies ? "after " : "earlier; the run is dead at ")
            + event.getClass().getSimpleName());
      }
    };
  }

  /** Every event the listener received, in order. */
  public synchronized List<DeployEvent> events() {
    return List.copyOf(events);
  }

  /** Every event of one type the listener received, in order. */
  public synchronized <E extends DeployEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Forgets the events received so far (between two deploys of one test). */
  public synchronized void forgetEvents() {
    events.clear();
  }

  private synchronized @Nullable DeployEvent lastEvent() {
    return events.isEmpty() ? null : events.getLast();
  }

  /** Every engine call and proxy command so far, in order: {@code "start shop-web-..."}. */
  public synchronized List<String> journal() {
    return List.copyOf(journal);
  }

  /** The container of that name or id, if it exists. */
  public synchronized Optional<FakeContainer> container(String nameOrId) {
    Optional<FakeContainer> c = find(nameOrId);
    c.ifPresent(x -> x.advance(time.nanoTime()));
    return c;
  }

  /** Every container, in creation order. */
  public synchronized List<FakeContainer> containers() {
    containers.values().forEach(c -> c.advance(time.nanoTime()));
    return List.copyOf(containers.values());
  }

  /** The containers carrying every given label, in creation order. */
  public synchronized List<FakeContainer> containers(Map<String, String> labels) {
    return containers().stream().filter(c -> c.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  /** The stack's proxy as its Runtime API sees it. */
  public ProxyView proxy(String stack) {
    return new ProxyView(this, StackNames.proxyContainer(stack));
  }

  /** The forwards handed out and not closed yet, as {@code container:port}. */
  public synchronized List<String> openForwards() {
    return forwards.stream().map(FakeForward::description).toList();
  }

  /** The names of the networks. */
  public synchronized List<String> networks() {
    return List.copyOf(networks.keySet());
  }

  /** The names of the volumes. */
  public synchronized List<String> volumes() {
    return List.copyOf(volumes.keySet());
  }

  // ---------------------------------------------------------------- DockerHost

  @Override
  public String describe() {
    return "in-memory engine";
  }

  /** @throws UnsupportedOperationException always: the double has no docker-java client */
  @Override
  public DockerClient client() {
    throw new UnsupportedOperationException("the in-memory engine has no docker-java client");
  }

  @Override
  public synchronized void ping() {
    enter("ping", "");
    if (engineDown) {
      throw new DeployException(DeployException.Reason.ENGINE_UNAVAILABLE,
          "No Docker engine answers at " + describe() + " (connection refused)");
    }
  }

  @Override
  public synchronized Optional<String> imageId(String image) {
    enter("imageId", image);
    if (images.containsKey(image)) {
      return Optional.of(images.get(image));
    }
    return imageIds.contains(image) ? Optional.of(image) : Optional.empty();
  }

  @Override
  public synchronized String pull(String image, Duration timeout) {
    enter("pull", image);
    String failure = pullFailures.get(image);
    if (failure == null && !registry.containsKey(image)) {
      failure = "pull access denied for " + image + ", repository does not exist or may require login";
    }
    if (failure != null) {
      throw new DeployException("Image " + image + " cannot be pulled on " + describe() + ": " + failure
          + ". Check the name and tag, and that the host can reach its registry");
    }
    images.put(image, registry.get(image));
    imageIds.add(registry.get(image));
    return images.get(image);
  }

  @Override
  public synchronized String pull(String image, @Nullable RegistryAuth auth, Duration timeout,
      TransferProgress progress) {
    enter("pull", image);
    String id = registryOf(image).pull(image, auth);
    progress.update(1, 1);
    images.put(image, id);
    imageIds.add(id);
    return id;
  }

  @Override
  public synchronized String push(String image, @Nullable RegistryAuth auth, Duration timeout,
      TransferProgress progress) {
    enter("push", image);
    String id = images.get(image);
    if (id == null) {
      throw new DeployException("Image " + image + " is not on " + describe() + "; build or tag it first");
    }
    progress.update(1, 1);
    return registryOf(image).push(image, id, auth);
  }

  @Override
  public synchronized void tag(String image, String reference) {
    enter("tag", image + " " + reference);
    String id = imageId(image).orElseThrow(() -> new DeployException("Image " + image + " is not on "
        + describe() + "; it cannot be tagged " + reference));
    images.put(reference, id);
  }

  private FakeRegistry registryOf(String image) {
    return reachable.stream().filter(r -> image.startsWith(r.server() + "/")).findFirst()
        .orElseThrow(() -> new DeployException(DeployException.Reason.REGISTRY_UNREACHABLE, "Registry of "
            + image + " cannot be reached from " + describe() + ": no such host"));
  }

  @Override
  public synchronized void ensureNetwork(String name, Map<String, String> labels) {
    enter("ensureNetwork", name);
    networks.putIfAbsent(name, Map.copyOf(labels));
  }

  @Override
  public synchronized void ensureVolume(String name, Map<String, String> labels) {
    enter("ensureVolume", name);
    volumes.putIfAbsent(name, new FakeVolume(Map.copyOf(labels), new HashMap<>()));
  }

  @Override
  public synchronized void removeNetwork(String name) {
    enter("removeNetwork", name);
    if (containers.values().stream().anyMatch(c -> c.spec().network().filter(name::equals).isPresent())) {
      throw new DeployException("Network " + name + " cannot be removed on " + describe()
          + ": error while removing network: network " + name + " has active endpoints");
    }
    networks.remove(name);
  }

  @Override
  public synchronized void removeVolumes(Map<String, String> labels) {
    enter("removeVolumes", labels.toString());
    List<String> matching = volumes.entrySet().stream()
        .filter(v -> v.getValue().labels().entrySet().containsAll(labels.entrySet()))
        .map(Map.Entry::getKey).toList();
    for (String name : matching) {
      if (containers.values().stream().anyMatch(c -> mounts(c, name))) {
        throw new DeployException("Volume " + name + " is in use on " + describe());
      }
      volumes.remove(name);
    }
  }

  @Override
  public synchronized String create(ContainerSpec spec) {
    enter("create", spec.name());
    if (containers.values().stream().anyMatch(c -> c.name().equals(spec.name()))) {
      throw new DeployException("A container named " + spec.name() + " already exists on " + describe()
          + ": Conflict. The container name \"/" + spec.name() + "\" is already in use");
    }
    String imageId = images.containsKey(spec.image()) ? images.get(spec.image())
        : imageIds.contains(spec.image()) ? spec.image() : null;
    if (imageId == null) {
      throw new DeployException("Image " + spec.image() + " is not on " + describe() + "; pull it first");
    }
    spec.network().filter(n -> !networks.containsKey(n)).ifPresent(n -> {
      throw new DeployException("Network " + n + " not found on " + describe());
    });
    for (VolumeMount v : spec.volumes()) {
      if (v.type().equals("volume")) {
        volumes.putIfAbsent(v.source(), new FakeVolume(Map.of(), new HashMap<>()));
      }
    }
    String id = sha256(spec.name() + "#" + nextId++);
    containers.put(id, new FakeContainer(id, spec, imageId, scriptFor(spec), time.nanoTime(), published(spec)));
    return id;
  }

  @Override
  public synchronized void start(String container) {
    enter("start", nameOf(container));
    FakeContainer c = find(container).orElseThrow(() -> new DeployException("Container " + container
        + " cannot start on " + describe() + ": No such container"));
    c.advance(time.nanoTime());
    if (c.running()) {
      return;
    }
    requirePortsFree(c);
    c.start(time.nanoTime(), "172.18.0." + nextAddress++);
    if (isProxy(c)) {
      startHaproxy(c);
    }
  }

  @Override
  public synchronized void stop(String container, Duration grace) {
    enter("stop", nameOf(container));
    find(container).ifPresent(c -> c.stop(time.nanoTime(), grace));
  }

  @Override
  public synchronized void remove(String container) {
    enter("remove", nameOf(container));
    find(container).ifPresent(c -> containers.remove(c.id()));
  }

  @Override
  public synchronized Optional<ContainerState> inspect(String container, String network) {
    enter("inspect", nameOf(container));
    return find(container).map(c -> c.state(network, time.nanoTime()));
  }

  @Override
  public synchronized List<ContainerState> list(Map<String, String> labels, String network) {
    enter("list", labels.toString());
    return containers.values().stream()
        .filter(c -> c.labels().entrySet().containsAll(labels.entrySet()))
        .map(c -> c.state(network, time.nanoTime())).toList();
  }

  @Override
  public synchronized ExecResult exec(String container, List<String> command, Duration timeout) {
    enter("exec", nameOf(container));
    FakeContainer c = runningOrThrow(container, "run " + command);
    return c.script().exec();
  }

  @Override
  public synchronized PortForward forward(String container, String network, int port) {
    enter("forward", nameOf(container) + ":" + port);
    FakeContainer c = find(container).orElseThrow(() -> new DeployException("Container " + container
        + " does not exist on " + describe() + "; nothing to connect to"));
    ContainerState state = c.state(network, time.nanoTime());
    if (!state.running() || state.ipAddress() == null) {
      throw new DeployException("Container " + c.name() + " on " + describe() + " is " + state.status()
          + " and has no address on network " + network + "; port " + port + " cannot be reached");
    }
    String id = c.id();
    FakeForward.Connection serve = isProxy(c) && port == HaproxyConfig.RUNTIME_API_PORT
        ? (in, out) -> Wire.runtimeApi(in, out, command -> proxyCommand(id, command))
        : (in, out) -> Wire.http(in, out, path -> answer(id, port, path));
    FakeForward forward = FakeForward.open(c.name() + ":" + port, serve, this::closed);
    forwards.add(forward);
    return forward;
  }

  @Override
  public synchronized List<String> logs(String container, int lines) {
    enter("logs", nameOf(container));
    List<String> log = find(container).map(FakeContainer::log).orElse(List.of());
    return log.subList(Math.max(0, log.size() - lines), log.size());
  }

  @Override
  public synchronized void writeFile(String container, String path, byte[] content, int mode) {
    enter("writeFile", nameOf(container) + ":" + path);
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("path must be an absolute file path: " + path);
    }
    FakeContainer c = find(container).orElseThrow(() -> new DeployException("Could not write " + path
        + " into container " + container + " on " + describe() + ": No such container"));
    filesAt(c, path).put(path, content.clone());
  }

  @Override
  public synchronized Optional<byte[]> readFile(String container, String path) {
    enter("readFile", nameOf(container) + ":" + path);
    return find(container).map(c -> filesAt(c, path).get(path)).map(byte[]::clone);
  }

  /** Closes the forwards still open (a test asserts on {@link #openForwards()} before). */
  @Override
  public synchronized void close() {
    List.copyOf(forwards).forEach(FakeForward::close);
  }

  // ---------------------------------------------------------------- inside

  /** Every engine call: the crash and timeout scripts, then the journal. */
  private void enter(String operation, String subject) {
    String call = subject.isEmpty() ? operation : operation + " " + subject;
    if (mishaps.crashed()) {
      throw new SimulatedCrash("earlier; the run is dead at " + call);
    }
    if (mishaps.diesAt(call)) {
      throw new SimulatedCrash("at " + call);
    }
    if (mishaps.timesOut(call)) {
      journal.add(call + " (timed out)");
      throw new DeployException("The engine at " + describe() + " did not answer " + call
          + " within 2 min (response timeout)");
    }
    journal.add(call);
  }

  /** The container's name for the journal, whether the engine was given its name or its id. */
  private String nameOf(String container) {
    return find(container).map(FakeContainer::name).orElse(container);
  }

  private Optional<FakeContainer> find(String nameOrId) {
    FakeContainer byId = containers.get(nameOrId);
    if (byId != null) {
      return Optional.of(byId);
    }
    return containers.values().stream().filter(c -> c.name().equals(nameOrId)).findFirst();
  }

  private FakeContainer runningOrThrow(String container, String what) {
    FakeContainer c = find(container).orElseThrow(() -> new DeployException("Cannot " + what
        + " in container " + container + " on " + describe() + ": No such container"));
    c.advance(time.nanoTime());
    if (!c.running()) {
      throw new DeployException("Cannot " + what + " in container " + c.name() + " on " + describe()
          + ": Container " + c.id() + " is not running");
    }
    return c;
  }

  private ContainerScript scriptFor(ContainerSpec spec) {
    for (int i = scripts.size() - 1; i >= 0; i--) {
      if (scripts.get(i).getKey().test(spec)) {
        return scripts.get(i).getValue();
      }
    }
    return new ContainerScript();
  }

  private Map<Integer, Integer> published(ContainerSpec spec) {
    Map<Integer, Integer> ports = new HashMap<>();
    for (PortMapping p : spec.ports()) {
      if (p.published() != null || p.hostIp() != null) {
        ports.put(p.target(), p.published() == null || p.published() == 0 ? nextPublished++ : p.published());
      }
    }
    return ports;
  }

  private void requirePortsFree(FakeContainer c) {
    Map<Integer, Integer> wanted = published(c.spec());
    for (FakeContainer other : containers.values()) {
      if (other != c && other.running() && other.state("", time.nanoTime()).publishedPorts().values().stream()
          .anyMatch(wanted.values()::contains)) {
        throw new DeployException("Container " + c.name() + " cannot start on " + describe()
            + ": Bind for 0.0.0.0 failed: port is already allocated");
      }
    }
  }

  private boolean mounts(FakeContainer c, String volume) {
    return c.spec().volumes().stream().anyMatch(v -> v.type().equals("volume") && v.source().equals(volume));
  }

  /** The files of the volume mounted at {@code path}, else the container's own. */
  private Map<String, byte[]> filesAt(FakeContainer c, String path) {
    for (VolumeMount v : c.spec().volumes()) {
      if (v.type().equals("volume") && (path.startsWith(v.target() + "/") || path.equals(v.target()))) {
        return volumes.get(v.source()).files();
      }
    }
    return c.files();
  }

  private boolean isProxy(FakeContainer c) {
    String stack = c.labels().get(StackNames.LABEL_STACK);
    return stack != null && c.name().equals(StackNames.proxyContainer(stack));
  }

  private void startHaproxy(FakeContainer c) {
    byte[] config = c.files().get(PROXY_CONFIG);
    try {
      if (config == null) {
        throw new IllegalArgumentException("[ALERT] Cannot open configuration file " + PROXY_CONFIG);
      }
      c.proxy(FakeHaproxy.start(new String(config, StandardCharsets.UTF_8), this::drained));
    } catch (IllegalArgumentException e) {
      c.kill(1, e.getMessage());
    }
  }

  private void drained(FakeHaproxy.Server server) {
    for (FakeContainer c : containers.values()) {
      if (server.host.equals(c.ipAddress()) && c.script().diesOnDrain()) {
        c.kill(137, "killed while its requests drained");
      }
    }
  }

  /** HAProxy's answer to a Runtime API command, or null when the proxy cannot answer. */
  private synchronized @Nullable String proxyCommand(String container, String command) {
    FakeContainer c = containers.get(container);
    if (mishaps.crashed() || c == null) {
      return null;
    }
    c.advance(time.nanoTime());
    if (!c.running() || c.proxy() == null) {
      return null;
    }
    String call = "proxy " + c.name() + ": " + command.strip();
    if (mishaps.loses(call)) {
      journal.add("lost " + call);
      return "";
    }
    journal.add(call);
    String answer = c.proxy().execute(command, time.nanoTime(), drain);
    return mishaps.diesAt(call) ? null : answer;
  }

  /** What a container's port answers to {@code GET path}, or null for no answer at all. */
  private synchronized Wire.@Nullable Answer answer(String container, int port, String path) {
    FakeContainer c = containers.get(container);
    if (c == null) {
      return null;
    }
    c.advance(time.nanoTime());
    if (!c.running() || !c.status().equals("running") || !c.listensOn(port)) {
      return null;
    }
    int status = c.script().status(path, c.upFor(time.nanoTime()));
    return new Wire.Answer(status, status < 400 ? "ok " + c.name() : "unavailable");
  }

  synchronized FakeHaproxy.Drain drainScript() {
    return drain;
  }

  synchronized Optional<FakeContainer> byAddress(String ip) {
    return containers.values().stream().filter(c -> ip.equals(c.ipAddress())).findFirst();
  }

  synchronized long now() {
    return time.nanoTime();
  }

  private synchronized void closed(FakeForward forward) {
    forwards.remove(forward);
  }

  private void afterSleep() {
    boolean interrupt;
    synchronized (this) {
      interrupt = mishaps.interruptsNow();
    }
    if (interrupt) {
      Thread.currentThread().interrupt();
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
