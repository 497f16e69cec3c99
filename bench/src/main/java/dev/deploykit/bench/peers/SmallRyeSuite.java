package dev.deploykit.bench.peers;

import dev.deploykit.bench.SuiteCheck;
import dev.deploykit.health.HealthResult;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.registry.HealthRegistries;
import io.smallrye.mutiny.Uni;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jspecify.annotations.Nullable;

/**
 * SmallRye Health's {@link SmallRyeHealthReporter} without CDI, the checks registered by name in
 * a health-group registry ({@link HealthRegistries#getHealthGroupRegistry(String)}, then {@link
 * HealthRegistry#register}) and read with {@link SmallRyeHealthReporter#getHealthGroup(String)}.
 *
 * <p>Two ways to wrap a check: {@link Mode#SYNC}, a MicroProfile {@link HealthCheck} (what most
 * code registers; the reporter calls them one after another on the calling thread, and its
 * whole-run timeout cannot cut a call that blocks that thread); and {@link Mode#ASYNC}, an {@link
 * AsyncHealthCheck} whose {@code Uni} runs on an executor (a cached pool of daemon platform
 * threads) with the check's own deadline ({@code ifNoItem().after(timeout)}), SmallRye's way to
 * run checks concurrently under deadlines.
 */
public final class SmallRyeSuite implements SuiteRunner {
  /** How the checks are wrapped. */
  public enum Mode {
    /** A MicroProfile {@code HealthCheck} each. */
    SYNC,
    /** An {@code AsyncHealthCheck} each, subscribed on an executor, with its deadline. */
    ASYNC
  }

  private static final AtomicInteger GROUPS = new AtomicInteger();

  private final String group = "deploykit-bench-" + GROUPS.incrementAndGet();
  private final HealthRegistry registry = HealthRegistries.getHealthGroupRegistry(group);
  private final List<SuiteCheck> checks;
  private final @Nullable ExecutorService executor;
  private final SmallRyeHealthReporter reporter;

  /** The reporter over {@code checks}, wrapped as {@code mode} says. */
  public SmallRyeSuite(List<SuiteCheck> checks, Mode mode) {
    this.checks = List.copyOf(checks);
    this.executor = mode == Mode.ASYNC
        ? Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("smallrye-", 0)
            .factory())
        : null;
    for (SuiteCheck c : checks) {
      if (executor == null) {
        registry.register(c.name(), (HealthCheck) () -> response(c));
      } else {
        registry.register(c.name(), async(c, executor));
      }
    }
    this.reporter = new SmallRyeHealthReporter();
  }

  private static AsyncHealthCheck async(SuiteCheck c, ExecutorService executor) {
    return () -> Uni.createFrom().item(() -> response(c)).runSubscriptionOn(executor)
        .ifNoItem().after(c.timeout())
        .recoverWithItem(() -> HealthCheckResponse.named(c.name()).down()
            .withData("detail", "timed out").build());
  }

  private static HealthCheckResponse response(SuiteCheck check) {
    try {
      HealthResult r = check.call();
      return HealthCheckResponse.named(check.name()).status(r.isUp())
          .withData("detail", r.detail()).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HealthCheckResponse.named(check.name()).down().withData("detail", "interrupted")
          .build();
    }
  }

  @Override
  public SmallRyeHealth run() {
    return reporter.getHealthGroup(group);
  }

  @Override
  public Outcome outcome() {
    JsonObject payload = run().getPayload();
    Map<String, String> byName = new LinkedHashMap<>();
    for (JsonValue v : payload.getJsonArray("checks")) {
      JsonObject check = v.asJsonObject();
      byName.put(check.getString("name"), check.getString("status"));
    }
    return new Outcome(payload.getString("status"), byName);
  }

  @Override
  public void close() {
    for (SuiteCheck c : checks) {
      registry.remove(c.name());
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
