package dev.deploykit.digitalocean.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The known_hosts lines deploykit owns: one plain line per droplet address ({@code host} for port
 * 22, {@code [host]:port} otherwise), replaced whole, written atomically; other lines are left as
 * they are.
 */
public final class KnownHostsLines {
  private KnownHostsLines() {}

  /** {@code 203.0.113.7} or {@code [203.0.113.7]:2222}. */
  public static String hostPattern(String host, int port) {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  /**
   * Makes {@code file} trust {@code publicKey} (type and base64) for the address, and nothing else
   * for it: an older line for the same address (a recycled IP) is replaced.
   *
   * @return whether the file changed
   */
  public static synchronized boolean pin(Path file, String host, int port, String publicKey) {
    String pattern = hostPattern(host, port);
    String wanted = pattern + " " + OpenSshKeys.typeAndKey(publicKey);
    List<String> lines = read(file);
    List<String> kept = new ArrayList<>();
    boolean present = false;
    for (String line : lines) {
      if (names(line, pattern)) {
        if (line.strip().equals(wanted) && !present) {
          present = true;
          kept.add(line);
        }
        continue;
      }
      kept.add(line);
    }
    if (present && kept.size() == lines.size()) {
      return false;
    }
    if (!present) {
      kept.add(wanted);
    }
    write(file, kept);
    return true;
  }

  /** Removes every line naming the address; whether one was there. */
  public static synchronized boolean remove(Path file, String host, int port) {
    String pattern = hostPattern(host, port);
    List<String> lines = read(file);
    List<String> kept = lines.stream().filter(line -> !names(line, pattern)).toList();
    if (kept.size() == lines.size()) {
      return false;
    }
    write(file, kept);
    return true;
  }

  private static boolean names(String line, String pattern) {
    String stripped = line.strip();
    if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("@")) {
      return false;
    }
    String hosts = stripped.split("\\s+", 2)[0];
    for (String h : hosts.split(",")) {
      if (h.equals(pattern)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void write(Path file, List<String> lines) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".known_hosts", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(temp, lines, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
