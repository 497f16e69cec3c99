package dev.deploykit.it.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectImageResponse;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.ollama.OllamaContainer;

/** The image itself: what substitution picks, how it is configured, and how it stops. */
@ExtendWith(DockerRequired.class)
class OllamaStandInIT {

  @Test
  void substitutionFindsTheRecipeAndTheImageIsConfiguredLikeOllamas() {
    assertThat(Recipes.forOfficial(OllamaImages.OLLAMA.asCanonicalNameString())).contains(Recipes.OLLAMA);
    String image = StandInImageSubstitutor.resolve(OllamaImages.OLLAMA.asCanonicalNameString());
    InspectImageResponse inspected = DockerClientFactory.instance().client().inspectImageCmd(image).exec();
    if (image.equals(Recipes.OLLAMA.localName())) {
      assertThat(inspected.getConfig().getExposedPorts()).extracting(Object::toString).contains("11434/tcp");
      // Ollama's image has no HEALTHCHECK: neither has the stand-in (nor one from its base).
      assertThat(inspected.getConfig().getHealthcheck()).isNull();
      assertThat(inspected.getConfig().getEnv()).contains("OLLAMA_HOST=0.0.0.0:11434");
    }
  }

  @Test
  void itsOllamaCommandWorksInsideTheContainerAsWithOllamasImage() throws Exception {
    try (OllamaContainer ollama = OllamaImages.started()) {
      Container.ExecResult list = ollama.execInContainer("ollama", "list");
      assertThat(list.getExitCode()).as(list.getStderr()).isZero();
      assertThat(list.getStdout()).contains("tiny:latest");
      Container.ExecResult pull = ollama.execInContainer("ollama", "pull", "tiny");
      assertThat(pull.getExitCode()).as(pull.getStderr()).isZero();
      assertThat(pull.getStdout().strip()).endsWith("success");
      Container.ExecResult missing = ollama.execInContainer("ollama", "pull", "all-minilm");
      assertThat(missing.getExitCode()).isEqualTo(1);
      assertThat(missing.getStderr()).contains("pull model manifest: file does not exist");
    }
  }

  @Test
  void endsCleanlyAndAtOnceOnSigterm() {
    try (OllamaContainer ollama = OllamaImages.started()) {
      // Exit code 0 means the server ended itself on SIGTERM; a process docker had to kill after
      // the 10 s grace period would show 137.
      assertThat(OllamaImages.stopWithSigterm(ollama)).isZero();
    }
  }
}
