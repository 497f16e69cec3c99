package dev.deploykit.health;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HealthCheck} as the runner sees it: its name, whether it is critical, its timeout, the
 * groups it belongs to, and optionally a refresh period for background mode.
 *
 * <pre>{@code
 * CheckSpec db = CheckSpec.of("db", postgresCheck)
 *     .timeout(Duration.ofMillis(500))
 *     .groups("readiness", "startup");
 * CheckSpec llm = CheckSpec.of("llm-generate", ollamaGenerate)
 *     .critical(false)
 *     .background(Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Defaults: critical, a 2 s timeout, no group (runs only when all checks run), no background
 * refresh. A critical check decides the overall status; a non-critical one can only make it
 * {@link HealthStatus#DEGRADED}.
 *
 * <p>Immutable and thread-safe; every setter returns a modified copy.
 */
public final class CheckSpec {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  private final String name;
  private final HealthCheck check;
  private final boolean critical;
  private final Duration timeout;
  private final Set<String> groups;
  private final @Nullable Duration refreshPeriod;
  private final boolean platformThread;

  private CheckSpec(String name, HealthCheck check, boolean critical, Duration timeout,
      Set<String> groups, @Nullable Duration refreshPeriod, boolean platformThread) {
    this.name = name;
    this.check = check;
    this.critical = critical;
    this.timeout = timeout;
    this.groups = groups;
    this.refreshPeriod = refreshPeriod;
    this.platformThread = platformThread;
  }

  /**
   * A critical check named {@code name} with a 2 s timeout.
   *
   * @throws IllegalArgumentException if {@code name} is not 1 to 64 letters, digits, {@code
   *     . _ : -}, starting with a letter or digit
   */
  public static CheckSpec of(String name, HealthCheck check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name must be 1-64 of [A-Za-z0-9._:-]: '" + name + "'");
    }
    return new CheckSpec(name, check, true, Duration.ofSeconds(2), Set.of(), null, false);
  }

  /** A copy that is critical or not. */
  public CheckSpec critical(boolean critical) {
    return new CheckSpec(name, check, critical, timeout, groups, refreshPeriod, platformThread);
  }

  /**
   * A copy with another timeout.
   *
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public CheckSpec timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return new CheckSpec(name, check, critical, timeout, groups, refreshPeriod, platformThread);
  }

  /**
   * A copy that belongs to exactly {@code groups} (for example {@code liveness}, {@code
   * readiness}, {@code startup}).
   *
   * @throws IllegalArgumentException if a group name is blank
   */
  public CheckSpec groups(String... groups) {
    Set<String> copy = new TreeSet<>();
    for (String g : Arrays.asList(groups)) {
      if (Objects.requireNonNull(g, "group").isBlank()) {
        throw new IllegalArgumentException("groups must not be blank");
      }
      copy.add(g);
    }
    return new CheckSpec(name, check, critical, timeout, Set.copyOf(copy), refreshPeriod,
        platformThread);
  }

  /**
   * A copy refreshed in the background every {@code period}: runs serve its last result with its
   * age instead of running it (for expensive checks such as a model generation).
   *
   * @throws IllegalArgumentException if {@code period} is zero or negative
   */
  public CheckSpec background(Duration period) {
    Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    return new CheckSpec(name, check, critical, timeout, groups, period, platformThread);
  }

  /**
   * A copy that runs on a platform thread instead of a virtual one. For checks whose I/O blocks
   * in native code, which pins a virtual thread to its carrier and starves the other checks of
   * carriers: docker-java's Unix-socket transport reads through JNA, so Docker checks are the
   * usual case.
   */
  public CheckSpec platformThread(boolean platformThread) {
    return new CheckSpec(name, check, critical, timeout, groups, refreshPeriod, platformThread);
  }

  /** Whether the check runs on a platform thread. */
  public boolean onPlatformThread() {
    return platformThread;
  }

  /** The name, unique within a runner; the component key in reports. */
  public String name() {
    return name;
  }

  /** The check. */
  public HealthCheck check() {
    return check;
  }

  /** Whether the check decides the overall status. */
  public boolean isCritical() {
    return critical;
  }

  /** How long one run may take. */
  public Duration timeout() {
    return timeout;
  }

  /** The groups this check belongs to (sorted, may be empty). */
  public Set<String> groups() {
    return groups;
  }

  /** The background refresh period, if the check runs in background mode. */
  public Optional<Duration> refreshPeriod() {
    return Optional.ofNullable(refreshPeriod);
  }

  @Override
  public String toString() {
    return "CheckSpec[" + name + (critical ? ", critical" : "") + ", timeout=" + timeout
        + (groups.isEmpty() ? "" : ", groups=" + groups)
        + (refreshPeriod == null ? "" : ", background=" + refreshPeriod)
        + (platformThread ? ", platform thread" : "") + "]";
  }
}
