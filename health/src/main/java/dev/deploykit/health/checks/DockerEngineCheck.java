package dev.deploykit.health.checks;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import dev.deploykit.health.internal.DockerFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks the resources of the Docker engine's host (which may be remote) from the engine's own
 * {@code /info}: it answers, and it has at least the memory and CPUs the stack needs.
 *
 * <pre>{@code
 * DockerEngineCheck engine = DockerEngineCheck.builder(docker)
 *     .minMemoryBytes(2L << 30).minCpus(2).build();
 * }</pre>
 *
 * <p>DOWN when the engine is unreachable or has less memory or fewer CPUs than required. Takes
 * the {@link DockerClient} from the caller and never closes it. Immutable and thread-safe if the
 * client is.
 */
public final class DockerEngineCheck implements HealthCheck {
  private final DockerClient docker;
  private final long minMemory;
  private final int minCpus;

  private DockerEngineCheck(Builder b) {
    this.docker = b.docker;
    this.minMemory = b.minMemory;
    this.minCpus = b.minCpus;
  }

  /** A builder with no minimum. */
  public static Builder builder(DockerClient docker) {
    return new Builder(docker);
  }

  @Override
  public HealthResult check(CheckContext context) {
    Info info;
    try {
      info = docker.infoCmd().exec();
    } catch (RuntimeException e) {
      return HealthResult.down(DockerFailures.describe(e));
    }
    long mem = info.getMemTotal() == null ? 0 : info.getMemTotal();
    int cpus = info.getNCPU() == null ? 0 : info.getNCPU();
    int running = info.getContainersRunning() == null ? 0 : info.getContainersRunning();
    String version = info.getServerVersion() == null ? "?" : info.getServerVersion();
    List<String> problems = new ArrayList<>();
    if (mem < minMemory) {
      problems.add("memory " + (mem >> 20) + " MiB < " + (minMemory >> 20) + " MiB");
    }
    if (cpus < minCpus) {
      problems.add(cpus + " CPUs < " + minCpus);
    }
    String summary = "Docker " + version + ", " + cpus + " CPUs, " + (mem >> 20) + " MiB, "
        + running + " running";
    return HealthResult.of(problems.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN,
            problems.isEmpty() ? summary : String.join("; ", problems) + " (" + summary + ")")
        .withData("serverVersion", version).withData("cpus", cpus)
        .withData("memoryTotalBytes", mem).withData("containersRunning", running);
  }

  /**
   * Settings of a {@link DockerEngineCheck}.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final DockerClient docker;
    private long minMemory;
    private int minCpus;

    private Builder(DockerClient docker) {
      this.docker = Objects.requireNonNull(docker, "docker");
    }

    /**
     * The least total memory the engine's host must have.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder minMemoryBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("minMemoryBytes must not be negative: " + bytes);
      }
      this.minMemory = bytes;
      return this;
    }

    /**
     * The fewest CPUs the engine's host must have.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder minCpus(int cpus) {
      if (cpus < 0) {
        throw new IllegalArgumentException("minCpus must not be negative: " + cpus);
      }
      this.minCpus = cpus;
      return this;
    }

    /** The check. */
    public DockerEngineCheck build() {
      return new DockerEngineCheck(this);
    }
  }
}
