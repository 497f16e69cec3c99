package dev.deploykit.images;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageNamesTest {

  @Test
  void normalizesDockerHubSpellings() {
    assertThat(ImageNames.normalize("postgres")).isEqualTo("postgres:latest");
    assertThat(ImageNames.normalize("index.docker.io/library/postgres:18.1")).isEqualTo("postgres:18.1");
    assertThat(ImageNames.normalize("ollama/ollama:0.5")).isEqualTo("ollama/ollama:0.5");
    assertThat(ImageNames.normalize("localhost:5000/app")).isEqualTo("localhost:5000/app:latest");
  }

  @Test
  void splitsRepositoryAndTag() {
    assertThat(ImageNames.repository("localhost:5000/app:2")).isEqualTo("localhost:5000/app");
    assertThat(ImageNames.tag("localhost:5000/app:2")).isEqualTo("2");
    assertThat(ImageNames.repository("localhost:5000/app")).isEqualTo("localhost:5000/app");
    assertThat(ImageNames.tag("localhost:5000/app")).isEqualTo("latest");
  }
}
