package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.VolumeMount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of the entry points run as written. */
class JavadocExamplesTest {

  @Test
  void serviceExample() {
    Service db = Service.builder("db")
        .image("postgres:18.1")
        .environment(Map.of("POSTGRES_DB", "app"))
        .volume(new VolumeMount("volume", "pgdata", "/var/lib/postgresql", false))
        .deploy(ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.POSTGRES))
        .build();
    Service app = Service.builder("app")
        .image("registry.example.com/app:1.4.2")
        .port(new PortMapping(null, null, 8080, "tcp"))
        .deploy(ServiceDeploy.of(Role.WEB).withHealth("/up", 8080))
        .dependsOn(new Dependency("db", Dependency.Condition.SERVICE_HEALTHY))
        .build();
    Service changed = app.newBuilder().image("registry.example.com/app:1.4.3").build();

    assertThat(db.role()).isEqualTo(Role.ACCESSORY);
    assertThat(db.probePort()).contains(5432);
    assertThat(changed).isNotEqualTo(app);
    assertThat(changed.newBuilder().image(app.image()).build()).isEqualTo(app);
  }

  @Test
  void stackExample() {
    Service db = Service.builder("db").image("postgres:18.1")
        .deploy(ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.POSTGRES)).build();
    Service app = Service.builder("app").image("registry.example.com/shop/app:1.4.2")
        .port(new PortMapping(null, null, 8080, "tcp"))
        .deploy(ServiceDeploy.of(Role.WEB).withHealth("/up", 8080))
        .dependsOn(new Dependency("db", Dependency.Condition.SERVICE_HEALTHY)).build();
    Stack stack = new Stack("shop", List.of(db, app), StackSettings.defaults().withProxyPort(8080));
    stack.requireReleasable();
    Stack next = stack.withImages(Map.of("app", "registry.example.com/shop/app:1.4.3"));

    assertThat(next.service("app").orElseThrow().image()).isEqualTo("registry.example.com/shop/app:1.4.3");
    assertThat(next.inStartOrder(Role.ACCESSORY)).containsExactly(db);
  }
}
