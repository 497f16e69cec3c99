package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.engine.PortMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's probe rules, from Java: defaults as the Compose reader's, errors in Java's names. */
class ProbeRulesTest {

  @Test
  void defaultsFollowTheRoleAndTheHealthPath() {
    assertThat(Service.builder("db").image("postgres:18.1").build().deploy().probe()).isEqualTo(Probe.CONTAINER);
    assertThat(ServiceDeploy.of(Role.WEB).probe()).isEqualTo(Probe.HTTP);
    assertThat(ServiceDeploy.of(Role.WORKER).withHealth("/up", 9000).probe()).isEqualTo(Probe.HTTP);
    assertThat(ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.OLLAMA).withRole(Role.WORKER).probe())
        .as("a declared probe survives a change of role").isEqualTo(Probe.OLLAMA);
  }

  @Test
  void anHttpProbeNeedsAHealthPathAndAWebServiceAnHttpProbe() {
    assertThatThrownBy(() -> Service.builder("api").image("api:1")
        .deploy(ServiceDeploy.of(Role.WORKER).withProbe(Probe.HTTP)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an HTTP probe needs a healthPath");
    assertThatThrownBy(() -> Service.builder("app").image("app:1").deploy(ServiceDeploy.of(Role.WEB)).build())
        .hasMessageContaining("a web service needs a healthPath");
    assertThatThrownBy(() -> ServiceDeploy.of(Role.WEB).withProbe(Probe.TCP))
        .hasMessageContaining("a web service's probe is HTTP");
  }

  @Test
  void aCycleBuiltInJavaIsRefusedByTheStack() {
    Service a = Service.builder("a").image("a:1").dependsOn(new Dependency("b", Dependency.Condition.SERVICE_STARTED)).build();
    Service b = Service.builder("b").image("b:1").dependsOn(new Dependency("a", Dependency.Condition.SERVICE_STARTED))
        .port(new PortMapping(null, null, 80, "tcp")).build();
    assertThatThrownBy(() -> new Stack("shop", List.of(a, b), StackSettings.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a -> b -> a").hasMessageContaining("dependsOn");
  }
}
