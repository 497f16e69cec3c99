package dev.deploykit.core.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PushImageCmd;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.TransferProgress;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Image pushes and pulls with credentials in the call ({@code X-Registry-Auth}). The engine
 * reports a failed transfer as an error item in its answer, not as an HTTP error, so the answer
 * is read item by item: docker-java's plain adapter would let such a failure pass unnoticed.
 */
final class ImageTransfer {
  private static final Duration TICK = Duration.ofSeconds(1);
  private final DockerClient client;
  private final String description;

  ImageTransfer(DockerClient client, String description) {
    this.client = client;
    this.description = description;
  }

  /** Pushes {@code image} ({@code registry/repo:tag}) and returns the manifest's digest. */
  String push(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress) {
    ImageReference ref = ImageReference.parse(image);
    PushImageCmd cmd = client.pushImageCmd(ref.repository()).withTag(ref.tagOrDigest());
    if (auth != null) {
      cmd.withAuthConfig(config(auth));
    }
    TransferCallback<PushResponseItem> callback = new TransferCallback<>(progress);
    try {
      await(cmd.exec(callback), "pushing", image, auth, timeout);
    } catch (NotFoundException e) {
      throw new DeployException("Image " + image + " is not on " + description + "; build or tag it first", e);
    } catch (DockerException | DockerClientException e) {
      throw RegistryFailures.of("pushing", image, auth, description, e.getMessage(), e);
    }
    String digest = callback.digest();
    if (digest == null) {
      throw new DeployException("Pushing " + image + " from " + description
          + " ended without a digest from the registry; push it again");
    }
    return digest;
  }

  /** Pulls {@code image} (by tag or digest). */
  void pull(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress) {
    ImageReference ref = ImageReference.parse(image);
    PullImageCmd cmd = client.pullImageCmd(ref.repository()).withTag(ref.tagOrDigest());
    if (auth != null) {
      cmd.withAuthConfig(config(auth));
    }
    try {
      await(cmd.exec(new TransferCallback<PullResponseItem>(progress)), "pulling", image, auth, timeout);
    } catch (DockerException | DockerClientException e) {
      throw RegistryFailures.of("pulling", image, auth, description, e.getMessage(), e);
    }
  }

  private void await(TransferCallback<?> callback, String doing, String image, @Nullable RegistryAuth auth,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (callback) {
      // Progress is passed on from this thread, once per tick, not from docker-java's reader. The
      // wait is on the callback's own latch: docker-java's awaitCompletion(timeout) closes the
      // stream when it returns, which would cut the transfer off at the first tick.
      while (!callback.finished(Math.min(TICK.toNanos(), Math.max(1, deadline - System.nanoTime())))) {
        if (System.nanoTime() - deadline >= 0) {
          throw new DeployException((doing.equals("pushing") ? "Pushing " : "Pulling ") + image + " on "
              + description + " did not finish within " + timeout.toSeconds() + " s");
        }
        callback.report();
      }
      callback.report();
      if (callback.failure() instanceof RuntimeException e) {
        throw e;
      }
      if (callback.failure() != null) {
        throw new DeployException(doing + " " + image + " on " + description + " failed: " + callback.failure(),
            callback.failure());
      }
      if (callback.error() != null) {
        throw RegistryFailures.of(doing, image, auth, description, callback.error(), null);
      }
    } catch (IOException e) {
      throw new DeployException(doing + " " + image + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while " + doing + " " + image, e);
    }
  }

  private static AuthConfig config(RegistryAuth auth) {
    return new AuthConfig().withRegistryAddress(auth.server()).withUsername(auth.user())
        .withPassword(auth.password());
  }

  /** Reads the engine's answer: the first error, the pushed digest, progress per layer. */
  private static final class TransferCallback<T extends ResponseItem> extends ResultCallback.Adapter<T> {
    private final TransferProgress progress;
    private final java.util.Map<String, long[]> layers = new java.util.HashMap<>();
    private volatile @Nullable String error;
    private volatile @Nullable String digest;
    private volatile @Nullable Throwable failure;
    private final CountDownLatch done = new CountDownLatch(1);

    TransferCallback(TransferProgress progress) {
      this.progress = progress;
    }

    @Override
    public void onComplete() {
      super.onComplete();
      done.countDown();
    }

    @Override
    public void onError(Throwable throwable) {
      failure = throwable;
      try {
        super.onError(throwable);
      } finally {
        done.countDown();
      }
    }

    /** Whether the answer ended within {@code nanos}; the stream stays open when it did not. */
    boolean finished(long nanos) throws InterruptedException {
      return done.await(nanos, TimeUnit.NANOSECONDS);
    }

    @Nullable Throwable failure() {
      return failure;
    }

    @Override
    public void onNext(T item) {
      if (item.isErrorIndicated()) {
        String message = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError();
        if (error == null) {
          error = message == null ? "the engine reported an error without a message" : message;
        }
        return;
      }
      if (item.getAux() != null && item.getAux().getDigest() != null) {
        digest = item.getAux().getDigest();
      }
      ResponseItem.ProgressDetail detail = item.getProgressDetail();
      if (item.getId() != null && detail != null && detail.getTotal() != null && detail.getCurrent() != null) {
        record(item.getId(), detail.getCurrent(), detail.getTotal());
      }
    }

    private void record(String layer, long current, long total) {
      synchronized (layers) {
        layers.put(layer, new long[] {current, total});
      }
    }

    /** Tells the listener the sums so far, when layers have reported progress. */
    void report() {
      long done = 0;
      long all = 0;
      synchronized (layers) {
        if (layers.isEmpty()) {
          return;
        }
        for (long[] l : layers.values()) {
          done += l[0];
          all += l[1];
        }
      }
      progress.update(done, all);
    }

    @Nullable String error() {
      return error;
    }

    @Nullable String digest() {
      return digest;
    }
  }
}
