package dev.deploykit.cli;

import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.images.ImageSource;
import dev.deploykit.images.Recipe;
import dev.deploykit.images.Resolution;
import dev.deploykit.images.StandInImages;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The images a stack runs on this engine. Official references that have a stand-in recipe (the
 * PostgreSQL, Ollama and Java images of the sample stack, the proxy's image the library names in
 * {@link Deployer#DEFAULT_PROXY_IMAGE}) resolve to the official image where it is present or can
 * be pulled, else to the stand-in built locally once; the stack's references are rewritten to
 * what resolved (a stand-in is never tagged with the official name). Other references are left as
 * written: the engine pulls or finds them.
 */
final class StackImages {

  private final StandInImages images;
  private final Console console;
  private final java.util.Set<String> told = new java.util.HashSet<>();

  StackImages(DockerHost host, ImageSource source, Console console) {
    this.images = StandInImages.builder(host.client()).source(source).build();
    this.console = console;
  }

  /** The image to run for an official reference, with a step line saying what was chosen. */
  String resolve(String image) {
    if (!told.add(image)) {
      return images.resolve(image).image();
    }
    try (Console.Progress p = console.progress("image " + image + " (pull, or build the stand-in once)")) {
      long t0 = System.nanoTime();
      Resolution r = images.resolve(image);
      if (r.standIn()) {
        console.step(image + " -> " + console.bold(r.image()) + console.dim(" (stand-in: " + reason(r.reason()) + "; "
            + EventLines.ms(java.time.Duration.ofNanos(System.nanoTime() - t0)) + ")"));
      } else if (!r.image().equals(image) || !r.reason().startsWith("no stand-in")) {
        console.step(image + " -> " + r.image() + console.dim(" (" + r.reason() + ")"));
      }
      return r.image();
    }
  }

  /** The reason without the registry's full answer, unless --verbose. */
  private String reason(String reason) {
    int cut = reason.indexOf(" (");
    return console.verbose() || cut < 0 ? reason : reason.substring(0, cut);
  }

  /** Builds (or reuses) an image from a recipe of this repository, with a step line. */
  String build(Recipe recipe) {
    try (Console.Progress p = console.progress("image " + recipe.localName() + " (built once, reused after)")) {
      long t0 = System.nanoTime();
      String image = images.build(recipe);
      console.step(image + console.dim(" ready (" + EventLines.ms(java.time.Duration.ofNanos(System.nanoTime() - t0))
          + ", built or reused)"));
      return image;
    }
  }

  /**
   * For a remote host whose stack names no registry: the local-registry mode's registry image as
   * the operator's engine runs it (resolved there: the official image, else its stand-in); null
   * for a local engine, or when the stack names its registry.
   */
  static @Nullable String localRegistryImage(DockerHost target, Stack stack, ImageSource source, Console console) {
    if (!(target instanceof SshHost) || stack.settings().registry() != null) {
      return null;
    }
    try (DockerHost local = DockerHost.local()) {
      return new StackImages(local, source, console).resolve(Deployer.DEFAULT_LOCAL_REGISTRY_IMAGE);
    }
  }

  /** The proxy's image as this engine runs it: the library's default, resolved. */
  String proxyImage() {
    return resolve(Deployer.DEFAULT_PROXY_IMAGE);
  }

  /** The stack with each service's image resolved. */
  Stack resolveStack(Stack stack) {
    List<Service> services = new ArrayList<>();
    for (Service s : stack.services()) {
      String resolved = dev.deploykit.images.Recipes.forOfficial(s.image()).isPresent() ? resolve(s.image()) : s.image();
      services.add(resolved.equals(s.image()) ? s : s.newBuilder().image(resolved).build());
    }
    return new Stack(stack.name(), services, stack.settings());
  }
}
