package dev.deploykit.core.internal.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

/**
 * One known_hosts file read line by line through sshj's own parser (plain, hashed
 * {@code |1|salt|hash}, wildcard, {@code [host]:port}, {@code @revoked}, {@code @cert-authority}
 * entries), keeping each entry's line number so that a refusal can name it.
 *
 * <p>Thread safety: immutable once read; {@link #append} writes the file, not this object.
 */
final class KnownHostsFile {
  private static final String REVOKED = "@revoked";
  private static final String CERT_AUTHORITY = "@cert-authority";

  private final Path file;
  private final List<Line> lines;

  private record Line(int number, String text, KnownHostEntry entry) {}

  private KnownHostsFile(Path file, List<Line> lines) {
    this.file = file;
    this.lines = List.copyOf(lines);
  }

  /**
   * Reads the file; a missing file names no host.
   *
   * @throws UncheckedIOException when it exists but cannot be read
   */
  static KnownHostsFile read(Path file) {
    List<String> text;
    try {
      text = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      text = List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("known_hosts file " + file + " cannot be read: " + e.getMessage(), e);
    }
    OpenSSHKnownHosts.EntryFactory parser = parser();
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      String line = text.get(i);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      try {
        KnownHostEntry entry = parser.parseEntry(line.strip());
        if (entry != null) {
          lines.add(new Line(i + 1, line.strip(), entry));
        }
      } catch (IOException | RuntimeException unreadable) {
        // A line sshj cannot parse trusts nothing, as in OpenSSH.
      }
    }
    return new KnownHostsFile(file, lines);
  }

  private static OpenSSHKnownHosts.EntryFactory parser() {
    try {
      return new OpenSSHKnownHosts(new StringReader("")).new EntryFactory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file. */
  Path file() {
    return file;
  }

  /** What the file says about {@code key} presented by {@code host} on {@code port}. */
  HostKeyDecision decide(String host, int port, PublicKey key) {
    String name = HostKeys.knownHostsName(host, port);
    KeyType type = KeyType.fromKey(key);
    String fingerprint = HostKeys.sha256(key);
    String md5 = SecurityUtils.getFingerprint(key);
    List<Integer> others = new ArrayList<>();
    HostKeyDecision trusted = null;
    for (Line line : lines) {
      boolean revoked = line.text().startsWith(REVOKED);
      if (revoked) {
        if (applies(line, type, name) && md5.equals(line.entry().getFingerprint())) {
          return new HostKeyDecision.Revoked(file, name, type.toString(), fingerprint, line.number());
        }
      } else if (applies(line, type, name) && verifies(line, key)) {
        trusted = trusted == null ? new HostKeyDecision.Trusted(file, line.number()) : trusted;
      } else if (!line.text().startsWith(CERT_AUTHORITY) && appliesToHost(line, name)) {
        others.add(line.number());
      }
    }
    if (trusted != null) {
      return trusted;
    }
    if (!others.isEmpty()) {
      return new HostKeyDecision.Changed(file, name, type.toString(), fingerprint, others);
    }
    return new HostKeyDecision.Unknown(file, name, type.toString(), fingerprint,
        name + " " + HostKeys.openSsh(key));
  }

  /**
   * The key types the file knows for the host, so that the handshake asks the host for one of
   * them (as OpenSSH does) rather than for a type the file does not hold.
   */
  List<String> keyTypes(String host, int port) {
    String name = HostKeys.knownHostsName(host, port);
    List<String> types = new ArrayList<>();
    for (Line line : lines) {
      if (!line.text().startsWith(REVOKED) && !line.text().startsWith(CERT_AUTHORITY)
          && appliesToHost(line, name) && !types.contains(line.entry().getType().toString())) {
        types.add(line.entry().getType().toString());
      }
    }
    return types;
  }

  /**
   * Appends a line trusting {@code key} for the host, creating the file (0600) and its folder
   * (0700) if needed, and returns the line.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  static String append(Path file, String host, int port, PublicKey key) {
    String line = HostKeys.knownHostsName(host, port) + " " + HostKeys.openSsh(key);
    try {
      Path folder = file.toAbsolutePath().getParent();
      if (folder != null && !Files.isDirectory(folder)) {
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!Files.exists(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      String prefix = endsWithNewline(file) ? "" : System.lineSeparator();
      // One write with O_APPEND: a concurrent writer cannot interleave within the line.
      Files.writeString(file, prefix + line + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("known_hosts file " + file + " cannot be written: " + e.getMessage(), e);
    }
    return line;
  }

  private static boolean endsWithNewline(Path file) throws IOException {
    long size = Files.size(file);
    if (size == 0) {
      return true;
    }
    try (var channel = Files.newByteChannel(file)) {
      channel.position(size - 1);
      java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
      channel.read(last);
      return last.get(0) == '\n';
    }
  }

  private static boolean applies(Line line, KeyType type, String name) {
    try {
      return line.entry().appliesTo(type, name);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean appliesToHost(Line line, String name) {
    try {
      return line.entry().appliesTo(name);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean verifies(Line line, PublicKey key) {
    try {
      return line.entry().verify(key);
    } catch (IOException e) {
      return false;
    }
  }
}
