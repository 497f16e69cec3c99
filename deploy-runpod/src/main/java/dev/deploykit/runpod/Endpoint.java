package dev.deploykit.runpod;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A serverless endpoint as RunPod reports it. Only the names of its environment are kept.
 *
 * @param id RunPod's id, which the invocation API takes
 * @param name its name
 * @param image the workers' image
 * @param registryId the registry credential, or null
 * @param envKeys the names of its environment variables
 * @param gpuPools the GPU pools
 * @param workersMin always-on workers
 * @param workersMax the most workers
 * @param idleTimeoutSeconds seconds an idle worker stays, or null when RunPod leaves it out
 * @param scaling the scaler
 * @param flashboot the flashboot mode
 * @param timeoutMillis a job's longest execution
 * @param healthUrl the invocation API's health URL RunPod gave, or null
 */
public record Endpoint(String id, String name, @Nullable String image, @Nullable String registryId,
    Set<String> envKeys, List<String> gpuPools, int workersMin, int workersMax,
    @Nullable Integer idleTimeoutSeconds, @Nullable Scaling scaling, String flashboot,
    long timeoutMillis, @Nullable String healthUrl) {
  public Endpoint {
    envKeys = Set.copyOf(envKeys);
    gpuPools = List.copyOf(gpuPools);
  }
}
