package dev.deploykit.core.internal.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to reach one remote engine over SSH, as {@link dev.deploykit.core.engine.SshHost.Builder}
 * validated it. {@link #toString()} leaves out the passphrase and key texts.
 *
 * @param host the host name or address, as known_hosts names it
 * @param port the SSH port
 * @param user the remote user
 * @param identities the private keys to offer, in order
 * @param passphrase the passphrase of encrypted keys, or null; a copy is kept
 * @param knownHosts the known_hosts file that decides whether the host key is trusted
 * @param acceptNewHostKey whether the key of a host that known_hosts does not name at all is
 *     appended to it (once); a changed key is refused regardless
 * @param connectTimeout the deadline of TCP connect, SSH handshake and authentication together
 * @param keepAlive the interval of {@code keepalive@openssh.com} requests (whole seconds, rounded
 *     up); the connection is declared dead after {@link #MISSED_KEEPALIVES} go unanswered
 * @param callTimeout how long an engine call may wait for the first byte of its answer
 * @param engineSocket the engine's Unix socket on the host
 */
public record SshSettings(
    String host,
    int port,
    String user,
    List<SshIdentity> identities,
    char @Nullable [] passphrase,
    Path knownHosts,
    boolean acceptNewHostKey,
    Duration connectTimeout,
    Duration keepAlive,
    Duration callTimeout,
    String engineSocket) {

  /** Unanswered keepalives after which the connection counts as dead. */
  public static final int MISSED_KEEPALIVES = 3;

  public SshSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    identities = List.copyOf(identities);
    passphrase = passphrase == null ? null : passphrase.clone();
    Objects.requireNonNull(knownHosts, "knownHosts");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(engineSocket, "engineSocket");
  }

  /** {@code ssh://user@host:port}, for messages and {@code --host}. */
  public String address() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "ssh://" + user + "@" + h + (port == 22 ? "" : ":" + port);
  }

  /** {@code host:port}, for messages. */
  public String hostAndPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The passphrase's copy (the caller wipes it), or null. */
  char @Nullable [] passphraseCopy() {
    return passphrase == null ? null : passphrase.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SshSettings s && host.equals(s.host) && port == s.port
        && user.equals(s.user) && identities.equals(s.identities)
        && Arrays.equals(passphrase, s.passphrase) && knownHosts.equals(s.knownHosts)
        && acceptNewHostKey == s.acceptNewHostKey && connectTimeout.equals(s.connectTimeout)
        && keepAlive.equals(s.keepAlive) && callTimeout.equals(s.callTimeout)
        && engineSocket.equals(s.engineSocket);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, user, identities, knownHosts, engineSocket);
  }

  @Override
  public String toString() {
    return "SshSettings[" + address() + ", identities=" + identities
        + ", passphrase=" + (passphrase == null ? "none" : "given") + ", knownHosts=" + knownHosts
        + ", acceptNewHostKey=" + acceptNewHostKey + ", connectTimeout=" + connectTimeout
        + ", keepAlive=" + keepAlive + ", callTimeout=" + callTimeout
        + ", engineSocket=" + engineSocket + "]";
  }
}
