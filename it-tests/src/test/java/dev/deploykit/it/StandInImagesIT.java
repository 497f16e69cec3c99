package dev.deploykit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.deploykit.images.ImageSource;
import dev.deploykit.images.Recipe;
import dev.deploykit.images.RecipeInput;
import dev.deploykit.images.Recipes;
import dev.deploykit.images.StandInImages;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;

/** Stand-ins are built once, rebuilt only when an input changes, and the Java runtime works. */
@ExtendWith(DockerRequired.class)
class StandInImagesIT {
  private final DockerClient docker = DockerClientFactory.instance().client();

  @Test
  void anImageIsRebuiltExactlyWhenItsInputsChange(@TempDir Path tmp) throws Exception {
    String name = "deploykit.local/it-probe:" + UUID.randomUUID().toString().substring(0, 8);
    Path marker = tmp.resolve("marker.txt");
    Files.writeString(marker, "first");
    Recipe probe = new Recipe(name, null, "dev/deploykit/it/recipes/probe",
        List.of("Dockerfile"), List.of(RecipeInput.file("marker.txt", marker)),
        Recipes.DEBIAN_TRIXIE);
    try {
      String first = imageId(newResolver().build(probe));
      String again = imageId(newResolver().build(probe));
      assertThat(again).as("same inputs, a new resolver: reused").isEqualTo(first);

      Files.writeString(marker, "second");
      String changed = imageId(newResolver().build(probe));
      assertThat(changed).as("changed input: rebuilt").isNotEqualTo(first);
      assertThat(docker.inspectImageCmd(name).exec().getConfig().getLabels())
          .containsKey(StandInImages.INPUTS_LABEL);
    } finally {
      try {
        docker.removeImageCmd(name).withForce(true).exec();
      } catch (NotFoundException ignored) {
        // Nothing was built.
      }
    }
  }

  @Test
  void underAutoAStandInBuiltBeforeIsReusedWithoutAskingTheRegistryAgain() {
    String official = Recipes.HAPROXY_3_0.official().orElseThrow();
    org.junit.jupiter.api.Assumptions.assumeTrue(!present(official),
        "the official image is on this engine: auto uses it unchanged");
    String built = StandInImages.builder(docker).source(ImageSource.LOCAL).build().build(Recipes.HAPROXY_3_0);

    dev.deploykit.images.Resolution again = StandInImages.builder(docker).source(ImageSource.AUTO).build()
        .resolve(official);

    assertThat(again.standIn()).isTrue();
    assertThat(again.image()).isEqualTo(built);
    assertThat(again.reason()).contains("built on this engine before", "not asked again", "=official");
  }

  private boolean present(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Test
  void theJavaRuntimeBaseRunsJava21OrNewer() {
    String image = StandInImageSubstitutor.resolve("eclipse-temurin:21-jre");
    try (GenericContainer<?> java = new GenericContainer<>(image)
        .withCommand("java", "-XshowSettings:properties", "-version")
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(1)))) {
      java.start();
      String output = java.getLogs();
      String version = output.lines().filter(l -> l.contains("java.specification.version"))
          .findFirst().orElseThrow(() -> new AssertionError("no version in:\n" + output));
      assertThat(Integer.parseInt(version.replaceAll("\\D+", ""))).isGreaterThanOrEqualTo(21);
    }
  }

  private StandInImages newResolver() {
    return StandInImages.builder(docker).source(ImageSource.fromSystemProperties()).build();
  }

  private String imageId(String image) {
    return docker.inspectImageCmd(image).exec().getId();
  }
}
