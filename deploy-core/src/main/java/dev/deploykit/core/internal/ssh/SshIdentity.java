package dev.deploykit.core.internal.ssh;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A private key to authenticate with: a file, or key text handed over in memory (for CI, from an
 * environment variable). {@link #toString()} names where the key came from, never its text.
 */
public sealed interface SshIdentity {

  /** Where the key came from, for messages: a path or {@code environment variable DEPLOY_KEY}. */
  String origin();

  /** A private key file in any format sshj reads (OpenSSH, PKCS#8, PEM, PuTTY). */
  record KeyFile(Path path) implements SshIdentity {
    public KeyFile {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String origin() {
      return path.toString();
    }
  }

  /** A private key's text; {@code origin} says where it came from. */
  record KeyText(String origin, String text) implements SshIdentity {
    public KeyText {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return "KeyText[" + origin + "]";
    }
  }
}
