/**
 * Built-in {@link dev.deploykit.health.HealthCheck}s: {@link
 * dev.deploykit.health.checks.HttpCheck}, {@link dev.deploykit.health.checks.PostgresCheck},
 * {@link dev.deploykit.health.checks.WorkerHeartbeatCheck}, {@link
 * dev.deploykit.health.checks.WorkerLogCheck}, {@link dev.deploykit.health.checks.OllamaCheck},
 * {@link dev.deploykit.health.checks.RunPodCheck}, {@link
 * dev.deploykit.health.checks.DockerContainerCheck}, {@link
 * dev.deploykit.health.checks.DockerNetworkCheck}, {@link
 * dev.deploykit.health.checks.HostResourcesCheck}, {@link
 * dev.deploykit.health.checks.DockerEngineCheck} and {@link dev.deploykit.health.checks.TcpCheck}.
 *
 * <p>Every check answers DOWN with a one-line reason (never an exception) for the failures it
 * meets: unresolvable host, refused port, a server that never answers or never finishes, TLS
 * handshake failure, wrong password, malformed JSON, a Docker engine that is down. No check puts
 * a password, token or credential-bearing URL in a detail, in data or in a log line.
 *
 * <p>Checks that keep a connection (HTTP, PostgreSQL) are {@link java.lang.AutoCloseable}; whoever
 * builds one closes it. Docker checks take a {@code DockerClient} from the caller and never close
 * it.
 */
@NullMarked
package dev.deploykit.health.checks;

import org.jspecify.annotations.NullMarked;
