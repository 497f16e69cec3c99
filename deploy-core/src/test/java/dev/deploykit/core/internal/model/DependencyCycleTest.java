package dev.deploykit.core.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyCycleTest {

  @Test
  void noCycleInATreeOrADiamond() {
    assertThat(DependencyCycle.find(graph("app", "db,cache", "worker", "db", "db", "", "cache", "db"))).isEmpty();
  }

  @Test
  void theFirstCycleMetInMapOrderIsNamedFromWhereItCloses() {
    assertThat(DependencyCycle.find(graph("db", "", "a", "db,b", "b", "c", "c", "a")))
        .containsExactly("a", "b", "c", "a");
    assertThat(DependencyCycle.find(graph("x", "b", "a", "b", "b", "a")))
        .as("entered from x, the circle is still a and b only").containsExactly("b", "a", "b");
  }

  @Test
  void aServiceThatDependsOnItselfIsACycleOfOne() {
    assertThat(DependencyCycle.find(graph("a", "a"))).containsExactly("a", "a");
  }

  @Test
  void namesThatAreNotServicesAreIgnored() {
    assertThat(DependencyCycle.find(graph("a", "missing"))).isEmpty();
  }

  /** Pairs of a service and its comma-separated dependencies, in order. */
  private static Map<String, List<String>> graph(String... pairs) {
    Map<String, List<String>> graph = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      graph.put(pairs[i], pairs[i + 1].isEmpty() ? List.of() : List.of(pairs[i + 1].split(",")));
    }
    return graph;
  }
}
