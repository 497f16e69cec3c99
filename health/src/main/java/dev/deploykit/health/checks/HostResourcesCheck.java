package dev.deploykit.health.checks;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * Checks the local host's resources with OSHI: memory in use, CPU load (the 1-minute load average
 * per logical core) and disk use of a path, each against a {@link Threshold}.
 *
 * <pre>{@code
 * HostResourcesCheck host = HostResourcesCheck.builder()
 *     .memory(Threshold.of(0.85, 0.95))
 *     .cpuLoadPerCore(Threshold.of(1.5, 4.0))
 *     .disk(Path.of("/var/lib/docker"), Threshold.of(0.80, 0.95))
 *     .build();
 * }</pre>
 *
 * <p>The status is the worst of the three; the detail names what crossed a level. Thread-safe.
 */
public final class HostResourcesCheck implements HealthCheck {
  private final Threshold memory;
  private final Threshold cpu;
  private final Path disk;
  private final Threshold diskUse;
  private final GlobalMemory memoryInfo;
  private final CentralProcessor processor;

  private HostResourcesCheck(Builder b) {
    this.memory = b.memory;
    this.cpu = b.cpu;
    this.disk = b.disk;
    this.diskUse = b.diskUse;
    SystemInfo system = new SystemInfo();
    this.memoryInfo = system.getHardware().getMemory();
    this.processor = system.getHardware().getProcessor();
  }

  /** A builder with defaults: memory 0.90/0.97, load per core 2/8, disk of {@code /} 0.85/0.95. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public HealthResult check(CheckContext context) {
    long total = memoryInfo.getTotal();
    long available = memoryInfo.getAvailable();
    double memUsed = total <= 0 ? 0 : (double) (total - available) / total;
    double load = processor.getSystemLoadAverage(1)[0];
    int cores = Math.max(1, processor.getLogicalProcessorCount());
    double loadPerCore = load < 0 ? 0 : load / cores;
    double diskUsed;
    try {
      FileStore store = Files.getFileStore(disk);
      long size = store.getTotalSpace();
      diskUsed = size <= 0 ? 0 : (double) (size - store.getUsableSpace()) / size;
    } catch (IOException e) {
      return HealthResult.down("cannot read disk use of " + disk + ": " + e.getMessage());
    }
    HealthStatus status = HealthStatus.UP;
    List<String> notes = new ArrayList<>();
    status = judge(status, notes, "memory", memUsed, memory, true);
    status = judge(status, notes, "load/core", loadPerCore, cpu, false);
    status = judge(status, notes, "disk " + disk, diskUsed, diskUse, true);
    String summary = String.format(Locale.ROOT, "memory %.0f%%, load/core %.2f, disk %s %.0f%%",
        memUsed * 100, loadPerCore, disk, diskUsed * 100);
    return HealthResult.of(status, notes.isEmpty() ? summary : String.join("; ", notes)
            + " (" + summary + ")")
        .withData("memoryUsed", round(memUsed)).withData("memoryTotalBytes", total)
        .withData("loadPerCore", round(loadPerCore)).withData("cores", cores)
        .withData("diskUsed", round(diskUsed));
  }

  private static HealthStatus judge(HealthStatus status, List<String> notes, String what,
      double value, Threshold t, boolean percent) {
    HealthStatus s = t.status(value);
    if (s != HealthStatus.UP) {
      notes.add(percent
          ? String.format(Locale.ROOT, "%s %.0f%% >= %.0f%%", what, value * 100,
              (s == HealthStatus.DOWN ? t.fail() : t.warn()) * 100)
          : String.format(Locale.ROOT, "%s %.2f >= %.2f", what, value,
              s == HealthStatus.DOWN ? t.fail() : t.warn()));
    }
    return status.worst(s);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /**
   * Settings of a {@link HostResourcesCheck}.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private Threshold memory = Threshold.of(0.90, 0.97);
    private Threshold cpu = Threshold.of(2.0, 8.0);
    private Path disk = Path.of("/");
    private Threshold diskUse = Threshold.of(0.85, 0.95);

    private Builder() {}

    /** Levels for the fraction of memory in use. */
    public Builder memory(Threshold threshold) {
      this.memory = Objects.requireNonNull(threshold, "threshold");
      return this;
    }

    /** Levels for the 1-minute load average divided by the logical cores. */
    public Builder cpuLoadPerCore(Threshold threshold) {
      this.cpu = Objects.requireNonNull(threshold, "threshold");
      return this;
    }

    /** The path whose file system is measured, and its levels of use. */
    public Builder disk(Path path, Threshold threshold) {
      this.disk = Objects.requireNonNull(path, "path");
      this.diskUse = Objects.requireNonNull(threshold, "threshold");
      return this;
    }

    /** The check. */
    public HostResourcesCheck build() {
      return new HostResourcesCheck(this);
    }
  }
}
