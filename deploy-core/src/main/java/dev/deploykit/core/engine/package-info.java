/**
 * The engine SPI: {@link dev.deploykit.core.engine.DockerHost}, the one interface to a Docker
 * engine that the release protocol uses, and the values it speaks
 * ({@link dev.deploykit.core.engine.ContainerSpec}, {@link dev.deploykit.core.engine.ContainerState},
 * {@link dev.deploykit.core.engine.PortForward}, ...). Implement it to reach an engine another
 * way (a remote host, a test double); use {@link dev.deploykit.core.engine.DockerHost#local()}
 * for the engine on this machine. Values are immutable; a host is safe for concurrent use.
 */
@NullMarked
package dev.deploykit.core.engine;

import org.jspecify.annotations.NullMarked;
