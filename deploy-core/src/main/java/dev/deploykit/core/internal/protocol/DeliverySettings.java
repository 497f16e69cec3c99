package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.engine.DockerHost;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How a release's images reach the host ({@link ImageDelivery}).
 *
 * @param source the engine to push from, owned by the caller; null: the local engine for a
 *     remote (SSH) host, opened for the step and closed after, and no delivery for any other host
 * @param localRegistryImage the registry image run on the operator's engine when the stack names
 *     no registry
 * @param localRegistryPort its port on the operator's loopback, forwarded to the same port on the
 *     host's loopback during the pulls
 * @param environment where a registry's {@code password_env} is read
 */
public record DeliverySettings(@Nullable DockerHost source, String localRegistryImage, int localRegistryPort,
    Function<String, @Nullable String> environment) {}
