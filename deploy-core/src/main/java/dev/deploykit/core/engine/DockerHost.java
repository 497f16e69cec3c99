package dev.deploykit.core.engine;

import dev.deploykit.core.DeployException;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.core.internal.docker.DockerJavaHost;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one interface to a Docker engine that the release protocol uses. Implementations differ
 * only in transport: {@link #local()} talks to the local engine's socket; a remote engine is
 * reached through one SSH connection ({@link #ssh(String)}). Every call has a deadline. A call
 * interrupted on the calling thread throws {@link DeployException} with
 * {@link DeployException.Reason#INTERRUPTED} and sets the thread's interrupt flag again; an engine
 * that does not answer is {@link DeployException.Reason#ENGINE_UNAVAILABLE}. A {@code container}
 * argument is the container's name or id.
 *
 * <pre>{@code
 * try (DockerHost host = DockerHost.local()) {
 *   host.ping();
 * }
 * }</pre>
 *
 * <p>Thread safety: implementations are safe for concurrent use.
 */
public interface DockerHost extends AutoCloseable {

  /**
   * The engine on this machine: {@code DOCKER_HOST} when set, else {@code /var/run/docker.sock}.
   */
  static DockerHost local() {
    return DockerJavaHost.local();
  }

  /**
   * The engine of a remote host, reached over SSH: {@code DockerHost.ssh("droplet.example.com")
   * .user("deploy").build()}. See {@link SshHost} for keys, known_hosts and timeouts.
   *
   * @throws IllegalArgumentException when {@code host} is not a host name or address
   */
  static SshHost.Builder ssh(String host) {
    return SshHost.builder(host);
  }

  /**
   * The same engine for a docker-java client the caller owns (and closes).
   *
   * @param description where the engine is, for messages ({@link #describe()})
   */
  static DockerHost of(DockerClient client, String description) {
    return DockerJavaHost.of(client, description);
  }

  /** Where the engine is, for messages: {@code local engine (unix:///var/run/docker.sock)}. */
  String describe();

  /** The docker-java client, for health checks that inspect containers themselves. */
  DockerClient client();

  /**
   * Checks that the engine answers.
   *
   * @throws DeployException saying how to start one when it does not
   */
  void ping();

  /**
   * The image's id ({@code sha256:...}) if the engine has the image.
   *
   * @param image a reference, as a tag or a digest
   */
  Optional<String> imageId(String image);

  /**
   * Pulls the image.
   *
   * @param timeout how long the pull may take
   * @return the pulled image's id ({@code sha256:...})
   * @throws DeployException naming the image and the registry's answer when the pull fails or
   *     takes longer than {@code timeout}
   */
  String pull(String image, Duration timeout);

  /**
   * Pulls the image with credentials sent in the call itself ({@code X-Registry-Auth}); nothing is
   * written to the host's disk. A reference by digest ({@code repo@sha256:...}) pulls exactly
   * that image; layers the engine has are not moved again.
   *
   * @param auth the registry's credentials, or null for a registry that needs none
   * @param timeout how long the pull may take
   * @param progress told how far the pull has come
   * @return the pulled image's id ({@code sha256:...})
   * @throws DeployException with {@link DeployException.Reason#REGISTRY_CREDENTIALS} when the
   *     registry refuses the credentials, {@link DeployException.Reason#IMAGE_NOT_IN_REGISTRY} when
   *     it does not hold the image, {@link DeployException.Reason#REGISTRY_UNREACHABLE} when it
   *     cannot be reached, or {@link DeployException.Reason#FAILED} when the pull fails otherwise
   *     or takes longer than {@code timeout}
   */
  String pull(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress);

  /**
   * Pushes a tagged image to the registry its name starts with.
   *
   * @param image the image as {@code registry/repository:tag}
   * @param auth the registry's credentials, or null for a registry that needs none
   * @param timeout how long the push may take
   * @param progress told how far the push has come
   * @return the digest the registry gave the image's manifest ({@code sha256:...}), which
   *     {@code registry/repository@digest} pulls
   * @throws DeployException with the reasons of {@link #pull(String, RegistryAuth, Duration,
   *     TransferProgress)}: refused credentials, an unreachable registry, a failed or overlong push
   */
  String push(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress);

  /**
   * Gives an image the engine has another name ({@code docker tag}).
   *
   * @param image the image as a reference or id
   * @param reference the new name as {@code repository:tag}
   * @throws DeployException when the engine does not have the image
   */
  void tag(String image, String reference);

  /**
   * Creates the network (a bridge) unless it exists.
   *
   * @param labels labels for a network it creates ({@link dev.deploykit.core.StackNames#labels})
   */
  void ensureNetwork(String name, Map<String, String> labels);

  /**
   * Creates the named volume unless it exists.
   *
   * @param labels labels for a volume it creates
   */
  void ensureVolume(String name, Map<String, String> labels);

  /** Removes the network if it exists and no container uses it. */
  void removeNetwork(String name);

  /** Removes the volumes carrying every given label (not in use). */
  void removeVolumes(Map<String, String> labels);

  /**
   * Creates a container and returns its id; it is not started.
   *
   * @throws DeployException when the engine refuses it (a name in use, a missing image)
   */
  String create(ContainerSpec spec);

  /** Starts a created or stopped container; starting a running one does nothing. */
  void start(String container);

  /**
   * Stops a container with its stop signal, waiting up to {@code grace} before it is killed.
   * Stopping a stopped container does nothing.
   */
  void stop(String container, Duration grace);

  /** Removes a container (and its anonymous volumes), stopped or not. Absent: nothing happens. */
  void remove(String container);

  /**
   * The container, if it exists.
   *
   * @param container its name or id
   * @param network the network whose address {@link ContainerState#ipAddress()} reports
   */
  Optional<ContainerState> inspect(String container, String network);

  /**
   * The containers (running or not) carrying every given label.
   *
   * @param labels label names and values that must all match
   * @param network the network whose address {@link ContainerState#ipAddress()} reports
   */
  List<ContainerState> list(Map<String, String> labels, String network);

  /**
   * Runs a command inside a running container and waits for it.
   *
   * @param command the command and its arguments, not run through a shell
   * @throws DeployException when the container is not running or the command does not finish
   *     within {@code timeout}
   */
  ExecResult exec(String container, java.util.List<String> command, Duration timeout);

  /**
   * Runs a command inside a running container with its standard output streamed to {@code
   * stdout} as it comes (a {@code pg_dump} of any size), and waits for it. The same call works
   * through every transport; over SSH the bytes travel the host's connection.
   *
   * @param command the command and its arguments, not run through a shell
   * @param environment variables for the command only (a password for a client), never logged
   * @param stdout receives the command's standard output; an {@link java.io.IOException} it throws
   *     stops the command's stream and is rethrown as the cause of a {@link DeployException}
   * @throws DeployException when the container is not running, the command does not finish within
   *     {@code timeout}, or writing to {@code stdout} fails
   */
  default StreamedExec execStreaming(String container, List<String> command, Map<String, String> environment,
      java.io.OutputStream stdout, Duration timeout) {
    return dev.deploykit.core.internal.docker.ContainerStreams.exec(client(), describe(), container, command,
        environment, stdout, timeout);
  }

  /**
   * Copies a file of {@code size} bytes read from {@code content} into a container (running or
   * stopped) without holding it in memory; the folder must exist.
   *
   * @param mode the file's permission bits, for example {@code 0600}
   * @throws DeployException when the engine refuses the copy or {@code content} cannot be read
   */
  default void copyFile(String container, String path, java.io.InputStream content, long size, int mode) {
    dev.deploykit.core.internal.docker.ContainerStreams.copyIn(client(), describe(), container, path, content,
        size, mode);
  }

  /**
   * Makes a container's port reachable from this machine, for whatever must talk to it (health
   * gates, db-init, health checks, the proxy's runtime API). Never assume a container's address
   * is routable from the operator's machine: ask the host.
   *
   * @param container the container's name or id
   * @param network the network on which the container listens
   * @param port the container port
   * @throws DeployException when the container does not run or has no address on the network
   */
  PortForward forward(String container, String network, int port);

  /** The container's last {@code lines} log lines, stdout and stderr interleaved. */
  List<String> logs(String container, int lines);

  /**
   * Writes a file into a container (running or stopped), creating parent folders.
   *
   * @param mode the file's permission bits, for example {@code 0644}
   */
  void writeFile(String container, String path, byte[] content, int mode);

  /** Reads a file from a container (running or stopped), if it exists. */
  Optional<byte[]> readFile(String container, String path);

  /** Closes the connection to the engine; containers keep running. */
  @Override
  void close();
}
