package dev.deploykit.health.checks;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.internal.DockerFailures;
import dev.deploykit.health.internal.ReportRenderer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Checks a worker by its logs: a line matching a pattern must have been written by its container
 * within a window (for workers that log a heartbeat line instead of writing a row).
 *
 * <pre>{@code
 * WorkerLogCheck mailer = WorkerLogCheck.of(docker, "shop-worker-1",
 *     Pattern.compile("heartbeat"), Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>DOWN when no line in the window matches, the container does not exist, or the engine cannot
 * be reached. The Docker API counts the window in whole seconds (rounded up). Takes the {@link
 * DockerClient} from the caller and never closes it; the log stream is closed when the check ends
 * or is cancelled. Immutable and thread-safe if the client is.
 */
public final class WorkerLogCheck implements HealthCheck {
  private final DockerClient docker;
  private final String container;
  private final Pattern pattern;
  private final Duration window;

  private WorkerLogCheck(DockerClient docker, String container, Pattern pattern, Duration window) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.container = Objects.requireNonNull(container, "container");
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.window = Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
  }

  /**
   * A check that {@code container} logged a line matching {@code pattern} within {@code window}.
   *
   * @throws IllegalArgumentException if {@code window} is not positive
   */
  public static WorkerLogCheck of(DockerClient docker, String container, Pattern pattern,
      Duration window) {
    return new WorkerLogCheck(docker, container, pattern, window);
  }

  @Override
  public HealthResult check(CheckContext context) throws InterruptedException {
    long windowSeconds = window.getSeconds() + (window.getNano() > 0 ? 1 : 0);
    int since = (int) (context.timeSource().now().getEpochSecond() - windowSeconds);
    AtomicBoolean seen = new AtomicBoolean();
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
        if (text.lines().anyMatch(l -> pattern.matcher(l).find())) {
          seen.set(true);
          try {
            close();
          } catch (java.io.IOException ignored) {
            // Stopping early; the stream is gone either way.
          }
        }
      }
    };
    try {
      docker.logContainerCmd(container).withStdOut(true).withStdErr(true).withSince(since)
          .exec(callback);
      context.onCancel(callback);
      boolean read = callback.awaitCompletion(Math.max(1, context.deadline().remaining().toNanos()),
          TimeUnit.NANOSECONDS);
      if (!read && !seen.get()) {
        // The logs were not read to their end: that is no evidence the pattern is missing.
        return HealthResult.down("the logs of " + container + " were not read by the deadline");
      }
    } catch (NotFoundException e) {
      return HealthResult.down("container " + container + " does not exist");
    } catch (RuntimeException e) {
      return HealthResult.down(DockerFailures.describe(e));
    } finally {
      try {
        callback.close();
      } catch (java.io.IOException ignored) {
        // Closing the log stream failed; it ends with the connection.
      }
    }
    return seen.get()
        ? HealthResult.up(container + " logged /" + pattern.pattern() + "/ within "
            + ReportRenderer.human(window))
        : HealthResult.down(container + " logged no /" + pattern.pattern() + "/ within "
            + ReportRenderer.human(window));
  }
}
