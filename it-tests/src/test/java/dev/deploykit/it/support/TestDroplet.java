package dev.deploykit.it.support;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ExecResult;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.images.Recipes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;

/**
 * A droplet on this machine: the {@link Recipes#TEST_DROPLET} image run with its own dockerd,
 * sshd published on 127.0.0.1 only, fresh host keys, and for the test a generated key authorised
 * for {@code deploy} and {@code outsider} plus a known_hosts file that trusts the droplet (its
 * host key read through the local engine, as a cloud-init pinned key would be). Closing removes
 * the container, its volumes and the local files.
 *
 * <pre>{@code
 * try (TestDroplet droplet = TestDroplet.start(); SshHost host = droplet.ssh().build()) {
 *   host.ping();
 * }
 * }</pre>
 *
 * <p>Thread safety: safe for concurrent use once started.
 */
public final class TestDroplet implements AutoCloseable {
  /** The user in the docker group. */
  public static final String USER = "deploy";
  /** A user that may log in but not use the engine's socket. */
  public static final String OUTSIDER = "outsider";
  /** A second sshd port inside the droplet, published too, for sshd variants a test starts. */
  public static final int SPARE_SSHD_PORT = 2222;

  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
  private static final String LABEL = "dev.deploykit.test.droplet";

  private final DockerClient docker;
  private final DockerHost local;
  private final String container;
  private final int port;
  private final int sparePort;
  private final Path folder;
  private final Map<Integer, Integer> published;
  private final Path userKey;
  private final Path knownHosts;

  private TestDroplet(DockerClient docker, String container, int port, int sparePort, Path folder,
      Map<Integer, Integer> published) {
    this.docker = docker;
    this.local = DockerHost.of(docker, "local engine");
    this.container = container;
    this.port = port;
    this.sparePort = sparePort;
    this.folder = folder;
    this.published = Map.copyOf(published);
    this.userKey = folder.resolve("id_ed25519");
    this.knownHosts = folder.resolve("known_hosts");
  }

  /** Builds the image if needed, starts a droplet and waits until its sshd answers. */
  public static TestDroplet start() {
    return start(Recipes.TEST_DROPLET);
  }

  /**
   * A bare droplet ({@link Recipes#TEST_DROPLET_BARE}): no Docker yet, {@link #USER} with
   * passwordless sudo, docker.io in a local apt repository.
   */
  public static TestDroplet startBare() {
    return start(Recipes.TEST_DROPLET_BARE);
  }

  /**
   * As {@link #start()}, also publishing each of {@code ports} (TCP, inside the droplet, e.g. a
   * stack's proxy port) on an ephemeral port of this machine's 127.0.0.1: {@link #publishedPort}.
   */
  public static TestDroplet start(int... ports) {
    return start(Recipes.TEST_DROPLET, ports);
  }

