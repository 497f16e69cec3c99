package dev.deploykit.cli;

import dev.deploykit.core.RunPodSettings;
import dev.deploykit.core.Stack;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthRunner;
import dev.deploykit.health.CheckSpec;
import dev.deploykit.core.StackHealth;
import dev.deploykit.health.checks.RunPodCheck;
import dev.deploykit.runpod.EndpointClient;
import dev.deploykit.runpod.RunPodApi;
import dev.deploykit.runpod.RunPodException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The stack's RunPod endpoint in {@code deploykit health}: its {@code /health} through
 * {@link RunPodCheck} (a readiness check), added to the stack's report when the stack file has
 * {@code x-deploykit.runpod}.
 */
final class RunPodHealth {
  private RunPodHealth() {}

  static HealthReport with(HealthReport report, Stack stack, @Nullable String group,
      UnaryOperator<@Nullable String> env) throws InterruptedException {
    RunPodSettings s = stack.settings().runpod();
    if (s == null || (group != null && !group.equals(StackHealth.READINESS))) {
      return report;
    }
    String endpointName = s.endpoint() != null ? s.endpoint() : stack.name() + "-llm";
    String name = "runpod:" + endpointName;
    String key = env.apply(s.apiKeyEnv());
    List<ComponentHealth> checks = new ArrayList<>(report.checks());
    long t0 = System.nanoTime();
    if (key == null || key.isBlank()) {
      checks.add(down(name, "the RunPod API key variable " + s.apiKeyEnv() + " is not set: export it"));
    } else {
      URI api = url(env.apply(RunPodCommand.API_URL_VARIABLE), RunPodApi.DEFAULT_BASE);
      URI invocation = url(env.apply(RunPodCommand.ENDPOINT_URL_VARIABLE), EndpointClient.DEFAULT_BASE);
      String id = null;
      try (RunPodApi client = RunPodApi.builder(key).baseUrl(api).callTimeout(Duration.ofSeconds(10))
          .rateLimitWait(Duration.ofSeconds(5)).build()) {
        id = client.findEndpoint(endpointName).map(e -> e.id()).orElse(null);
        if (id == null) {
          checks.add(down(name, "RunPod has no endpoint named " + endpointName + ": deploykit runpod up creates it"));
        }
      } catch (RunPodException e) {
        checks.add(down(name, e.getMessage()));
      }
      if (id != null) {
        try (RunPodCheck check = RunPodCheck.builder(invocation, id, key.strip()).build();
            HealthRunner runner = HealthRunner.builder()
                .add(CheckSpec.of(name, check).groups(StackHealth.READINESS).timeout(Duration.ofSeconds(10)))
                .build()) {
          checks.addAll(runner.run().checks());
        }
      }
    }
    return new HealthReport(HealthReport.overall(checks), checks, report.startedAt(),
        report.duration().plusNanos(System.nanoTime() - t0));
  }

  private static ComponentHealth down(String name, String why) {
    return new ComponentHealth(name, true, Set.of(StackHealth.READINESS), HealthResult.down(why),
        Instant.now(), Duration.ZERO);
  }

  private static URI url(@Nullable String value, URI fallback) {
    return value == null || value.isBlank() ? fallback : URI.create(value.strip());
  }
}
