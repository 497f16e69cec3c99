/**
 * The SSH transport of {@link dev.deploykit.core.engine.DockerHost}: one sshj connection per host,
 * the engine's Unix socket reached through {@code direct-streamlocal@openssh.com} channels and
 * bridged to a private local Unix socket that docker-java's own transport uses, container ports
 * reached through {@code direct-tcpip} channels, and host keys checked strictly against
 * known_hosts.
 */
@NullMarked
package dev.deploykit.core.internal.ssh;

import org.jspecify.annotations.NullMarked;
