package dev.deploykit.core.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.NameParser;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.Resources;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.TransferProgress;
import dev.deploykit.core.engine.VolumeMount;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * {@link DockerHost} over docker-java. Calls that wait on the engine carry their own deadline;
 * plain API calls are bounded by the HTTP client's connect and response timeouts.
 */
public final class DockerJavaHost implements DockerHost {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration LOG_TIMEOUT = Duration.ofSeconds(15);

  private final DockerClient client;
  private final String description;
  private final boolean owned;

  private DockerJavaHost(DockerClient client, String description, boolean owned) {
    this.client = client;
    this.description = description;
    this.owned = owned;
  }

  public static DockerJavaHost local() {
    return local(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
  }

  /** The engine at {@code dockerHost} ({@code unix:///path} or {@code tcp://host:port}). */
  public static DockerJavaHost local(String dockerHost) {
    return local(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build());
  }

  private static DockerJavaHost local(DockerClientConfig config) {
    ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(CONNECT_TIMEOUT)
        .responseTimeout(RESPONSE_TIMEOUT)
        .maxConnections(32)
        .build();
    return new DockerJavaHost(DockerClientImpl.getInstance(config, http),
        "local engine (" + config.getDockerHost() + ")", true);
  }

  public static DockerJavaHost of(DockerClient client, String description) {
    return new DockerJavaHost(client, description, false);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public DockerClient client() {
    return client;
  }

  @Override
  public void ping() {
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new DeployException(DeployException.Reason.ENGINE_UNAVAILABLE, "No Docker engine answers at "
          + description + " (" + oneLine(e) + "): start one (`sudo systemctl start docker`, or"
          + " `sudo dockerd &`) or set DOCKER_HOST", e);
    }
  }

  @Override
  public Optional<String> imageId(String image) {
    try {
      return Optional.ofNullable(client.inspectImageCmd(image).exec().getId());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public String pull(String image, Duration timeout) {
    NameParser.ReposTag ref = NameParser.parseRepositoryTag(image);
    try (ResultCallback.Adapter<PullResponseItem> callback = client.pullImageCmd(ref.repos)
        .withTag(ref.tag.isEmpty() ? "latest" : ref.tag)
        .exec(new ResultCallback.Adapter<>())) {
      if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new DeployException("Pulling " + image + " on " + description + " did not finish within "
            + timeout.toSeconds() + " s");
      }
    } catch (DockerException | DockerClientException e) {
      throw new DeployException("Image " + image + " cannot be pulled on " + description + ": "
          + oneLine(e) + ". Check the name and tag, and that the host can reach its registry", e);
    } catch (IOException e) {
      throw new DeployException("Pulling " + image + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while pulling " + image, e);
    }
    return imageId(image).orElseThrow(() -> new DeployException("Pulled " + image
        + " but the engine does not list it"));
  }

  @Override
  public String pull(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress) {
    new ImageTransfer(client, description).pull(image, auth, timeout, progress);
    return imageId(image).orElseThrow(() -> new DeployException("Pulled " + image
        + " but the engine does not list it"));
  }

  @Override
  public String push(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress) {
    return new ImageTransfer(client, description).push(image, auth, timeout, progress);
  }

  @Override
  public void tag(String image, String reference) {
    ImageReference ref = ImageReference.parse(reference);
    try {
      client.tagImageCmd(image, ref.repository(), ref.tagOrDigest()).withForce().exec();
    } catch (NotFoundException e) {
      throw new DeployException("Image " + image + " is not on " + description + "; it cannot be tagged "
          + reference, e);
    }
  }

  @Override
  public void ensureNetwork(String name, Map<String, String> labels) {
    boolean exists = client.listNetworksCmd().withNameFilter(name).exec().stream()
        .anyMatch(n -> n.getName().equals(name));
    if (!exists) {
      try {
        client.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels)
            .withCheckDuplicate(true).exec();
      } catch (ConflictException e) {
        // Created meanwhile by another run: what we wanted.
      }
    }
  }

  @Override
  public void ensureVolume(String name, Map<String, String> labels) {
    try {
      client.inspectVolumeCmd(name).exec();
    } catch (NotFoundException e) {
      client.createVolumeCmd().withName(name).withLabels(labels).exec();
    }
  }

  @Override
  public void removeNetwork(String name) {
    try {
      client.removeNetworkCmd(name).exec();
    } catch (NotFoundException e) {
      // Already gone.
    } catch (DockerException e) {
      throw new DeployException("Network " + name + " cannot be removed on " + description + ": "
          + oneLine(e), e);
    }
  }

  @Override
  public void removeVolumes(Map<String, String> labels) {
    var volumes = client.listVolumesCmd().withFilter("label",
        labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()).exec().getVolumes();
    if (volumes == null) {
      return;
    }
    for (var v : volumes) {
      try {
        client.removeVolumeCmd(v.getName()).exec();
      } catch (NotFoundException e) {
        // Already gone.
      }
    }
  }

  @Override
  public String create(ContainerSpec spec) {
    HostConfig host = HostConfig.newHostConfig().withRestartPolicy(restart(spec.restart()));
    Resources resources = spec.resources();
    if (resources.cpuLimit() > 0) {
      host.withNanoCPUs(resources.cpuLimit());
    }
    if (resources.memoryLimit() > 0) {
      host.withMemory(resources.memoryLimit());
    }
    if (resources.memoryReservation() > 0) {
      host.withMemoryReservation(resources.memoryReservation());
    }
    spec.network().ifPresent(host::withNetworkMode);
    List<ExposedPort> exposed = new ArrayList<>();
    Ports bindings = new Ports();
    for (PortMapping p : spec.ports()) {
      ExposedPort port = new ExposedPort(p.target(), InternetProtocol.parse(p.protocol()));
      exposed.add(port);
      if (p.published() != null || p.hostIp() != null) {
        bindings.bind(port, p.hostIp() == null
            ? Ports.Binding.bindPort(p.published() == null ? 0 : p.published())
            : Ports.Binding.bindIpAndPort(p.hostIp(), p.published() == null ? 0 : p.published()));
      }
    }
    host.withPortBindings(bindings);
    List<Bind> binds = new ArrayList<>();
    for (VolumeMount v : spec.volumes()) {
      binds.add(new Bind(v.source(), new Volume(v.target()), v.readOnly() ? AccessMode.ro : AccessMode.rw));
    }
    host.withBinds(binds);
    CreateContainerCmd cmd = client.createContainerCmd(spec.image())
        .withName(spec.name())
        .withEnv(spec.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withLabels(spec.labels())
        .withExposedPorts(exposed)
        .withHostConfig(host);
    spec.command().ifPresent(cmd::withCmd);
    spec.entrypoint().ifPresent(cmd::withEntrypoint);
    if (!spec.aliases().isEmpty()) {
      cmd.withAliases(spec.aliases());
    }
    spec.stopSignal().ifPresent(cmd::withStopSignal);
    spec.stopGracePeriod().ifPresent(g -> cmd.withStopTimeout((int) Math.max(1, (g.toMillis() + 999) / 1000)));
    spec.healthcheck().ifPresent(h -> cmd.withHealthcheck(healthcheck(h)));
    try {
      return cmd.exec().getId();
    } catch (ConflictException e) {
      throw new DeployException("A container named " + spec.name() + " already exists on "
          + description + ": " + oneLine(e), e);
    } catch (NotFoundException e) {
      throw new DeployException("Image " + spec.image() + " is not on " + description
          + "; pull it first", e);
    }
  }

  @Override
  public void start(String container) {
    try {
      client.startContainerCmd(container).exec();
    } catch (NotModifiedException e) {
      // Already running.
    } catch (DockerException e) {
      throw new DeployException("Container " + container + " cannot start on " + description + ": "
          + oneLine(e), e);
    }
  }

  @Override
  public void stop(String container, Duration grace) {
    // Docker sends the container's own stop signal (STOPSIGNAL, or stop_signal at creation) and
    // counts the grace in whole seconds: round up, never cut a job short.
    int seconds = (int) Math.max(1, (grace.toMillis() + 999) / 1000);
    long deadline = System.nanoTime() + grace.toNanos() + Duration.ofSeconds(15).toNanos();
    try {
      client.stopContainerCmd(container).withTimeout(seconds).exec();
    } catch (NotModifiedException | NotFoundException e) {
      // Already stopped, or gone.
    } catch (RuntimeException e) {
      // The HTTP response timeout ended the call first (a long grace period): wait on.
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        client.waitContainerCmd(container)
            .exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
            .awaitStatusCode(left, TimeUnit.MILLISECONDS);
      } catch (DockerClientException timedOut) {
        killHard(container);
      } catch (NotFoundException gone) {
        // Removed meanwhile.
      }
    }
  }

  private void killHard(String container) {
    try {
      client.killContainerCmd(container).withSignal("SIGKILL").exec();
      client.waitContainerCmd(container)
          .exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
          .awaitStatusCode(30, TimeUnit.SECONDS);
    } catch (NotFoundException | ConflictException e) {
      // Already gone.
    }
  }

  @Override
  public void remove(String container) {
    try {
      client.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // Nothing to remove.
    } catch (ConflictException e) {
      // Removal already in progress.
    }
  }

  @Override
  public Optional<ContainerState> inspect(String container, String network) {
    try {
      return Optional.of(state(client.inspectContainerCmd(container).exec(), network));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<ContainerState> list(Map<String, String> labels, String network) {
    List<ContainerState> result = new ArrayList<>();
    for (var summary : client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()) {
      inspect(summary.getId(), network).ifPresent(result::add);
    }
    return result;
  }

  private static ContainerState state(InspectContainerResponse info, String network) {
    var s = info.getState();
    String health = s.getHealth() == null ? null : s.getHealth().getStatus();
    String ip = null;
    if (info.getNetworkSettings() != null && info.getNetworkSettings().getNetworks() != null) {
      ContainerNetwork n = info.getNetworkSettings().getNetworks().get(network);
      if (n != null && n.getIpAddress() != null && !n.getIpAddress().isEmpty()) {
        ip = n.getIpAddress();
      }
    }
    String name = info.getName() == null ? "" : info.getName().replaceFirst("^/", "");
    Map<String, String> labels = info.getConfig() == null || info.getConfig().getLabels() == null
        ? Map.of() : info.getConfig().getLabels();
    Map<Integer, Integer> published = new java.util.HashMap<>();
    if (info.getNetworkSettings() != null && info.getNetworkSettings().getPorts() != null) {
      info.getNetworkSettings().getPorts().getBindings().forEach((port, bindings) -> {
        if (bindings != null && bindings.length > 0 && bindings[0].getHostPortSpec() != null
            && !bindings[0].getHostPortSpec().isEmpty()) {
          published.put(port.getPort(), Integer.parseInt(bindings[0].getHostPortSpec()));
        }
      });
    }
    return new ContainerState(info.getId(), name, info.getImageId() == null ? "" : info.getImageId(),
        labels, Boolean.TRUE.equals(s.getRunning()), s.getStatus() == null ? "unknown" : s.getStatus(),
        health, s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue(), ip, published,
        info.getRestartCount() == null ? 0 : info.getRestartCount());
  }

  @Override
  public dev.deploykit.core.engine.ExecResult exec(String container, List<String> command, Duration timeout) {
    StringBuilder output = new StringBuilder();
    String execId;
    try {
      execId = client.execCreateCmd(container).withCmd(command.toArray(String[]::new))
          .withAttachStdout(true).withAttachStderr(true).exec().getId();
    } catch (NotFoundException | ConflictException e) {
      throw new DeployException("Cannot run " + command + " in container " + container + " on "
          + description + ": " + oneLine(e), e);
    }
    try (ResultCallback.Adapter<Frame> callback = client.execStartCmd(execId)
        .exec(new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            synchronized (output) {
              output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          }
        })) {
      if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new DeployException(command + " in container " + container + " did not finish within "
            + timeout.toMillis() + " ms");
      }
    } catch (IOException e) {
      throw new DeployException("Running " + command + " in " + container + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while running " + command + " in " + container, e);
    }
    Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
    synchronized (output) {
      return new dev.deploykit.core.engine.ExecResult(code == null ? -1 : code.intValue(), output.toString());
    }
  }

  /**
   * The local engine's containers are routable from this machine at their address on the
   * network (Linux bridge networking), so the forward is that address itself.
   */
  @Override
  public PortForward forward(String container, String network, int port) {
    ContainerState state = inspect(container, network).orElseThrow(() -> new DeployException(
        "Container " + container + " does not exist on " + description + "; nothing to connect to"));
    if (!state.running() || state.ipAddress() == null) {
      throw new DeployException("Container " + state.name() + " on " + description + " is " + state.status()
          + " and has no address on network " + network + "; port " + port + " cannot be reached");
    }
    return PortForward.direct(new java.net.InetSocketAddress(state.ipAddress(), port));
  }

  @Override
  public List<String> logs(String container, int lines) {
    StringBuilder text = new StringBuilder();
    try (ResultCallback.Adapter<Frame> callback = client.logContainerCmd(container)
        .withStdOut(true).withStdErr(true).withTail(lines)
        .exec(new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            synchronized (text) {
              text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          }
        })) {
      callback.awaitCompletion(LOG_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (NotFoundException e) {
      return List.of();
    } catch (IOException e) {
      return List.of("(logs unavailable: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("(interrupted while reading logs)");
    }
    synchronized (text) {
      return text.toString().lines().toList();
    }
  }

  @Override
  public void writeFile(String container, String path, byte[] content, int mode) {
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("path must be an absolute file path: " + path);
    }
    int slash = path.lastIndexOf('/');
    String parent = slash == 0 ? "/" : path.substring(0, slash);
    try {
      // Into the existing folder, so that its owner and mode stay as the image made them.
      copyIn(container, parent, tar(List.of(), path.substring(slash + 1), content, mode));
    } catch (NotFoundException missingFolder) {
      List<String> folders = new ArrayList<>();
      StringBuilder dir = new StringBuilder();
      String[] parts = path.substring(1).split("/");
      for (int i = 0; i < parts.length - 1; i++) {
        folders.add(dir.append(parts[i]).append('/').toString());
      }
      copyIn(container, "/", tar(folders, path.substring(1), content, mode));
    } catch (DockerException e) {
      throw new DeployException("Could not write " + path + " into container " + container
          + " on " + description + ": " + oneLine(e), e);
    }
  }

  private void copyIn(String container, String remotePath, byte[] tar) {
    client.copyArchiveToContainerCmd(container).withRemotePath(remotePath)
        .withTarInputStream(new ByteArrayInputStream(tar)).exec();
  }

  private static byte[] tar(List<String> folders, String name, byte[] content, int mode) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String folder : folders) {
        TarArchiveEntry d = new TarArchiveEntry(folder);
        d.setMode(0755);
        out.putArchiveEntry(d);
        out.closeArchiveEntry();
      }
      TarArchiveEntry file = new TarArchiveEntry(name);
      file.setSize(content.length);
      file.setMode(mode);
      out.putArchiveEntry(file);
      out.write(content);
      out.closeArchiveEntry();
    } catch (IOException e) {
      throw new DeployException("Could not pack " + name + ": " + e.getMessage(), e);
    }
    return tar.toByteArray();
  }

  @Override
  public Optional<byte[]> readFile(String container, String path) {
    try (InputStream in = client.copyArchiveFromContainerCmd(container, path).exec();
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry = tar.getNextEntry();
      return entry == null ? Optional.empty() : Optional.of(tar.readAllBytes());
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new DeployException("Could not read " + path + " from container " + container
          + " on " + description + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (owned) {
      try {
        client.close();
      } catch (IOException e) {
        // Closing a client has nothing left to lose.
      }
    }
  }

  private static RestartPolicy restart(String policy) {
    if (policy.startsWith("on-failure")) {
      int colon = policy.indexOf(':');
      return colon < 0 ? RestartPolicy.onFailureRestart(0)
          : RestartPolicy.onFailureRestart(Integer.parseInt(policy.substring(colon + 1)));
    }
    return switch (policy) {
      case "always" -> RestartPolicy.alwaysRestart();
      case "unless-stopped" -> RestartPolicy.unlessStoppedRestart();
      default -> RestartPolicy.noRestart();
    };
  }

  private static HealthCheck healthcheck(ContainerHealthcheck h) {
    return new HealthCheck().withTest(h.test())
        .withInterval(h.interval().toNanos())
        .withTimeout(h.timeout().toNanos())
        .withRetries(h.retries())
        .withStartPeriod(h.startPeriod().toNanos());
  }

  private static String oneLine(@Nullable Throwable e) {
    String message = e == null || e.getMessage() == null ? "no message" : e.getMessage();
    return message.strip().replaceAll("\\s*\\n\\s*", " ");
  }
}
