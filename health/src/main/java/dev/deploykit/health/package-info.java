/**
 * Health checks for a whole stack, run concurrently, each under its own deadline.
 *
 * <p>A {@link dev.deploykit.health.HealthCheck} probes one thing and returns a {@link
 * dev.deploykit.health.HealthResult} (UP, DEGRADED or DOWN, with latency, a one-line detail and
 * structured data); it never throws for "unhealthy". A {@link dev.deploykit.health.HealthRunner}
 * runs a set of {@link dev.deploykit.health.CheckSpec}s on virtual threads, cancels what overruns,
 * and returns a {@link dev.deploykit.health.HealthReport} by its deadline, always. Built-in checks
 * live in {@code dev.deploykit.health.checks}; waiting and retrying in {@code
 * dev.deploykit.health.wait}.
 *
 * <pre>{@code
 * try (HealthRunner runner = HealthRunner.builder()
 *     .add(CheckSpec.of("db", PostgresCheck.builder(target).build()).groups("readiness"))
 *     .add(CheckSpec.of("app", HttpCheck.builder(URI.create("http://127.0.0.1:8080/up")).build()))
 *     .deadline(Duration.ofSeconds(2))
 *     .build()) {
 *   HealthReport report = runner.run();
 *   System.out.println(report.toText());
 * }
 * }</pre>
 */
@NullMarked
package dev.deploykit.health;

import org.jspecify.annotations.NullMarked;
