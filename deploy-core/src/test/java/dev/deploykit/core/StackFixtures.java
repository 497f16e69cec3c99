package dev.deploykit.core;

import java.util.List;
import java.util.Map;

/** The stack the health and inspection tests share, and the labels deploykit would put on it. */
final class StackFixtures {
  static final String STACK = "shop";

  private StackFixtures() {}

  static Service web() {
    return Service.builder("app").image("shop/app:1").deploy(ServiceDeploy.of(Role.WEB).withHealth("/up", 8080)).build();
  }

  static Service worker() {
    return Service.builder("worker").image("shop/worker:1").deploy(ServiceDeploy.of(Role.WORKER)).build();
  }

  static Service accessory(String name, String image, Probe probe) {
    return Service.builder(name).image(image).deploy(ServiceDeploy.of(Role.ACCESSORY).withProbe(probe)).build();
  }

  static Stack stack(Service... services) {
    return new Stack(STACK, List.of(services), StackSettings.defaults());
  }

  static Map<String, String> service(String service) {
    return Map.of(StackNames.LABEL_STACK, STACK, StackNames.LABEL_SERVICE, service,
        StackNames.LABEL_KIND, StackNames.KIND_APP);
  }

  static Map<String, String> proxy() {
    return StackNames.labels(STACK, StackNames.KIND_PROXY);
  }
}
