package dev.deploykit.bench.peers;

import dev.deploykit.bench.SuiteCheck;
import dev.deploykit.health.HealthResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;

/**
 * Spring Boot Actuator's {@link HealthEndpoint} without an application context: each check a
 * {@link HealthIndicator} in a {@link DefaultHealthContributorRegistry}, one primary group that
 * shows every component with its details, as {@code GET /actuator/health} with
 * {@code show-details: always} answers. The endpoint asks its indicators one after another on
 * the calling thread and has no deadline (a slow one is only logged).
 */
public final class ActuatorSuite implements SuiteRunner {
  private final HealthEndpoint endpoint;

  /** The endpoint over {@code checks}, in their order. */
  public ActuatorSuite(List<SuiteCheck> checks) {
    DefaultHealthContributorRegistry registry = new DefaultHealthContributorRegistry();
    for (SuiteCheck c : checks) {
      registry.registerContributor(c.name(), indicator(c));
    }
    this.endpoint = new HealthEndpoint(registry, null,
        HealthEndpointGroups.of(new EveryComponent(), Map.of()), null);
  }

  private static HealthIndicator indicator(SuiteCheck check) {
    return () -> {
      try {
        HealthResult r = check.call();
        return (r.isUp() ? Health.up() : Health.down()).withDetail("detail", r.detail()).build();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Health.down().withDetail("detail", "interrupted").build();
      }
    };
  }

  @Override
  public HealthDescriptor run() {
    return endpoint.health();
  }

  @Override
  public Outcome outcome() {
    HealthDescriptor all = run();
    Map<String, String> checks = new LinkedHashMap<>();
    if (all instanceof CompositeHealthDescriptor composite && composite.getComponents() != null) {
      composite.getComponents().forEach((name, d) -> checks.put(name, d.getStatus().getCode()));
    }
    return new Outcome(all.getStatus().getCode(), checks);
  }

  @Override
  public void close() {}

  /** The primary group: every component, shown with details, default status order. */
  private static final class EveryComponent implements HealthEndpointGroup {
    private final StatusAggregator aggregator = new SimpleStatusAggregator();
    private final HttpCodeStatusMapper codes = new SimpleHttpCodeStatusMapper();

    @Override
    public boolean isMember(String name) {
      return true;
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return true;
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return true;
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return aggregator;
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return codes;
    }

    @Override
    public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
      return null;
    }
  }
}
