/**
 * An in-memory engine double of {@link dev.deploykit.core.engine.DockerHost} for fast tests of
 * the release engine's decisions: {@link dev.deploykit.core.testing.FakeDockerHost} holds
 * containers, networks, volumes, files, images and a fake HAProxy, serves health endpoints and
 * the proxy's Runtime API on real loopback ports, and lets a test script what goes wrong (a
 * container that exits at boot, a probe that fails from 2 s on, a run that dies after an event).
 * {@link dev.deploykit.core.testing.DockerHostContract} holds the expectations every transport
 * must meet. Published in deploy-core's test-jar.
 */
@NullMarked
package dev.deploykit.core.testing;

import org.jspecify.annotations.NullMarked;
