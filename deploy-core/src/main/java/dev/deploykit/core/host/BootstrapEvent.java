package dev.deploykit.core.host;

import java.util.Objects;

/**
 * Progress of {@link HostBootstrap}: what it is doing now ("installing docker.io with apt"),
 * told before it is done. The outcome of each step is a {@link BootstrapStep}.
 *
 * @param step the step's name, as in {@link BootstrapStep#name()}
 * @param message what is being done, one line
 */
public record BootstrapEvent(String step, String message) {
  public BootstrapEvent {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(message, "message");
  }
}
