package dev.deploykit.core.internal.ssh;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ExecResult;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.SshHost;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.TransferProgress;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import net.schmizz.sshj.DefaultConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SshHost} over one SSH connection, opened on the first call and opened again after it
 * drops. Every engine call goes to {@link dev.deploykit.core.internal.docker.DockerJavaHost} on
 * the current connection (nothing is written twice). A call that fails because the connection
 * died is retried once on a new connection when it cannot have changed anything on the host;
 * otherwise it fails with {@link DeployException.Reason#CONNECTION_LOST}.
 *
 * <p>Thread safety: safe for concurrent use, virtual threads included (the SSH streams are only
 * read on platform threads of the bridge); connecting is serialised, so concurrent callers share
 * one connection.
 */
public final class SshDockerHost implements SshHost {
  private static final Logger log = LoggerFactory.getLogger(SshDockerHost.class);

  private final SshSettings settings;
  private final EngineSession.Factory sessions;
  // A lock, not synchronized: connecting blocks on the network, which would pin a virtual thread.
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<PortForward> forwards = ConcurrentHashMap.newKeySet();
  /** The remote forwards still open, opened again on each new connection; guarded by lock. */
  private final List<Reverse> reverses = new ArrayList<>();
  private final DockerClient client;
  private @Nullable EngineSession current;
  private int opened;
  private boolean closed;

  /** A host for {@code settings}; nothing connects until the first call. */
  public SshDockerHost(SshSettings settings) {
    this(settings, new Sessions(settings));
  }

  SshDockerHost(SshSettings settings, EngineSession.Factory sessions) {
    this.settings = settings;
    this.sessions = sessions;
    this.client = stableClient();
  }

  /** The settings this host was built with. */
  public SshSettings settings() {
    return settings;
  }

  @Override
  public String address() {
    return settings.address();
  }

  @Override
  public int connectionsOpened() {
    lock.lock();
    try {
      return opened;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String describe() {
    return settings.address();
  }

  /**
   * A client that always talks over the current connection (a reconnect does not leave its
   * holder with a dead one); closing it does nothing, the host owns the connection.
   */
  @Override
  public DockerClient client() {
    return client;
  }

  @Override
  public void ping() {
    run("ping", true, DockerHost::ping);
  }

  @Override
  public Optional<String> imageId(String image) {
    return call("inspecting image " + image, true, e -> e.imageId(image));
  }

  @Override
  public String pull(String image, Duration timeout) {
    return call("pulling " + image, true, e -> e.pull(image, timeout));
  }

  @Override
  public String pull(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress) {
    return call("pulling " + image, true, e -> e.pull(image, auth, timeout, progress));
  }

  @Override
  public String push(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress) {
    return call("pushing " + image, true, e -> e.push(image, auth, timeout, progress));
  }

  @Override
  public void tag(String image, String reference) {
    run("tagging " + image, true, e -> e.tag(image, reference));
  }

  @Override
  public void ensureNetwork(String name, Map<String, String> labels) {
    run("creating network " + name, true, e -> e.ensureNetwork(name, labels));
  }

  @Override
  public void ensureVolume(String name, Map<String, String> labels) {
    run("creating volume " + name, true, e -> e.ensureVolume(name, labels));
  }

  @Override
  public void removeNetwork(String name) {
    run("removing network " + name, true, e -> e.removeNetwork(name));
  }

  @Override
  public void removeVolumes(Map<String, String> labels) {
    run("removing volumes " + labels, true, e -> e.removeVolumes(labels));
  }

  @Override
  public String create(ContainerSpec spec) {
    // Not retried: the first attempt may have created it, and a second would collide on its name.
    return call("creating container " + spec.name(), false, e -> e.create(spec));
  }

  @Override
  public void start(String container) {
    run("starting " + container, true, e -> e.start(container));
  }

  @Override
  public void stop(String container, Duration grace) {
    run("stopping " + container, true, e -> e.stop(container, grace));
  }

  @Override
  public void remove(String container) {
    run("removing " + container, true, e -> e.remove(container));
  }

  @Override
  public Optional<ContainerState> inspect(String container, String network) {
    return call("inspecting " + container, true, e -> e.inspect(container, network));
  }

  @Override
  public List<ContainerState> list(Map<String, String> labels, String network) {
    return call("listing containers", true, e -> e.list(labels, network));
  }

  @Override
  public ExecResult exec(String container, List<String> command, Duration timeout) {
    // Not retried: the command may have run.
    return call("running " + command + " in " + container, false, e -> e.exec(container, command, timeout));
  }

  @Override
  public dev.deploykit.core.engine.StreamedExec execStreaming(String container, List<String> command,
      Map<String, String> environment, java.io.OutputStream stdout, Duration timeout) {
    // Not retried: the command may have run, and its output is already on its way.
    return call("running " + command.getFirst() + " in " + container, false,
        e -> e.execStreaming(container, command, environment, stdout, timeout));
  }

  @Override
  public void copyFile(String container, String path, java.io.InputStream content, long size, int mode) {
    // Not retried: the stream is consumed.
    run("copying " + path + " into " + container, false, e -> e.copyFile(container, path, content, size, mode));
  }

  @Override
  public List<String> logs(String container, int lines) {
    return call("reading the logs of " + container, true, e -> e.logs(container, lines));
  }

  @Override
  public void writeFile(String container, String path, byte[] content, int mode) {
    run("writing " + path + " into " + container, true, e -> e.writeFile(container, path, content, mode));
  }

  @Override
  public Optional<byte[]> readFile(String container, String path) {
    return call("reading " + path + " from " + container, true, e -> e.readFile(container, path));
  }

  /**
   * A loopback port on this machine whose connections become {@code direct-tcpip} channels to the
   * container's address on the host, over the current connection at the time of each connect.
   */
  @Override
  public PortForward forward(String container, String network, int port) {
    ContainerState state = inspect(container, network).orElseThrow(() -> new DeployException(
        "Container " + container + " does not exist on " + describe() + "; nothing to connect to"));
    String ip = state.ipAddress();
    if (!state.running() || ip == null) {
      throw new DeployException("Container " + state.name() + " on " + describe() + " is " + state.status()
          + " and has no address on network " + network + "; port " + port + " cannot be reached");
    }
    TcpForward forward = TcpForward.open(state.name() + ":" + port + " (" + ip + ") on " + settings.hostAndPort(),
        () -> session().openTcp(ip, port), forwards::remove);
    forwards.add(forward);
    return forward;
  }

  @Override
  public ReverseForward reverseForward(int hostPort, java.net.InetSocketAddress target) {
    if (hostPort < 1 || hostPort > 65535) {
      throw new IllegalArgumentException("hostPort must be 1-65535, was " + hostPort);
    }
    Reverse forward = new Reverse(hostPort, target);
    lock.lock();
    try {
      forward.open(session());
      reverses.add(forward);
    } finally {
      lock.unlock();
    }
    log.debug("Forwarding 127.0.0.1:{} on {} to {}", hostPort, settings.hostAndPort(), target);
    return forward;
  }

  /**
   * A remote forward that outlives the SSH connection it was opened on: sshd drops it with the
   * connection, so each new connection opens it again (a pull retried after a reconnect finds its
   * registry where it was).
   */
  private final class Reverse implements ReverseForward {
    private final int hostPort;
    private final java.net.InetSocketAddress target;
    private @Nullable AutoCloseable current;
    private boolean closed;

    Reverse(int hostPort, java.net.InetSocketAddress target) {
      this.hostPort = hostPort;
      this.target = target;
    }

    /** Opens it on {@code session}; called under the host's lock. */
    void open(EngineSession session) {
      try {
        current = session.remoteForward(hostPort, target);
      } catch (IOException e) {
        throw new DeployException("sshd on " + settings.hostAndPort() + " refused to forward the host's"
            + " 127.0.0.1:" + hostPort + " to this machine (" + e.getMessage() + "): free that port on"
            + " the host, or allow it with `AllowTcpForwarding yes` in its sshd_config", e);
      }
    }

    @Override
    public int hostPort() {
      return hostPort;
    }

    @Override
    public void close() {
      AutoCloseable open;
      lock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        reverses.remove(this);
        open = current;
        current = null;
      } finally {
        lock.unlock();
      }
      if (open != null) {
        try {
          open.close();
        } catch (Exception e) {
          log.debug("Cancelling the forward of 127.0.0.1:{} on {}: {}", hostPort, settings.hostAndPort(), e.toString());
        }
      }
    }
  }

  /** Connections made to the engine over the current SSH connection (tests, figures). */
  public int engineConnections() {
    lock.lock();
    try {
      return current == null ? 0 : current.engineConnections();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    EngineSession session;
    lock.lock();
    try {
      closed = true;
      session = current;
      current = null;
    } finally {
      lock.unlock();
    }
    for (PortForward forward : List.copyOf(forwards)) {
      forward.close();
    }
    if (session != null) {
      session.close();
    }
  }

  private EngineSession session() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException(settings.address() + " is closed");
      }
      EngineSession session = current;
      if (session != null && session.alive()) {
        return session;
      }
      if (session != null) {
        log.warn("The SSH connection to {} dropped; connecting again", settings.address());
        session.close();
        current = null;
      }
      session = sessions.open();
      opened++;
      current = session;
      for (Reverse forward : reverses) {
        try {
          forward.open(session);
          log.info("Forwarding 127.0.0.1:{} on {} again, over the new connection", forward.hostPort,
              settings.hostAndPort());
        } catch (DeployException e) {
          // The call that needs it fails with the engine's own words; say why here.
          log.warn("{}", e.getMessage());
        }
      }
      return session;
    } finally {
      lock.unlock();
    }
  }

  private void drop(EngineSession session) {
    lock.lock();
    try {
      if (current == session) {
        current = null;
      }
    } finally {
      lock.unlock();
    }
    session.close();
  }

  private void run(String what, boolean idempotent, java.util.function.Consumer<DockerHost> op) {
    call(what, idempotent, e -> {
      op.accept(e);
      return null;
    });
  }

  private <T> T call(String what, boolean idempotent, Function<DockerHost, T> op) {
    EngineSession session = session();
    try {
      return op.apply(session.engine());
    } catch (RuntimeException e) {
      if (interrupted(e)) {
        throw e;
      }
      if (session.alive()) {
        // The engine answered (or a channel to it was refused): the same failure as locally.
        Optional<DeployException> explained = session.explain(e);
        if (explained.isPresent()) {
          throw explained.get();
        }
        throw e;
      }
      drop(session);
      if (!idempotent) {
        throw new DeployException(DeployException.Reason.CONNECTION_LOST, "The SSH connection to "
            + settings.address() + " dropped while " + what + "; it may or may not have happened on"
            + " the host: run the command again (a rerun converges)", e);
      }
      log.warn("The SSH connection to {} dropped while {}; connecting again and retrying once",
          settings.address(), what);
      return op.apply(session().engine());
    }
  }

  private static boolean interrupted(RuntimeException e) {
    return Thread.currentThread().isInterrupted()
        || (e instanceof DeployException d && d.reason() == DeployException.Reason.INTERRUPTED);
  }

  private DockerClient stableClient() {
    return (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(),
        new Class<?>[] {DockerClient.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "close" -> {
              return null;
            }
            case "toString" -> {
              return "DockerClient over " + settings.address();
            }
            case "hashCode" -> {
              return System.identityHashCode(proxy);
            }
            case "equals" -> {
              return proxy == args[0];
            }
            default -> {
              try {
                return method.invoke(session().engine().client(), args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }
          }
        });
  }

  /** Opens real SSH sessions; the keys are read (and decrypted) once, on the first. */
  private static final class Sessions implements EngineSession.Factory {
    private final SshSettings settings;
    private final DefaultConfig config = new DefaultConfig();
    private @Nullable SshKeys keys;

    Sessions(SshSettings settings) {
      this.settings = settings;
      this.config.setKeepAliveProvider(net.schmizz.keepalive.KeepAliveProvider.KEEP_ALIVE);
    }

    @Override
    public synchronized EngineSession open() {
      if (keys == null) {
        keys = SshKeys.load(settings, config);
      }
      return SshSession.open(settings, config, keys);
    }
  }
}
