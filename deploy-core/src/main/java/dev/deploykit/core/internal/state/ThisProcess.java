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

  /** When this process started, in clock ticks after boot ({@code /proc/<pid>/stat}), on Linux. */
  static Optional<Long> startTicks() {
    return startTicks(pid());
  }

  /** Whether a process of that pid lives here (a zombie does not). */
  static boolean alive(long pid) {
    return alive(pid, null, null);
  }

  /**
   * Whether the process lives: it exists, is not a zombie, and is the process that started then,
   * so a reused pid does not count. The start is compared in clock ticks after boot where both
   * are known: exact, and blind to the wall clock. An instant is the fallback (within a second);
   * it is derived from the boot time the kernel reports, which moves whenever the wall clock is
   * stepped (NTP on a fresh machine, a resumed VM), so two processes can see one start seconds
   * apart.
   */
  static boolean alive(long pid, @Nullable Long ticks, @Nullable Instant started) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    Optional<String[]> stat = stat(pid);
    if (stat.isPresent() && stat.get().length > 0 && stat.get()[0].equals("Z")) {
      return false;
    }
    Optional<Long> actualTicks = stat.flatMap(ThisProcess::startTicks);
    if (ticks != null && actualTicks.isPresent()) {
      return ticks.equals(actualTicks.get());
    }
    Optional<Instant> actual = handle.get().info().startInstant();
    return started == null || actual.isEmpty()
        || Duration.between(actual.get(), started).abs().compareTo(Duration.ofSeconds(1)) <= 0;
  }

  private static Optional<Long> startTicks(long pid) {
    return stat(pid).flatMap(ThisProcess::startTicks);
  }

  /** Field 22 of {@code stat(5)}, {@code starttime}: the 20th after the command's closing parenthesis. */
  private static Optional<Long> startTicks(String[] afterCommand) {
    if (afterCommand.length < 20) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(afterCommand[19]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The fields of {@code /proc/<pid>/stat} after the command (which may hold spaces), from the state on. */
  private static Optional<String[]> stat(long pid) {
    return read("/proc/" + pid + "/stat").flatMap(s -> {
      int close = s.lastIndexOf(')');
      return close > 0 && close + 2 < s.length()
          ? Optional.of(s.substring(close + 2).trim().split(" +"))
          : Optional.empty();
    });
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
