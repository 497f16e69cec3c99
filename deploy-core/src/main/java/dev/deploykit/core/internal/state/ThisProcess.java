package dev.deploykit.core.internal.state;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who this process is, for the deploy lock: the machine (its name for people, its machine id
 * and boot id for the "is the holder provably gone" test), and whether another process of this
 * machine still lives.
 */
final class ThisProcess {
  private ThisProcess() {}

  /** The machine's name: the kernel's host name, else {@code HOSTNAME}, else the resolver's. */
  static String hostName() {
    Optional<String> kernel = read("/proc/sys/kernel/hostname");
    if (kernel.isPresent()) {
      return kernel.get();
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  /**
   * A stable id of this machine and process namespace: {@code /etc/machine-id} with the host
   * name (containers made from one image share a machine id, but not a host name or pids).
   */
  static String machineId() {
    return read("/etc/machine-id").or(() -> read("/var/lib/dbus/machine-id")).orElse("no-machine-id")
        + ":" + hostName();
  }

  /** The id of this boot of the machine, or {@code unknown}. */
  static String bootId() {
    return read("/proc/sys/kernel/random/boot_id").orElse("unknown");
  }

  static long pid() {
    return ProcessHandle.current().pid();
  }

  /** When this process started, if the platform says. */
  static Optional<Instant> startInstant() {
    return ProcessHandle.current().info().startInstant();
  }

  /** Whether a process of that pid lives here (a zombie does not). */
  static boolean alive(long pid) {
    return alive(pid, null);
  }

  /**
   * Whether the process lives: it exists, is not a zombie, and, when {@code started} is known,
   * started then (within a second), so a reused pid does not count.
   */
  static boolean alive(long pid, @Nullable Instant started) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    Optional<String> stat = read("/proc/" + pid + "/stat");
    if (stat.isPresent()) {
      int close = stat.get().lastIndexOf(')');
      if (close > 0 && close + 2 < stat.get().length() && stat.get().charAt(close + 2) == 'Z') {
        return false;
      }
    }
    Optional<Instant> actual = handle.get().info().startInstant();
    return started == null || actual.isEmpty()
        || Duration.between(actual.get(), started).abs().compareTo(Duration.ofSeconds(1)) <= 0;
  }

  private static Optional<String> read(String file) {
    try {
      String s = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
