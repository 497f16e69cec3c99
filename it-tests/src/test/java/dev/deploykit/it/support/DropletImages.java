package dev.deploykit.it.support;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.images.Recipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.testcontainers.DockerClientFactory;

/**
 * Test setup: gives a droplet's engine the images a stack needs by moving them from this
 * machine's engine ({@code docker save} here, {@code docker load} through the droplet's
 * {@link DockerHost}), all in one archive so shared layers travel once. Images the droplet
 * already has under the same id are skipped. How a deploy delivers images for real (a registry)
 * is the library's business, not this class's.
 *
 * <p>Thread safety: stateless.
 */
public final class DropletImages {
  private DropletImages() {}

  /**
   * What a move did.
   *
   * @param moved the images sent
   * @param skipped the images the droplet already had, by id
   * @param bytes the archive's size
   * @param millis how long saving and loading took
   */
  public record Moved(List<String> moved, List<String> skipped, long bytes, long millis) {
    @Override
    public String toString() {
      return moved.size() + " image(s) moved (" + bytes / (1024 * 1024) + " MiB in " + millis + " ms), "
          + skipped.size() + " already there";
    }
  }

  /**
   * The local names of {@code recipes}' images and of every base they are built from, built on
   * this machine's engine first (once for the suite). A droplet given all of them resolves
   * {@code --images local} by reuse: the same bases under the same ids give the same inputs, so
   * nothing is built there (building the Debian base alone takes minutes).
   */
  public static List<String> standIns(Recipe... recipes) {
    Set<String> names = new LinkedHashSet<>();
    for (Recipe recipe : recipes) {
      names.add(StandInImageSubstitutor.images().build(recipe));
      for (Optional<Recipe> base = recipe.baseRecipe(); base.isPresent(); base = base.get().baseRecipe()) {
        names.add(base.get().localName());
      }
    }
    return List.copyOf(names);
  }

  /**
   * Makes {@code droplet} hold each of {@code images} (names this machine's engine knows) under
   * the same id as here.
   *
   * @throws IllegalArgumentException when this machine's engine lacks one of them
   */
  public static Moved give(DockerHost droplet, Collection<String> images) {
    DockerClient here = DockerClientFactory.instance().client();
    DockerHost local = DockerHost.of(here, "local engine");
    List<String> missing = new java.util.ArrayList<>();
    List<String> skipped = new java.util.ArrayList<>();
    for (String image : new LinkedHashSet<>(images)) {
      String id = local.imageId(image).orElseThrow(() -> new IllegalArgumentException(
          "image " + image + " is not on this machine's engine; build it first"));
      Optional<String> there = droplet.imageId(image);
      (there.filter(id::equals).isPresent() ? skipped : missing).add(image);
    }
    if (missing.isEmpty()) {
      return new Moved(List.of(), List.copyOf(skipped), 0, 0);
    }
    long started = System.nanoTime();
    var save = here.saveImagesCmd();
    for (String image : missing) {
      int colon = image.lastIndexOf(':');
      save = save.withImage(image.substring(0, colon), image.substring(colon + 1));
    }
    AtomicLong bytes = new AtomicLong();
    try (InputStream archive = new Counting(save.exec(), bytes)) {
      // The asynchronous form reads the engine's answer, which names a failed load (the plain
      // form drops it).
      droplet.client().loadImageAsyncCmd(archive).start().awaitMessage();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String image : missing) {
      if (!Objects.equals(droplet.imageId(image), local.imageId(image))) {
        throw new IllegalStateException("image " + image + " did not arrive on " + droplet.describe());
      }
    }
    return new Moved(List.copyOf(missing), List.copyOf(skipped), bytes.get(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Counts the bytes read through it. */
  private static final class Counting extends java.io.FilterInputStream {
    private final AtomicLong count;

    Counting(InputStream in, AtomicLong count) {
      super(in);
      this.count = count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }
  }
}
