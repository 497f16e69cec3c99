package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Service;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Protocol step 3: every service's image is present (pulled if it must be) and pinned by id, so
 * the release runs exactly those images and a rollback can run them again. A missing image
 * refuses the release before anything on the host changed.
 */
final class ImagePins {
  private final RunContext run;

  ImagePins(RunContext run) {
    this.run = run;
  }

  /** What pinning found: the image id of each service, or the refusal's reason. */
  sealed interface Outcome {
    record Pinned(Map<String, String> imageIds) implements Outcome {}

    record Missing(String reason) implements Outcome {}
  }

  /**
   * Pins every service's image.
   *
   * @param pinned image ids to run instead of the stack's references (a rollback's)
   */
  Outcome pin(Map<String, String> pinned) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (Service s : run.stack.services()) {
      String ref = pinned.getOrDefault(s.name(), s.image());
      Optional<String> present = run.host.imageId(ref);
      String id;
      try {
        id = present.orElseGet(() -> run.host.pull(ref, run.settings.pullTimeout()));
      } catch (DeployException e) {
        if (e.reason() == DeployException.Reason.INTERRUPTED) {
          throw e;
        }
        return new Outcome.Missing("service " + s.name() + ": " + e.getMessage());
      }
      ids.put(s.name(), id);
      run.emit(new DeployEvent.ImageReady(run.at(), s.name(), ref, id, present.isEmpty()));
    }
    return new Outcome.Pinned(ids);
  }
}
