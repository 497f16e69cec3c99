package dev.deploykit.health;

import dev.deploykit.health.internal.ReportRenderer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of one {@link HealthRunner} run: the overall status (the worst critical check;
 * non-critical checks can lower it to {@link HealthStatus#DEGRADED} at most), every check's
 * {@link ComponentHealth} in registration order, when the run started and how long it took.
 *
 * <pre>{@code
 * HealthReport report = runner.run("readiness");
 * if (report.status() != HealthStatus.UP) {
 *   System.err.println(report.toText());
 * }
 * httpExchange.getResponseHeaders().set("Content-Type", HealthReport.MEDIA_TYPE);
 * byte[] body = report.toJson().getBytes(StandardCharsets.UTF_8);
 * }</pre>
 *
 * <p>Neither rendering holds a secret: checks put no secret in their details or data, and URLs
 * are shown without credentials or query strings.
 *
 * <p>Immutable and thread-safe.
 *
 * @param status the overall status
 * @param checks every check's line, in registration order
 * @param startedAt when the run started (wall clock)
 * @param duration how long the run took
 */
public record HealthReport(
    HealthStatus status, List<ComponentHealth> checks, Instant startedAt, Duration duration) {

  /** The media type of {@link #toJson()}. */
  public static final String MEDIA_TYPE = "application/health+json";

  /** Validates and copies. */
  public HealthReport {
    Objects.requireNonNull(status, "status");
    checks = List.copyOf(checks);
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
  }

  /**
   * The overall status of {@code checks}: the worst critical status; a non-critical check that is
   * not UP makes it at most DEGRADED. UP when there are no checks.
   */
  public static HealthStatus overall(List<ComponentHealth> checks) {
    HealthStatus status = HealthStatus.UP;
    for (ComponentHealth c : checks) {
      HealthStatus s = c.status();
      if (!c.critical() && s == HealthStatus.DOWN) {
        s = HealthStatus.DEGRADED;
      }
      status = status.worst(s);
    }
    return status;
  }

  /** The line of the check named {@code name}. */
  public Optional<ComponentHealth> check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /**
   * The report in the IETF health-check response format ({@value #MEDIA_TYPE}): {@code status}
   * pass/warn/fail, and {@code checks} keyed by component name, each an array with one object
   * holding {@code status}, {@code observedValue} (latency), {@code observedUnit} ({@code ms}),
   * {@code time}, {@code output} (the detail, for warn and fail) and deploykit's extension
   * fields ({@code critical}, {@code detail}, {@code ageMs}, {@code data}).
   */
  public String toJson() {
    return ReportRenderer.json(this);
  }

  /** The report as a plain-text table for terminals. */
  public String toText() {
    return ReportRenderer.text(this);
  }
}
