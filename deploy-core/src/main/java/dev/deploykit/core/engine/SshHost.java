package dev.deploykit.core.engine;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.internal.ssh.SshDockerHost;
import dev.deploykit.core.internal.ssh.SshIdentity;
import dev.deploykit.core.internal.ssh.SshSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A remote Docker engine reached over SSH, with the same {@link DockerHost} contract as the local
 * engine. One SSH connection carries every engine call of the run (each HTTP connection of the
 * docker client is one {@code direct-streamlocal@openssh.com} channel to the engine's socket) and
 * every {@link #forward forwarded} container port (one {@code direct-tcpip} channel per TCP
 * connection). No engine port is opened on the host, and no process is started there.
 *
 * <pre>{@code
 * try (SshHost host = DockerHost.ssh("droplet.example.com")
 *     .user("deploy")
 *     .identityFile(Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519"))
 *     .build()) {
 *   host.ping();
 * }
 * }</pre>
 *
 * <p>The connection opens on the first call. The host's key must be in known_hosts (or be new,
 * with {@link Builder#acceptNewHostKey(boolean)}); there is no way to turn verification off. A
 * dropped connection is opened again for the next call, and a call that cannot have changed
 * anything on the host (an inspection, a listing, an idempotent ensure) is retried once on the
 * new connection; any other call fails with {@link DeployException.Reason#CONNECTION_LOST}.
 *
 * <p>Thread safety: safe for concurrent use; calls share the one connection.
 */
public interface SshHost extends DockerHost {

  /** The default engine socket on the host. */
  String DEFAULT_ENGINE_SOCKET = "/var/run/docker.sock";

  /**
   * A builder for the engine on {@code host}, reached as the current user on port 22 with the
   * default keys ({@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}, those that exist)
   * and {@code ~/.ssh/known_hosts}.
   *
   * @param host a host name or IP address, as known_hosts names it
   * @throws IllegalArgumentException when {@code host} is blank or holds a user, port or path
   */
  static Builder builder(String host) {
    return new Builder(host);
  }

  /**
   * A builder for an address as the docker CLI writes it: {@code ssh://[user@]host[:port]}.
   *
   * @throws IllegalArgumentException when the address is not of that form
   */
  static Builder fromAddress(String address) {
    URI uri;
    try {
      uri = new URI(Objects.requireNonNull(address, "address"));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("address " + address + " is not ssh://[user@]host[:port]", e);
    }
    if (!"ssh".equals(uri.getScheme()) || uri.getHost() == null
        || (uri.getPath() != null && !uri.getPath().isEmpty()) || uri.getQuery() != null) {
      throw new IllegalArgumentException("address " + address + " is not ssh://[user@]host[:port]");
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
        : uri.getHost();
    Builder builder = new Builder(host);
    if (uri.getUserInfo() != null) {
      builder.user(uri.getUserInfo());
    }
    if (uri.getPort() != -1) {
      builder.port(uri.getPort());
    }
    return builder;
  }

  /** {@code ssh://user@host[:port]}: where this engine is. */
  String address();

  /**
   * SSH connections opened so far: 1 for a run whose connection never dropped, 0 before the first
   * call.
   */
  int connectionsOpened();

  /**
   * Opens a port on the host's loopback ({@code 127.0.0.1:hostPort}, an SSH remote forward,
   * {@code tcpip-forward}) whose connections come out on this machine at {@code target}: how the
   * host's engine pulls from a registry on the operator's loopback. Only the host's own processes
   * can reach it (sshd binds remote forwards to loopback unless {@code GatewayPorts} says
   * otherwise). It lives on the current SSH connection: close it when done.
   *
   * @param hostPort the port on the host's loopback, 1-65535
   * @param target where on this machine its connections go
   * @throws DeployException when sshd refuses the forward (the port is taken on the host, or
   *     {@code AllowTcpForwarding} forbids it)
   */
  ReverseForward reverseForward(int hostPort, java.net.InetSocketAddress target);

  /**
   * A port on the host forwarded to this machine ({@link #reverseForward}).
   *
   * <p>Thread safety: close once; closing twice does nothing.
   */
  interface ReverseForward extends AutoCloseable {
    /** The port on the host's loopback. */
    int hostPort();

    /** Stops the forward on the host; connections made through it end. */
    @Override
    void close();
  }

  /**
   * Settings of an {@link SshHost}. Every setter checks its value at once; {@link #build()} checks
   * that the key files exist.
   *
   * <p>Thread safety: not safe for concurrent use; the built host is.
   */
  final class Builder {
    private final String host;
    private int port = 22;
    private String user = System.getProperty("user.name", "root");
    private final List<SshIdentity> identities = new ArrayList<>();
    private char @Nullable [] passphrase;
    private @Nullable Path knownHosts;
    private boolean acceptNewHostKey;
    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration keepAlive = Duration.ofSeconds(15);
    private Duration callTimeout = Duration.ofMinutes(2);
    private String engineSocket = DEFAULT_ENGINE_SOCKET;
    private UnaryOperator<@Nullable String> environment = System::getenv;
    private Path home = Path.of(System.getProperty("user.home", "/"));

    Builder(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank() || host.contains("@") || host.contains("/") || host.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("host must be a host name or address, not \"" + host + "\"");
      }
      this.host = host;
    }

    /**
     * The remote user (default: the current user's name).
     *
     * @throws IllegalArgumentException when blank or holding {@code @}, {@code :} or whitespace
     */
    public Builder user(String user) {
      Objects.requireNonNull(user, "user");
      if (user.isBlank() || user.contains("@") || user.contains(":") || user.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("user must be a user name, not \"" + user + "\"");
      }
      this.user = user;
      return this;
    }

    /**
     * The SSH port (default 22).
     *
     * @throws IllegalArgumentException when not within 1..65535
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be within 1..65535, not " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Adds a private key file to offer (any format OpenSSH writes). Keys are offered in the order
     * given; giving any key replaces the default keys.
     */
    public Builder identityFile(Path file) {
      identities.add(new SshIdentity.KeyFile(Objects.requireNonNull(file, "file")));
      return this;
    }

    /**
     * Adds a private key given as text (the content of a key file).
     *
     * @throws IllegalArgumentException when the text is not a private key
     */
    public Builder identityKey(String privateKey) {
      identities.add(keyText("key text", privateKey));
      return this;
    }

    /**
     * Adds the private key held by an environment variable (for CI), read now.
     *
     * @throws IllegalArgumentException when the variable is unset, empty or not a private key
     */
    public Builder identityKeyFromEnvironment(String variable) {
      Objects.requireNonNull(variable, "variable");
      String value = environment.apply(variable);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("environment variable " + variable
            + " holds no private key (it is " + (value == null ? "unset" : "empty") + ")");
      }
      identities.add(keyText("environment variable " + variable, value));
      return this;
    }

    /**
     * The passphrase of encrypted keys. The builder keeps a copy: the caller may wipe its array.
     */
    public Builder passphrase(char[] passphrase) {
      this.passphrase = Objects.requireNonNull(passphrase, "passphrase").clone();
      return this;
    }

    /** The known_hosts file (default {@code ~/.ssh/known_hosts}; it need not exist yet). */
    public Builder knownHosts(Path file) {
      this.knownHosts = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Whether a host that known_hosts does not name at all is trusted on first contact, its key
     * appended to known_hosts (default false: refused, with the line to add). A host whose key
     * changed is refused either way.
     */
    public Builder acceptNewHostKey(boolean accept) {
      this.acceptNewHostKey = accept;
      return this;
    }

    /**
     * The deadline of TCP connect, SSH handshake and authentication together (default 15 s).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * How often the connection is proven alive (default 15 s; whole seconds, rounded up). After
     * {@value SshSettings#MISSED_KEEPALIVES} unanswered keepalives it counts as dead.
     *
     * @throws IllegalArgumentException when shorter than one second
     */
    public Builder keepAlive(Duration interval) {
      if (positive("keepAlive", interval).compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("keepAlive must be at least 1 s, not " + interval);
      }
      this.keepAlive = interval;
      return this;
    }

    /**
     * How long an engine call may wait for the first byte of its answer (default 2 min); a call
     * that waits longer is cut off. Calls that wait on purpose (stop with a grace period, exec)
     * must fit in it.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive("callTimeout", timeout);
      return this;
    }

    /**
     * The engine's Unix socket on the host (default {@value SshHost#DEFAULT_ENGINE_SOCKET}).
     *
     * @throws IllegalArgumentException when not an absolute path
     */
    public Builder engineSocket(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/") || path.endsWith("/") || path.contains("\n")) {
        throw new IllegalArgumentException("engineSocket must be an absolute socket path, not " + path);
      }
      this.engineSocket = path;
      return this;
    }

    /** Where environment variables are read (tests). */
    Builder environment(UnaryOperator<@Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** The home folder holding {@code .ssh} (tests). */
    Builder home(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /**
     * The host, not yet connected: the connection opens on its first call.
     *
     * @throws IllegalStateException when a key file does not exist, or no key is given and none
     *     of the default keys exists
     */
    public SshHost build() {
      return new SshDockerHost(settings());
    }

    /** The validated settings (tests). */
    SshSettings settings() {
      List<SshIdentity> keys = identities.isEmpty() ? defaultKeys() : List.copyOf(identities);
      for (SshIdentity key : keys) {
        if (key instanceof SshIdentity.KeyFile(Path file) && !Files.isReadable(file)) {
          throw new IllegalStateException("identityFile " + file + " does not exist or cannot be read");
        }
      }
      Path hosts = knownHosts != null ? knownHosts : home.resolve(".ssh").resolve("known_hosts");
      return new SshSettings(host, port, user, keys, passphrase, hosts, acceptNewHostKey,
          connectTimeout, keepAlive, callTimeout, engineSocket);
    }

    private List<SshIdentity> defaultKeys() {
      List<SshIdentity> found = new ArrayList<>();
      for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
        Path file = home.resolve(".ssh").resolve(name);
        if (Files.isReadable(file)) {
          found.add(new SshIdentity.KeyFile(file));
        }
      }
      if (found.isEmpty()) {
        throw new IllegalStateException("No SSH key for " + user + "@" + host + ": none of "
            + home.resolve(".ssh") + "/id_ed25519, id_ecdsa, id_rsa exists; give identityFile or identityKey");
      }
      return found;
    }

    private static SshIdentity keyText(String origin, String text) {
      Objects.requireNonNull(text, "privateKey");
      if (!text.strip().startsWith("-----BEGIN ") && !text.strip().startsWith("PuTTY-User-Key-File-")) {
        throw new IllegalArgumentException("The " + origin + " does not hold a private key"
            + " (expected a \"-----BEGIN ... PRIVATE KEY-----\" block)");
      }
      return new SshIdentity.KeyText(origin, text);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, not " + value);
      }
      return value;
    }

    @Override
    public String toString() {
      return "SshHost.Builder[" + user + "@" + host + ":" + port + ", identities=" + identities
          + ", passphrase=" + (passphrase == null ? "none" : "given")
          + (knownHosts == null ? "" : ", knownHosts=" + knownHosts) + "]";
    }
  }
}