  private static TestDroplet start(dev.deploykit.images.Recipe recipe, int... ports) {
    DockerClient docker = DockerClientFactory.instance().client();
    String image = StandInImageSubstitutor.images().build(recipe);
    String name = "deploykit-droplet-" + UUID.randomUUID().toString().substring(0, 8);
    String id = run(docker, image, name, ports);
    TestDroplet droplet = null;
    try {
      var bound = ports(docker, id);
      int port = Integer.parseInt(bound.get(ExposedPort.tcp(22))[0].getHostPortSpec());
      int spare = Integer.parseInt(bound.get(ExposedPort.tcp(SPARE_SSHD_PORT))[0].getHostPortSpec());
      Map<Integer, Integer> extra = new java.util.HashMap<>();
      for (int inside : ports) {
        extra.put(inside, Integer.parseInt(ports(docker, id).get(ExposedPort.tcp(inside))[0].getHostPortSpec()));
      }
      Path folder = Files.createTempDirectory("deploykit-droplet-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      droplet = new TestDroplet(docker, id, port, spare, folder, extra);
      droplet.awaitSsh(port);
      droplet.prepareAccess();
      return droplet;
    } catch (IOException | RuntimeException e) {
      if (droplet != null) {
        droplet.close();
      } else {
        Containers.remove(docker, id);
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  private static Map<ExposedPort, Ports.Binding[]> ports(DockerClient docker, String id) {
    return docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts().getBindings();
  }

  /**
   * Creates and starts the container: privileged where the engine can grant it, else with every
   * capability this machine's own bounding set allows (a machine that is itself a container may
   * lack CAP_SYS_RESOURCE, and runc then refuses --privileged).
   */
  private static String run(DockerClient docker, String image, String name, int[] ports) {
    String id = create(docker, image, name, true, ports);
    try {
      docker.startContainerCmd(id).exec();
      return id;
    } catch (DockerException e) {
      Containers.remove(docker, id);
      if (!String.valueOf(e.getMessage()).contains("caps")) {
        throw e;
      }
    }
    String fallback = create(docker, image, name, false, ports);
    docker.startContainerCmd(fallback).exec();
    return fallback;
  }

  private static String create(DockerClient docker, String image, String name, boolean privileged,
      int[] ports) {
    List<ExposedPort> exposed = new java.util.ArrayList<>(List.of(ExposedPort.tcp(22), ExposedPort.tcp(SPARE_SSHD_PORT)));
    for (int inside : ports) {
      exposed.add(ExposedPort.tcp(inside));
    }
    Ports bindings = new Ports();
    exposed.forEach(p -> bindings.bind(p, Ports.Binding.bindIp("127.0.0.1")));
    HostConfig host = privileged ? HostConfig.newHostConfig().withPrivileged(true)
        : new UnmaskedHostConfig().withCapAdd(Capability.ALL).withCapDrop(Capability.SYS_RESOURCE)
            .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
            .withDeviceCgroupRules(List.of("a *:* rwm"));
    host.withInit(true).withPortBindings(bindings);
    CreateContainerCmd cmd = docker.createContainerCmd(image).withName(name)
        .withLabels(Map.of(LABEL, "true"))
        .withExposedPorts(exposed)
        .withHostConfig(host);
    return cmd.exec().getId();
  }

  /**
   * What {@code --security-opt systempaths=unconfined} sends (docker-java 3.7 has no field for
   * it): nothing under /proc masked or read-only, so dockerd may set its sysctls.
   */
  private static final class UnmaskedHostConfig extends HostConfig {
    private static final long serialVersionUID = 1L;

    @JsonProperty("MaskedPaths")
    private final List<String> maskedPaths = List.of();

    @JsonProperty("ReadonlyPaths")
    private final List<String> readonlyPaths = List.of();
  }

  private void awaitSsh(int sshPort) {
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!Boolean.TRUE.equals(docker.inspectContainerCmd(container).exec().getState().getRunning())) {
        throw new IllegalStateException("The test droplet stopped while booting: " + String.join("\n",
            local.logs(container, 40)));
      }
      if (banner(sshPort).startsWith("SSH-2.0-")) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while the droplet booted", e);
      }
    }
    throw new IllegalStateException("The test droplet's sshd did not answer within " + BOOT_TIMEOUT
        + ": " + String.join("\n", local.logs(container, 40)));
  }

  private static String banner(int sshPort) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", sshPort), 1000);
      socket.setSoTimeout(1000);
      String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      return line == null ? "" : line;
    } catch (IOException e) {
      return "";
    }
  }

  private void prepareAccess() throws IOException {
    generateKey(userKey, null);
    String publicKey = Files.readString(userKey.resolveSibling(userKey.getFileName() + ".pub"));
    authorize(USER, publicKey);
    authorize(OUTSIDER, publicKey);
    Files.writeString(knownHosts, knownHostsLine() + "\n");
  }

  /**
   * Generates an ed25519 key pair with the droplet's own ssh-keygen and copies it to {@code file}
   * (private, 0600) and {@code file.pub}.
   *
   * @param passphrase the key's passphrase, or null for none
   */
  public void generateKey(Path file, String passphrase) {
    String remote = "/tmp/key-" + UUID.randomUUID();
    must("ssh-keygen", "-q", "-t", "ed25519", "-C", "test", "-N", passphrase == null ? "" : passphrase, "-f", remote);
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, local.readFile(container, remote).orElseThrow());
      Files.write(file.resolveSibling(file.getFileName() + ".pub"), local.readFile(container, remote + ".pub").orElseThrow());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    exec("rm", "-f", remote, remote + ".pub");
  }

  /** Appends {@code publicKey} (an authorized_keys line) to the user's authorized_keys. */
  public void authorize(String user, String publicKey) {
    String file = "/home/" + user + "/.ssh/authorized_keys";
    must("sh", "-c", "printf '%s\\n' \"$1\" >> " + file + " && chown " + user + ":" + user + " " + file
        + " && chmod 600 " + file, "sh", publicKey.strip());
  }

  /** The known_hosts line that trusts the droplet's ed25519 host key on its published port. */
  public String knownHostsLine() {
    String key = must("cat", "/etc/ssh/ssh_host_ed25519_key.pub").output().strip();
    String[] parts = key.split("\\s+");
    return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1];
  }

  /** The droplet's ed25519 host key fingerprint as {@code ssh-keygen -lf} prints it. */
  public String hostKeyFingerprint() {
    return must("ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub").output().split("\\s+")[1];
  }

  /** A builder for the droplet's engine as {@link #USER}, with the test key and known_hosts. */
  public SshHost.Builder ssh() {
    return ssh(USER);
  }

  /** A builder for the droplet's engine as {@code user}, with the test key and known_hosts. */
  public SshHost.Builder ssh(String user) {
    return DockerHost.ssh("127.0.0.1").port(port).user(user).identityFile(userKey).knownHosts(knownHosts)
        .connectTimeout(Duration.ofSeconds(20));
  }

  /**
   * Copies images of the local engine (name:tag each) into the droplet's engine: saved here in one
   * archive (shared layers once), loaded there over an SSH connection of its own (closed after).
   */
  public void loadImages(String... images) {
    var save = docker.saveImagesCmd();
    for (String image : images) {
      int colon = image.lastIndexOf(':');
      save = save.withImage(image.substring(0, colon), image.substring(colon + 1));
    }
    try (SshHost host = ssh().build(); java.io.InputStream saved = save.exec()) {
      host.client().loadImageCmd(saved).exec();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command in the droplet as root (through the local engine) and returns its result. */
  public ExecResult exec(String... command) {
    return local.exec(container, List.of(command), Duration.ofSeconds(60));
  }

  /** Runs a command in the droplet as root and fails unless it exits with 0. */
  public ExecResult must(String... command) {
    ExecResult result = exec(command);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed on the test droplet ("
          + result.exitCode() + "): " + result.output());
    }
    return result;
  }

  /**
   * The processes owned by {@code user} on the droplet (sshd's per-connection processes among
   * them), one {@code pid args} line each.
   */
  public List<String> processesOf(String user) {
    return exec("ps", "-u", user, "-o", "pid=,args=").output().lines().map(String::strip)
        .filter(line -> !line.isEmpty()).toList();
  }

  /** Every process on the droplet, one {@code user args} line each. */
  public List<String> processes() {
    return exec("ps", "-eo", "user=,args=").output().lines().map(String::strip).toList();
  }

  /** The published SSH port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The published port that {@link #SPARE_SSHD_PORT} inside the droplet maps to. */
  public int sparePort() {
    return sparePort;
  }

  /**
   * The port of this machine's 127.0.0.1 that {@code inside} (one of those given to
   * {@link #start(int...)}) is published on.
   *
   * @throws IllegalArgumentException when {@code inside} was not published
   */
  public int publishedPort(int inside) {
    Integer outside = published.get(inside);
    if (outside == null) {
      throw new IllegalArgumentException("port " + inside + " of the droplet was not published; pass it to start");
    }
    return outside;
  }

  /** The generated private key authorised for both users. */
  public Path userKey() {
    return userKey;
  }

  /** A known_hosts file trusting the droplet. */
  public Path knownHosts() {
    return knownHosts;
  }

  /** A private folder for the test's own files, removed with the droplet. */
  public Path folder() {
    return folder;
  }

  /** The droplet's container id on the local engine. */
  public String container() {
    return container;
  }

  @Override
  public void close() {
    Containers.remove(docker, container);
    try (var files = Files.walk(folder)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary folder harms nobody.
    }
  }
}
