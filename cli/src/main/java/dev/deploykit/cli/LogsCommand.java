package dev.deploykit.cli;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Stack;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "logs", description = "The last log lines of a service's running container(s); -f follows.")
final class LogsCommand implements Callable<Integer> {
  @ParentCommand Deploykit root;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--file", paramLabel = "FILE",
      description = "The stack's Compose file (default: ./compose.yaml; -f is --follow here).")
  void file(java.nio.file.Path file) {
    if (file != null) {
      root.file = file;
    }
  }

  @Parameters(paramLabel = "SERVICE", description = "The service, as named in the stack file.")
  String service;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C or the container stops.")
  boolean follow;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "100",
      description = "How many lines from the end (default: ${DEFAULT-VALUE}).")
  int lines;

  @Override
  public Integer call() throws InterruptedException {
    Console console = root.console();
    Stack stack = root.loadStack();
    if (stack.service(service).isEmpty()) {
      throw UserError.badInput("Stack " + stack.name() + " has no service " + service + "; it has "
          + String.join(", ", stack.services().stream().map(s -> s.name()).toList()) + ".");
    }
    if (lines < 0) {
      throw UserError.badInput("-n must be 0 or more, was " + lines);
    }
    try (DockerHost host = root.connect()) {
      List<ContainerState> running = Deployer.builder(host).build().inspect(stack).running(service);
      if (running.isEmpty()) {
        throw new UserError(ExitCodes.NOT_DEPLOYED, "Service " + service + " of stack " + stack.name()
            + " has no running container; deploykit status shows what runs.");
      }
      if (console.json() && !follow) {
        console.json(Json.write(Json.object("service", service, "containers", running.stream()
            .map(c -> Json.object("name", c.name(), "lines", host.logs(c.id(), lines))).toList())));
        return ExitCodes.OK;
      }
      for (ContainerState c : running) {
        if (running.size() > 1) {
          console.line(console.bold("==> " + c.name()));
        }
        if (!follow) {
          host.logs(c.id(), lines).forEach(console::line);
        }
      }
      if (follow) {
        // docker-java streams frames until the container stops or we close the callback.
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            console.line(new String(frame.getPayload(), StandardCharsets.UTF_8).stripTrailing());
          }
        };
        try (var cb = host.client().logContainerCmd(running.getFirst().id()).withStdOut(true).withStdErr(true)
            .withFollowStream(true).withTail(lines).exec(callback)) {
          cb.awaitCompletion();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return ExitCodes.OK;
    }
  }
}
