/**
 * deploykit's release engine. The stack model ({@link dev.deploykit.core.Stack}, read from a
 * Compose file by {@link dev.deploykit.core.ComposeFile} or built in Java) comes first; the Docker
 * host, the proxy switch and the release protocol build on it. {@link dev.deploykit.core.Deployer}
 * is the entry point:
 *
 * <pre>{@code
 * try (DockerHost host = DockerHost.local()) {
 *   DeployResult result = Deployer.builder(host).build().deploy(ComposeFile.load(Path.of("compose.yaml")));
 * }
 * }</pre>
 *
 * <p>Values (stacks, services, settings, releases, events, results) are immutable; builders are
 * not thread safe; a {@code Deployer} may be shared between threads.
 */
@NullMarked
package dev.deploykit.core;

import org.jspecify.annotations.NullMarked;
