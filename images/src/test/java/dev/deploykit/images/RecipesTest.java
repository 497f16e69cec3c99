package dev.deploykit.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.llm.OllamaServer;
import org.junit.jupiter.api.Test;

class RecipesTest {

  @Test
  void theOllamaRecipeStandsInForTheOfficialImageOfTheVersionItsServerSpeaks() {
    String official = "ollama/ollama:" + OllamaServer.VERSION;
    assertThat(Recipes.forOfficial(official)).contains(Recipes.OLLAMA);
    assertThat(Recipes.forOfficial("docker.io/" + official)).contains(Recipes.OLLAMA);
    assertThat(Recipes.forOfficial("ollama/ollama:0.0.1")).isEmpty();
    assertThat(Recipes.OLLAMA.localName()).isEqualTo("deploykit.local/ollama:" + OllamaServer.VERSION);
    assertThat(Recipes.OLLAMA.baseRecipe()).contains(Recipes.JAVA_RUNTIME_21);
    assertThat(Recipes.all()).contains(Recipes.OLLAMA);
  }

  @Test
  void theOllamaRecipeCarriesTheServersClassPath() {
    RecipeInput lib = Recipes.OLLAMA.inputs().getFirst();
    assertThat(lib.contextName()).isEqualTo("lib");
    // The identity reads every jar: it only succeeds when the server's class path is complete.
    assertThat(lib.identity()).startsWith("classpath-entries:lib:");
    assertThat(OllamaServer.classPath()).hasSize(5);
  }
}
