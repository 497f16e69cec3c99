package dev.deploykit.cli;

import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Stack;
import dev.deploykit.images.ImageSource;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "deploy", description = {
    "Release the stack as its file says now, with zero downtime.",
    "Releases the stack as its file says now: images pinned, database prepared, each new container"
        + " health-gated before it takes traffic, old ones drained, the release watched and rolled"
        + " back by itself when it turns unhealthy.",
    "Exit 0 when live, 1 when refused or rolled back."})
final class DeployCommand implements Callable<Integer> {
  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Option(names = "--version", paramLabel = "V",
      description = "Your label for the release (a tag, a commit); shown in the history.")
  @Nullable String version;

  @Option(names = "--images", paramLabel = "SOURCE", defaultValue = "auto",
      description = "Official images that cannot be pulled: auto (use the locally built stand-in),"
          + " official (fail), local (always the stand-in). Default: ${DEFAULT-VALUE}.")
  ImageSource images = ImageSource.AUTO;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "The host address the proxy publishes the stack's port on. Default: ${DEFAULT-VALUE}.")
  String bind;

  @Override
  public Integer call() throws InterruptedException {
    Console console = root.console();
    Stack written = root.loadStack();
    try (DockerHost host = root.connect()) {
      StackImages resolver = new StackImages(host, images, console);
      Stack stack = resolver.resolveStack(written);
      String proxy = resolver.proxyImage();
      console.heading("deploying " + stack.name() + (version == null ? "" : " " + version) + " to " + host.describe());
      Releasing.Outcome outcome = new Releasing(root, host, proxy, bind)
          .localRegistry(StackImages.localRegistryImage(host, written, images, console))
          .run("deploying " + stack.name(), d -> d.deploy(stack, version));
      Deployer.builder(host).build().inspect(stack).proxyUrl()
          .ifPresent(url -> console.line("  serving on " + url));
      return outcome.finish(console);
    }
  }
}
