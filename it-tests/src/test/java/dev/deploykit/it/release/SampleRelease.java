package dev.deploykit.it.release;

import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample stack of {@code examples/compose.yaml}, read as an operator's deploy would read it,
 * with its official image names (postgres, ollama) resolved to what this engine can run, and the
 * sample app and worker images of the versions the tests use built from their recipes.
 */
public final class SampleRelease {
  public static final Path COMPOSE = Path.of(System.getProperty("deploykit.repository.root", ".."))
      .resolve("examples/compose.yaml");
  public static final String DB_PASSWORD = "it-release-secret";

  private SampleRelease() {}

  /** Builds (once) the sample app and worker images of these versions. */
  public static void buildImages(List<String> versions) {
    for (String v : versions) {
      StandInImageSubstitutor.images().build(Recipes.sampleApp(v));
      StandInImageSubstitutor.images().build(Recipes.sampleWorker(v));
    }
  }

  /** The stack as the compose file and these variables make it. */
  public static Stack load(String name, int proxyPort, Map<String, String> variables) {
    Map<String, String> env = new HashMap<>(Map.of(
        "PROXY_PORT", Integer.toString(proxyPort),
        "WATCH_WINDOW", "3s",
        "DEPLOY_TIMEOUT", "20s",
        "DB_PASSWORD", DB_PASSWORD));
    env.putAll(variables);
    Stack stack = ComposeFile.of(COMPOSE).environment(env).projectName(name).load();
    return new Stack(stack.name(), stack.services().stream().map(SampleRelease::runnable).toList(),
        stack.settings());
  }

  private static Service runnable(Service s) {
    return Recipes.forOfficial(s.image()).isPresent()
        ? s.newBuilder().image(StandInImageSubstitutor.resolve(s.image())).build()
        : s;
  }
}
