/**
 * The health libraries deploykit's runner is measured against, each running the benchmark's
 * suite wrapped as it expects: Spring Boot Actuator's {@code HealthEndpoint} ({@link
 * dev.deploykit.bench.peers.ActuatorSuite}), SmallRye Health's reporter ({@link
 * dev.deploykit.bench.peers.SmallRyeSuite}) and Dropwizard Metrics' health checks ({@link
 * dev.deploykit.bench.peers.DropwizardSuite}). Bench only; never published.
 */
@NullMarked
package dev.deploykit.bench.peers;

import org.jspecify.annotations.NullMarked;
