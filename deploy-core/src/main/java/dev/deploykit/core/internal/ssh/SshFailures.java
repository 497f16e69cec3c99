package dev.deploykit.core.internal.ssh;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployException.Reason;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one-line messages of SSH failures: what happened, at which host and port, and what to do.
 * Pure functions of what was observed, so that each wording is checked by a unit test.
 */
final class SshFailures {
  private SshFailures() {}

  static DeployException hostKey(HostKeyDecision decision) {
    String message = switch (decision) {
      case HostKeyDecision.Unknown u -> "Host key of " + u.host() + " is not known: it presents "
          + u.keyType() + " " + u.fingerprint() + ", which " + u.file() + " does not hold. Check that"
          + " fingerprint against the host's own (`ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` on it),"
          + " then either add this line to " + u.file() + ": " + u.knownHostsLine()
          + " or connect once with acceptNewHostKey(true) (deploykit --accept-new-host-key), which adds it";
      case HostKeyDecision.Changed c -> "Host key of " + c.host() + " has CHANGED: it presents "
          + c.keyType() + " " + c.fingerprint() + ", but " + c.file() + " " + lines(c.lines())
          + " another key for it. Someone may be intercepting the connection, or the host was"
          + " rebuilt: only if you know it was, delete that entry (`ssh-keygen -R '" + c.host()
          + "' -f " + c.file() + "`) and connect again; a changed key is never accepted";
      case HostKeyDecision.Revoked r -> "Host key of " + r.host() + " (" + r.keyType() + " "
          + r.fingerprint() + ") is marked @revoked on line " + r.line() + " of " + r.file()
          + ": the connection is refused";
      case HostKeyDecision.Trusted t -> throw new IllegalArgumentException("trusted: " + t);
      case HostKeyDecision.Accepted a -> throw new IllegalArgumentException("accepted: " + a);
    };
    return new DeployException(Reason.HOST_KEY_REJECTED, message);
  }

  private static String lines(List<Integer> lines) {
    return lines.size() == 1 ? "line " + lines.getFirst() + " holds"
        : "lines " + lines.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " hold";
  }

  static DeployException refused(String hostAndPort, Exception cause) {
    return new DeployException(Reason.HOST_UNREACHABLE, "Nothing accepts SSH connections at "
        + hostAndPort + " (" + cause.getMessage() + "): check the host name and port, and that sshd"
        + " runs there and a firewall lets you in", cause);
  }

  static DeployException unresolved(String host, Exception cause) {
    return new DeployException(Reason.HOST_UNREACHABLE, "Host name " + host
        + " cannot be resolved: check its spelling and your DNS", cause);
  }

  static DeployException timedOut(String hostAndPort, String phase, Duration timeout, Exception cause) {
    String what = switch (phase) {
      case SshConnector.PHASE_CONNECT -> "did not accept a TCP connection";
      case SshConnector.PHASE_HANDSHAKE -> "accepted the connection but did not complete the SSH handshake";
      case SshConnector.PHASE_AUTHENTICATION -> "did not finish authenticating";
      default -> "did not open a channel to the engine's socket";
    };
    return new DeployException(Reason.HOST_UNREACHABLE, hostAndPort + " " + what + " within "
        + millis(timeout) + " (the connect timeout): check the address, the port and any firewall,"
        + " or raise connectTimeout on a slow link", cause);
  }

  static DeployException failed(String hostAndPort, String phase, Exception cause) {
    return new DeployException(Reason.HOST_UNREACHABLE, "SSH connection to " + hostAndPort
        + " failed during " + phase + ": " + oneLine(cause), cause);
  }

  static DeployException notAuthorised(String user, String hostAndPort, List<SshKeys.Key> keys, Exception cause) {
    String offered = keys.stream().map(k -> k.origin() + " (" + k.fingerprint() + ")")
        .collect(Collectors.joining(", "));
    return new DeployException(Reason.AUTHENTICATION_FAILED, user + "@" + hostAndPort
        + " refused the key" + (keys.size() == 1 ? " " : "s ") + offered + ": add its public key to ~"
        + user + "/.ssh/authorized_keys on the host (`ssh-copy-id`), or give the key or user that"
        + " the host knows", cause);
  }

  static DeployException keyNotDecrypted(String origin, boolean passphraseGiven, Exception cause) {
    return new DeployException(Reason.AUTHENTICATION_FAILED, passphraseGiven
        ? "SSH key " + origin + " cannot be decrypted: the passphrase is wrong"
        : "SSH key " + origin + " is encrypted and no passphrase was given: pass it with passphrase(...)", cause);
  }

  static DeployException keyUnreadable(String origin, Exception cause) {
    return new DeployException(Reason.AUTHENTICATION_FAILED, "SSH key " + origin
        + " cannot be read: " + oneLine(cause) + ". Give an OpenSSH, PKCS#8 or PuTTY private key", cause);
  }

  static String millis(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.strip().replaceAll("\\s*\\n\\s*", " ");
  }
}
