package dev.deploykit.it.support.digitalocean;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.DockerClient;
import dev.deploykit.it.support.Containers;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ExecResult;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.testcontainers.DockerClientFactory;

/**
 * The machine behind one droplet of the fake DigitalOcean: a {@link Recipes#TEST_DROPLET_CLOUD_INIT}
 * container on a loopback address of its own (127.0.0.2, 127.0.0.3, ...), its sshd on
 * {@code ip:22} and the given ports bound on the same address, with the droplet's user_data as
 * the NoCloud seed that real cloud-init applies at boot. Closing removes the container and its
 * volumes.
 */
public final class FakeDroplet implements AutoCloseable {
  static final String LABEL = "dev.deploykit.test.fake-droplet";
  private static final Object ADDRESSES = new Object();
  private static int nextAddress = 2;

  private final DockerClient docker;
  private final String container;
  private final String ip;

  private FakeDroplet(DockerClient docker, String container, String ip) {
    this.docker = docker;
    this.container = container;
    this.ip = ip;
  }

  /**
   * Boots a droplet: picks the next free loopback address (one where nothing answers on 22 or on
   * any of {@code ports}; a taken one is reported on stdout and skipped), writes the seed, starts.
   */
  static FakeDroplet boot(long id, String name, String userData, List<Integer> ports) {
    DockerClient docker = DockerClientFactory.instance().client();
    String image = StandInImageSubstitutor.images().build(Recipes.TEST_DROPLET_CLOUD_INIT);
    String ip;
    synchronized (ADDRESSES) {
      while (true) {
        String candidate = "127.0.0." + nextAddress++;
        if (nextAddress > 250) {
          throw new IllegalStateException("no free loopback address left for a fake droplet");
        }
        List<Integer> all = new ArrayList<>(List.of(22));
        all.addAll(ports);
        List<Integer> held = all.stream().filter(p -> answers(candidate, p)).toList();
        if (held.isEmpty()) {
          ip = candidate;
          break;
        }
        System.out.println("fake DigitalOcean: " + candidate + " already has port(s) " + held
            + " held by something else; trying the next address");
      }
    }
    String id1 = create(docker, image, "deploykit-fake-droplet-" + id, ip, ports, true);
    try {
      docker.copyArchiveToContainerCmd(id1).withRemotePath("/").withTarInputStream(
          new java.io.ByteArrayInputStream(seed(id, name, userData))).exec();
      try {
        docker.startContainerCmd(id1).exec();
        return new FakeDroplet(docker, id1, ip);
      } catch (DockerException e) {
        if (!String.valueOf(e.getMessage()).contains("caps")) {
          throw e;
        }
      }
      Containers.remove(docker, id1);
      String id2 = create(docker, image, "deploykit-fake-droplet-" + id, ip, ports, false);
      docker.copyArchiveToContainerCmd(id2).withRemotePath("/").withTarInputStream(
          new java.io.ByteArrayInputStream(seed(id, name, userData))).exec();
      docker.startContainerCmd(id2).exec();
      return new FakeDroplet(docker, id2, ip);
    } catch (RuntimeException e) {
      Containers.remove(docker, id1);
      throw e;
    }
  }

  private static boolean answers(String ip, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ip, port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] seed(long id, String name, String userData) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("var/lib/cloud/seed/nocloud/meta-data", "instance-id: i-" + id + "\nlocal-hostname: " + name + "\n");
    files.put("var/lib/cloud/seed/nocloud/user-data", userData);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (String dir : List.of("var/lib/cloud/", "var/lib/cloud/seed/", "var/lib/cloud/seed/nocloud/")) {
        TarArchiveEntry entry = new TarArchiveEntry(dir);
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      }
      for (var file : files.entrySet()) {
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(content.length);
        entry.setMode(0100600);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String create(DockerClient docker, String image, String name, String ip, List<Integer> ports,
      boolean privileged) {
    List<ExposedPort> exposed = new ArrayList<>(List.of(ExposedPort.tcp(22)));
    ports.forEach(p -> exposed.add(ExposedPort.tcp(p)));
    Ports bindings = new Ports();
    exposed.forEach(p -> bindings.bind(p, Ports.Binding.bindIpAndPort(ip, p.getPort())));
    HostConfig host = privileged ? HostConfig.newHostConfig().withPrivileged(true)
        : new Unmasked().withCapAdd(Capability.ALL).withCapDrop(Capability.SYS_RESOURCE)
            .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
            .withDeviceCgroupRules(List.of("a *:* rwm"));
    host.withInit(true).withPortBindings(bindings);
    return docker.createContainerCmd(image).withName(name + "-" + Long.toHexString(System.nanoTime()))
        .withLabels(Map.of(LABEL, "true")).withExposedPorts(exposed).withHostConfig(host).exec().getId();
  }

  /** As TestDroplet's: nothing under /proc masked, so dockerd may set its sysctls. */
  private static final class Unmasked extends HostConfig {
    private static final long serialVersionUID = 1L;

    @JsonProperty("MaskedPaths")
    private final List<String> maskedPaths = List.of();

    @JsonProperty("ReadonlyPaths")
    private final List<String> readonlyPaths = List.of();
  }

  /** The droplet's address (its public IPv4 in the fake). */
  public String ip() {
    return ip;
  }

  /** The container's id on the local engine. */
  public String container() {
    return container;
  }

  /** Whether the container runs. */
  public boolean running() {
    try {
      return Boolean.TRUE.equals(docker.inspectContainerCmd(container).exec().getState().getRunning());
    } catch (DockerException e) {
      return false;
    }
  }

  /** Runs a command inside as root. */
  public ExecResult exec(String... command) {
    return DockerHost.of(docker, "local engine").exec(container, List.of(command), Duration.ofSeconds(60));
  }

  /** The container's last log lines. */
  public List<String> logs(int lines) {
    return DockerHost.of(docker, "local engine").logs(container, lines);
  }

  @Override
  public void close() {
    Containers.remove(docker, container);
  }
}
