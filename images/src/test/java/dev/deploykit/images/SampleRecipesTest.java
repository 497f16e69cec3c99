package dev.deploykit.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.sample.common.ClassPath;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleRecipesTest {

  @Test
  void theVersionIsTheTagAndABuildArgument() {
    Recipe v2 = Recipes.sampleApp("v2");
    assertThat(v2.localName()).isEqualTo("deploykit.local/sample-app:v2");
    assertThat(v2.official()).isEmpty();
    assertThat(v2.buildArgs()).containsEntry("APP_VERSION", "v2").containsEntry("SAMPLE_FAULT", "");
    assertThat(v2.baseRecipe()).contains(Recipes.JAVA_RUNTIME_21);
    assertThat(Recipes.sampleApp("v4-exits", "exit-at-boot").buildArgs())
        .containsEntry("SAMPLE_FAULT", "exit-at-boot");
    Recipe worker = Recipes.sampleWorker("v3");
    assertThat(worker.localName()).isEqualTo("deploykit.local/sample-worker:v3");
    assertThat(worker.buildArgs()).isEqualTo(Map.of("APP_VERSION", "v3"));
    assertThat(Recipes.forOfficial("deploykit.local/sample-app:v2")).isEmpty();
  }

  @Test
  void refusesAVersionThatIsNoTag() {
    assertThatThrownBy(() -> Recipes.sampleApp("v 2")).hasMessageContaining("not a valid image tag");
    assertThatThrownBy(() -> Recipes.sampleWorker("-v2")).hasMessageContaining("not a valid image tag");
    assertThatThrownBy(() -> new Recipe("x/y:1", null, "d", List.of("Dockerfile"), List.of(), null,
        Map.of("BASE_IMAGE", "z"))).hasMessageContaining("BASE_IMAGE");
  }

  @Test
  void theDockerfilesTakeTheirArgumentsAndTheClassPathCarriesTheApps() throws Exception {
    Path common = ClassPath.of(ClassPath.class).getFirst();
    for (Recipe recipe : List.of(Recipes.sampleApp("v1"), Recipes.sampleWorker("v1"))) {
      String dockerfile;
      try (InputStream in = getClass()
          .getResourceAsStream("/" + recipe.directory() + "/Dockerfile")) {
        assertThat(in).as(recipe.directory()).isNotNull();
        dockerfile = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(dockerfile).contains("ARG BASE_IMAGE").contains("FROM ${BASE_IMAGE}");
      for (String arg : recipe.buildArgs().keySet()) {
        assertThat(dockerfile).as(recipe.localName()).contains("ARG " + arg);
      }
      RecipeInput.ClassPathEntries lib = (RecipeInput.ClassPathEntries) recipe.inputs().getFirst();
      assertThat(lib.entries().get()).anySatisfy(p -> assertThat(p.toString()).contains("postgresql"));
      // The app's or the worker's classes, the samples' common classes (deploykit-sample-common)
      // and pgjdbc: an image without the common jar would not start.
      assertThat(lib.entries().get()).as(recipe.localName()).hasSize(3).contains(common);
    }
  }
}
