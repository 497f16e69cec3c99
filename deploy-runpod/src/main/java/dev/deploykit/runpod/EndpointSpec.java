package dev.deploykit.runpod;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a queue-based serverless endpoint should be. RunPod bills workers while they run: {@code
 * workersMin} are always on; up to {@code workersMax} start as {@link Scaling} says and stop
 * after {@code idleTimeoutSeconds} without a job.
 *
 * <p>{@link #toString()} shows the environment's keys, never its values. Thread safety:
 * immutable.
 *
 * @param name the endpoint's name, its identity for deploykit (one endpoint per name)
 * @param image the worker image, as the registry serves it
 * @param registryId the registry credential's id for a private image, or null
 * @param env the workers' environment (values may be secrets: never printed)
 * @param gpuPools GPU pool ids ({@code ADA_24}, {@code AMPERE_16}, ...), in order of preference
 * @param gpuCount GPUs per worker
 * @param workersMin always-on workers
 * @param workersMax the most workers
 * @param idleTimeoutSeconds seconds an idle worker stays (1-3600)
 * @param scaling when workers are added
 * @param flashboot {@code OFF}, {@code FLASHBOOT} or {@code PRIORITY_FLASHBOOT}
 * @param timeoutMillis a job's longest execution
 */
public record EndpointSpec(String name, String image, @Nullable String registryId,
    Map<String, String> env, List<String> gpuPools, int gpuCount, int workersMin, int workersMax,
    int idleTimeoutSeconds, Scaling scaling, String flashboot, long timeoutMillis) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /**
   * @throws IllegalArgumentException naming the setting that is out of range
   */
  public EndpointSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    env = Map.copyOf(env);
    gpuPools = List.copyOf(gpuPools);
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(flashboot, "flashboot");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("endpoint name " + name + " must be letters, digits, '_',"
          + " '.', '-' (up to 64)");
    }
    if (gpuPools.isEmpty()) {
      throw new IllegalArgumentException("at least one GPU pool is needed (such as ADA_24)");
    }
    if (gpuCount < 1) {
      throw new IllegalArgumentException("gpu count must be at least 1, was " + gpuCount);
    }
    if (workersMin < 0 || workersMax < 0 || workersMin > workersMax) {
      throw new IllegalArgumentException("workers must be 0 <= min <= max, were min " + workersMin
          + ", max " + workersMax);
    }
    if (idleTimeoutSeconds < 1 || idleTimeoutSeconds > 3600) {
      throw new IllegalArgumentException("idle timeout must be 1-3600 s, was " + idleTimeoutSeconds);
    }
    if (!List.of("OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT").contains(flashboot)) {
      throw new IllegalArgumentException("flashboot must be OFF, FLASHBOOT or PRIORITY_FLASHBOOT, was "
          + flashboot);
    }
    if (timeoutMillis < 1000) {
      throw new IllegalArgumentException("execution timeout must be at least 1 s, was "
          + timeoutMillis + " ms");
    }
  }

  /**
   * RunPod's defaults for the rest: pool {@code ADA_24}, one GPU, 0 to 3 workers, 10 s idle,
   * queue delay 4 s, flashboot off, 300 s per job.
   */
  public static EndpointSpec of(String name, String image) {
    return new EndpointSpec(name, image, null, Map.of(), List.of("ADA_24"), 1, 0, 3, 10,
        Scaling.queueDelay(4), "OFF", 300_000);
  }

  public EndpointSpec withImage(String newImage) {
    return new EndpointSpec(name, newImage, registryId, env, gpuPools, gpuCount, workersMin,
        workersMax, idleTimeoutSeconds, scaling, flashboot, timeoutMillis);
  }

  public EndpointSpec withRegistryId(@Nullable String id) {
    return new EndpointSpec(name, image, id, env, gpuPools, gpuCount, workersMin, workersMax,
        idleTimeoutSeconds, scaling, flashboot, timeoutMillis);
  }

  public EndpointSpec withEnv(Map<String, String> newEnv) {
    return new EndpointSpec(name, image, registryId, newEnv, gpuPools, gpuCount, workersMin,
        workersMax, idleTimeoutSeconds, scaling, flashboot, timeoutMillis);
  }

  public EndpointSpec withGpuPools(List<String> pools) {
    return new EndpointSpec(name, image, registryId, env, pools, gpuCount, workersMin, workersMax,
        idleTimeoutSeconds, scaling, flashboot, timeoutMillis);
  }

  public EndpointSpec withWorkers(int min, int max, int idleTimeout) {
    return new EndpointSpec(name, image, registryId, env, gpuPools, gpuCount, min, max,
        idleTimeout, scaling, flashboot, timeoutMillis);
  }

  public EndpointSpec withScaling(Scaling newScaling) {
    return new EndpointSpec(name, image, registryId, env, gpuPools, gpuCount, workersMin,
        workersMax, idleTimeoutSeconds, newScaling, flashboot, timeoutMillis);
  }

  public EndpointSpec withFlashboot(String mode) {
    return new EndpointSpec(name, image, registryId, env, gpuPools, gpuCount, workersMin,
        workersMax, idleTimeoutSeconds, scaling, mode, timeoutMillis);
  }

  public EndpointSpec withTimeoutMillis(long millis) {
    return new EndpointSpec(name, image, registryId, env, gpuPools, gpuCount, workersMin,
        workersMax, idleTimeoutSeconds, scaling, flashboot, millis);
  }

  @Override
  public String toString() {
    return "EndpointSpec[name=" + name + ", image=" + image + ", registryId=" + registryId
        + ", env keys=" + new java.util.TreeSet<>(env.keySet()) + ", gpuPools=" + gpuPools
        + ", gpuCount=" + gpuCount + ", workers=" + workersMin + ".." + workersMax + ", idle="
        + idleTimeoutSeconds + "s, scaling=" + scaling + ", flashboot=" + flashboot
        + ", timeout=" + timeoutMillis + "ms]";
  }
}
