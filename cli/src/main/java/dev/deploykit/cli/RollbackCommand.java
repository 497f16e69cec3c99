package dev.deploykit.cli;

import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.images.ImageSource;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rollback", description = {
    "Go back to the previous release, or to RELEASE, with its own configuration.",
    "Goes back to the release before the live one, or to RELEASE: the same zero-downtime protocol"
        + " with that release's images and its own configuration snapshot.",
    "`deploykit releases` lists the ids. Exit 0 when it is live again."})
final class RollbackCommand implements Callable<Integer> {
  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Parameters(arity = "0..1", paramLabel = "RELEASE", description = "The release id (default: the previous one).")
  @Nullable String release;

  @Option(names = "--images", paramLabel = "SOURCE", defaultValue = "auto",
      description = "Where the proxy image comes from: auto, official or local. Default: ${DEFAULT-VALUE}.")
  ImageSource images = ImageSource.AUTO;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "The host address the proxy publishes on, if it must be created. Default: ${DEFAULT-VALUE}.")
  String bind;

  @Override
  public Integer call() throws InterruptedException {
    Console console = root.console();
    Stack written = root.loadStack();
    String stack = written.name();
    try (DockerHost host = root.connect()) {
      String proxy = Releasing.proxyImage(host, images, console);
      Releasing releasing = new Releasing(root, host, proxy, bind)
          .localRegistry(StackImages.localRegistryImage(host, written, images, console));
      console.heading("rolling " + stack + " back to " + (release == null ? "the previous release" : release));
      // An unknown release or none to go back to is the engine's to say (DeployException.reason()).
      return releasing.run("rolling back " + stack,
          d -> release == null ? d.rollback(stack) : d.rollback(stack, release)).finish(console);
    }
  }
}
