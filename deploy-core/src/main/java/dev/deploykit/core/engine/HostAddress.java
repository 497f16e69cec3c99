package dev.deploykit.core.engine;

import dev.deploykit.core.internal.docker.DockerJavaHost;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which Docker engine a run talks to, as the operator named it, and who named it. The address is
 * written as the docker CLI writes {@code DOCKER_HOST}: {@code ssh://[user@]host[:port]} for a
 * remote host, {@code unix:///path} or {@code tcp://host:port} for an engine reached directly.
 * {@link #resolve} applies the precedence a command line uses: an explicit option beats the
 * {@code DOCKER_HOST} variable, which beats the stack file's {@code x-deploykit.host}; with none,
 * the local engine's socket.
 *
 * <pre>{@code
 * HostAddress target = HostAddress.resolve(flag, System.getenv("DOCKER_HOST"), stack.settings().host());
 * try (DockerHost host = target.remote() ? target.ssh().acceptNewHostKey(true).build() : target.direct()) {
 *   host.ping();
 * }
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param address the address, normalised: an SSH address always names its user and port
 *     ({@code ssh://deploy@203.0.113.7:22})
 * @param origin where the address came from
 */
public record HostAddress(String address, Origin origin) {
  /** The local engine's socket, where no one names another engine. */
  public static final String LOCAL_SOCKET = "unix:///var/run/docker.sock";

  /** Where an address came from, in precedence order. */
  public enum Origin {
    /** A command-line option ({@code --host}). */
    OPTION("--host"),
    /** The {@code DOCKER_HOST} environment variable. */
    ENVIRONMENT("DOCKER_HOST"),
    /** The stack file's {@code x-deploykit.host}. */
    STACK_FILE("x-deploykit.host"),
    /** Nothing named one: the local engine's socket. */
    DEFAULT("default");

    private final String label;

    Origin(String label) {
      this.label = label;
    }

    /** How messages name the origin: {@code --host}, {@code DOCKER_HOST}, {@code x-deploykit.host}, {@code default}. */
    public String label() {
      return label;
    }
  }

  /**
   * Checks and normalises the address.
   *
   * @throws IllegalArgumentException quoting the address and saying what is wrong (no scheme, an
   *     unknown scheme, no host, a bad port) and the forms expected; the message does not name
   *     the origin, {@link #resolve} adds it
   */
  public HostAddress {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(origin, "origin");
    address = normalised(AddressSyntax.parse(address));
  }

  /**
   * The address a run uses: {@code option} when given, else {@code environment} when set and not
   * empty (as the docker CLI reads {@code DOCKER_HOST}), else {@code stackFile}, else
   * {@link #LOCAL_SOCKET}.
   *
   * @param option the command line's {@code --host}, or null
   * @param environment the value of {@code DOCKER_HOST}, or null
   * @param stackFile the stack's {@code x-deploykit.host}, or null
   * @throws IllegalArgumentException for a bad chosen address, its message starting with where
   *     it came from: {@code --host: "ssh://" names no host; expected ...}
   */
  public static HostAddress resolve(@Nullable String option, @Nullable String environment, @Nullable String stackFile) {
    if (option != null) {
      return of(option, Origin.OPTION);
    }
    if (environment != null && !environment.isEmpty()) {
      return of(environment, Origin.ENVIRONMENT);
    }
    if (stackFile != null) {
      return of(stackFile, Origin.STACK_FILE);
    }
    return new HostAddress(LOCAL_SOCKET, Origin.DEFAULT);
  }

  private static HostAddress of(String value, Origin origin) {
    try {
      return new HostAddress(value, origin);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(origin.label() + ": " + e.getMessage(), e);
    }
  }

  /** Whether the engine is reached over SSH ({@code ssh://}). */
  public boolean remote() {
    return address.startsWith("ssh://");
  }

  /**
   * A builder for the SSH host, its user, host and port set from the address; keys, known_hosts
   * and timeouts are the caller's to add.
   *
   * @throws IllegalStateException when the address is not {@code ssh://}
   */
  public SshHost.Builder ssh() {
    if (!remote()) {
      throw new IllegalStateException(address + " is not an SSH address");
    }
    AddressSyntax parts = AddressSyntax.parse(address);
    return SshHost.builder(parts.host()).user(Objects.requireNonNull(parts.user())).port(parts.port());
  }

  /**
   * The engine reached directly at a {@code unix://} or {@code tcp://} address (the local engine,
   * as {@link DockerHost#local()}, but at this address whatever {@code DOCKER_HOST} says).
   *
   * @throws IllegalStateException when the address is {@code ssh://}
   */
  public DockerHost direct() {
    if (remote()) {
      throw new IllegalStateException(address + " is reached over SSH: use ssh()");
    }
    return DockerJavaHost.local(address);
  }

  /** The address and where it came from: {@code ssh://deploy@203.0.113.7:22 (from --host)}. */
  public String describe() {
    return address + " (from " + origin.label() + ")";
  }

  private static String normalised(AddressSyntax parts) {
    String host = parts.host().contains(":") ? "[" + parts.host() + "]" : parts.host();
    return switch (parts.scheme()) {
      case "ssh" -> {
        String user = parts.user() != null ? parts.user() : System.getProperty("user.name", "root");
        yield "ssh://" + user + "@" + host + ":" + (parts.port() < 0 ? 22 : parts.port());
      }
      case "tcp" -> "tcp://" + host + ":" + parts.port();
      default -> "unix://" + parts.host();
    };
  }
}
