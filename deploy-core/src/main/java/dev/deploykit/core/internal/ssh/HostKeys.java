package dev.deploykit.core.internal.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Locale;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** How OpenSSH writes a public key: its type, its SHA256 fingerprint and its known_hosts form. */
final class HostKeys {
  private HostKeys() {}

  /** The key's SSH type, for example {@code ssh-ed25519}. */
  static String type(PublicKey key) {
    return KeyType.fromKey(key).toString();
  }

  /** The key's fingerprint as {@code ssh-keygen -lf} prints it: {@code SHA256:...} (no padding). */
  static String sha256(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob(key));
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** {@code type base64}, as a line of known_hosts or authorized_keys holds it after its names. */
  static String openSsh(PublicKey key) {
    return type(key) + " " + Base64.getEncoder().encodeToString(blob(key));
  }

  /**
   * The name known_hosts files a host under: the host in lower case, or {@code [host]:port} when
   * the port is not 22 (what OpenSSH and sshj look up).
   */
  static String knownHostsName(String host, int port) {
    String lower = host.toLowerCase(Locale.ROOT);
    return port == 22 ? lower : "[" + lower + "]:" + port;
  }

  private static byte[] blob(PublicKey key) {
    return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
  }
}
