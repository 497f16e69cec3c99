package dev.deploykit.cli;

import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.images.ImageSource;
import org.jspecify.annotations.Nullable;

/** What deploy, rollback and the demo share: the deployer, the live step list, the result. */
final class Releasing {
  /** A release run that may be interrupted. */
  @FunctionalInterface
  interface Run {
    DeployResult on(Deployer deployer) throws InterruptedException;
  }

  private final Deploykit root;
  private final Console console;
  private final DockerHost host;
  private final String proxyImage;
  private final String bindAddress;
  private @Nullable String localRegistryImage;

  Releasing(Deploykit root, DockerHost host, String proxyImage, String bindAddress) {
    this.root = root;
    this.console = root.console();
    this.host = host;
    this.proxyImage = proxyImage;
    this.bindAddress = bindAddress;
  }

  /** The registry image of the local-registry mode (a remote host; see StackImages), or null. */
  Releasing localRegistry(@Nullable String image) {
    this.localRegistryImage = image;
    return this;
  }

  /** The proxy image resolved for this engine (official where it can be, else the stand-in). */
  static String proxyImage(DockerHost host, ImageSource source, Console console) {
    return new StackImages(host, source, console).proxyImage();
  }

  /** Runs the release with its steps printed live; returns the result and its exit code. */
  Outcome run(String label, Run run) throws InterruptedException {
    EventLines lines = new EventLines(console);
    Deployer.Builder builder = Deployer.builder(host).proxyImage(proxyImage).proxyBindAddress(bindAddress)
        .listener(lines);
    if (localRegistryImage != null) {
      builder.localRegistry(localRegistryImage, Deployer.DEFAULT_LOCAL_REGISTRY_PORT);
    }
    Deployer deployer = builder.build();
    DeployResult result;
    root.changingHost = true;
    try (Console.Progress p = console.progress(label)) {
      lines.progress(p);
      result = run.on(deployer);
    }
    int code = lines.summarize(result);
    return new Outcome(result, code, lines);
  }

  /** A finished release run. */
  record Outcome(DeployResult result, int exitCode, EventLines lines) {
    /** Prints the {@code --json} document when asked for; returns the exit code. */
    int finish(Console console) {
      if (console.json()) {
        console.json(Json.write(lines.document(result)));
      }
      return exitCode;
    }
  }
}
