package dev.deploykit.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.core.command.BuildImageResultCallback;
import dev.deploykit.images.internal.Digests;
import dev.deploykit.images.internal.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves official image references to what can run on this Docker engine, building stand-ins
 * from their {@link Recipe recipes} when the official image cannot be pulled.
 *
 * <pre>{@code
 * StandInImages images = StandInImages.builder(dockerClient)
 *     .source(ImageSource.fromSystemProperties())
 *     .build();
 * Resolution r = images.resolve("postgres:18.1");  // postgres:18.1 or deploykit.local/postgres:18.1
 * }</pre>
 *
 * <p>A stand-in is built once: the image carries the label {@value #INPUTS_LABEL} with a hash of
 * its recipe files, its inputs and its base image, and an image whose hash matches is reused.
 *
 * <p>Thread safety: safe for concurrent use; resolutions and builds are serialised, so two
 * callers never build the same image at once.
 */
public final class StandInImages {
  /** The label holding the hash of an image's recipe inputs. */
  public static final String INPUTS_LABEL = "dev.deploykit.image.inputs";
  /** The label naming the recipe an image was built from. */
  public static final String RECIPE_LABEL = "dev.deploykit.image.recipe";

  private static final Logger log = LoggerFactory.getLogger(StandInImages.class);
  private static final int OUTPUT_LINES_KEPT = 25;

  private final DockerClient docker;
  private final ImageSource source;
  private final Duration pullTimeout;
  private final Duration buildTimeout;
  private final Map<String, Resolution> resolutions = new HashMap<>();
  private final Map<String, ImageBuildException> failures = new HashMap<>();

  private StandInImages(Builder builder) {
    this.docker = builder.docker;
    this.source = builder.source;
    this.pullTimeout = builder.pullTimeout;
    this.buildTimeout = builder.buildTimeout;
  }

  /** A builder for a resolver over the given engine. */
  public static Builder builder(DockerClient docker) {
    return new Builder(docker);
  }

  /** The image source this resolver follows. */
  public ImageSource source() {
    return source;
  }

  /**
   * The image to run for {@code image}. References without a recipe come back unchanged.
   *
   * @throws ImageBuildException when the source is {@link ImageSource#OFFICIAL} and the image
   *     cannot be pulled, or when a stand-in build fails
   */
  public synchronized Resolution resolve(String image) {
    Resolution known = resolutions.get(image);
    if (known != null) {
      return known;
    }
    ImageBuildException failed = failures.get(image);
    if (failed != null) {
      // Callers such as Testcontainers retry; a failed build is not tried again in this process.
      throw new ImageBuildException(failed.getMessage(), failed);
    }
    Optional<Recipe> recipe = Recipes.forOfficial(image);
    Resolution resolution;
    try {
      resolution = recipe.isEmpty()
          ? new Resolution(image, image, false, "no stand-in recipe exists for it")
          : resolve(image, recipe.get(), source);
    } catch (ImageBuildException e) {
      failures.put(image, e);
      throw e;
    }
    if (resolution.standIn()) {
      log.info("{}", resolution);
    } else {
      log.debug("{}", resolution);
    }
    resolutions.put(image, resolution);
    return resolution;
  }

  /**
   * Builds the recipe's image unless an image with the same inputs exists, and returns its name.
   * The base image, if any, is resolved first (official where the source allows, else built).
   *
   * @throws ImageBuildException naming the recipe, the failing step and its last output
   */
  public synchronized String build(Recipe recipe) {
    String baseImage = null;
    String baseId = "scratch";
    if (recipe.base() != null) {
      Recipe base = recipe.base();
      ImageSource baseSource = source == ImageSource.OFFICIAL ? ImageSource.AUTO : source;
      String official = base.officialName();
      if (official == null) {
        baseImage = build(base);
      } else {
        Resolution known = resolutions.get("base:" + official);
        if (known == null) {
          known = resolve(official, base, baseSource);
          resolutions.put("base:" + official, known);
          log.info("Base image: {}", known);
        }
        baseImage = known.image();
      }
      baseId = inspect(baseImage).map(InspectImageResponse::getId).orElseThrow(
          () -> new ImageBuildException("Base image vanished while building " + recipe.localName()));
    }
    String inputs = inputsHash(recipe, baseId);
    Optional<InspectImageResponse> existing = inspect(recipe.localName());
    if (existing.isPresent() && inputs.equals(labels(existing.get()).get(INPUTS_LABEL))) {
      log.debug("Reusing {} (inputs {} unchanged)", recipe.localName(), inputs.substring(0, 12));
      return recipe.localName();
    }
    buildNow(recipe, baseImage, inputs, existing.isPresent());
    return recipe.localName();
  }

  private Resolution resolve(String official, Recipe recipe, ImageSource source) {
    return switch (source) {
      case LOCAL -> new Resolution(official, build(recipe), true,
          "-D" + ImageSource.PROPERTY + "=local asks for stand-ins");
      case OFFICIAL -> {
        Optional<String> failure = presentOrPulled(official);
        if (failure.isPresent()) {
          throw new ImageBuildException(official + " could not be pulled (" + failure.get()
              + ") and -D" + ImageSource.PROPERTY + "=official rules out the stand-in "
              + recipe.localName() + "; use auto or local where no registry is reachable");
        }
        yield new Resolution(official, official, false, "official image, as asked");
      }
      case AUTO -> {
        if (inspect(official).isPresent()) {
          yield new Resolution(official, official, false, "official image present or pulled");
        }
        if (inspect(recipe.localName()).isPresent()) {
          // Built here before (the official could not be pulled then, or stand-ins were asked
          // for): reused, rebuilt only if its inputs changed, without asking the registry again
          // on every run.
          yield new Resolution(official, build(recipe), true, "its stand-in was built on this engine before,"
              + " so the registry is not asked again (-D" + ImageSource.PROPERTY + "=official pulls the official)");
        }
        Optional<String> failure = pulled(official);
        yield failure.isEmpty()
            ? new Resolution(official, official, false, "official image present or pulled")
            : new Resolution(official, build(recipe), true,
                "the official image could not be pulled (" + failure.get() + ")");
      }
    };
  }

  /** Empty when the image is present or was pulled; else why the pull failed. */
  private Optional<String> presentOrPulled(String image) {
    return inspect(image).isPresent() ? Optional.empty() : pulled(image);
  }

  /** Pulls the image: empty when it arrived, else why not. */
  private Optional<String> pulled(String image) {
    log.info("Pulling {} (up to {} s) ...", image, pullTimeout.toSeconds());
    try (ResultCallback.Adapter<PullResponseItem> callback =
        docker.pullImageCmd(ImageNames.repository(image))
            .withTag(ImageNames.tag(image))
            .exec(new ResultCallback.Adapter<>())) {
      if (!callback.awaitCompletion(pullTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return Optional.of("no answer within " + pullTimeout.toSeconds() + " s");
      }
      return inspect(image).isPresent()
          ? Optional.empty()
          : Optional.of("the engine reported no error, but the image is not present");
    } catch (DockerException | DockerClientException e) {
      return Optional.of(oneLine(e.getMessage()));
    } catch (IOException e) {
      return Optional.of(oneLine(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("Interrupted while pulling " + image, e);
    }
  }

  private void buildNow(Recipe recipe, @Nullable String baseImage, String inputs, boolean stale) {
    long started = System.nanoTime();
    log.info("Building stand-in image {} ({}; inputs {}) ...", recipe.localName(),
        stale ? "its inputs changed" : "not built yet", inputs.substring(0, 12));
    Path context = null;
    try {
      context = Files.createTempDirectory("deploykit-image-");
      for (String file : recipe.files()) {
        try (InputStream in = resource(recipe, file)) {
          Files.copy(in, context.resolve(file));
        }
      }
      for (RecipeInput input : recipe.inputs()) {
        input.writeTo(context);
      }
      OutputTail tail = new OutputTail(recipe.localName());
      BuildImageCmd command = docker.buildImageCmd(context.toFile())
          .withDockerfile(context.resolve("Dockerfile").toFile())
          .withTags(Set.of(recipe.localName()))
          .withLabels(Map.of(INPUTS_LABEL, inputs, RECIPE_LABEL, recipe.directory()))
          .withPull(false)
          .withRemove(true)
          .withForcerm(true);
      if (baseImage != null) {
        command.withBuildArg("BASE_IMAGE", baseImage);
      }
      recipe.buildArgs().forEach(command::withBuildArg);
      try {
        command.exec(tail).awaitImageId(buildTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (DockerClientException | DockerException e) {
        throw new ImageBuildException("Building " + recipe.localName() + " failed at \""
            + tail.lastStep() + "\": " + oneLine(e.getMessage()) + "\nLast output:\n" + tail.text(), e);
      }
      log.info("Built {} in {} s", recipe.localName(),
          String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
    } catch (IOException e) {
      throw new ImageBuildException("Could not prepare the build context of " + recipe.localName()
          + ": " + e.getMessage(), e);
    } finally {
      if (context != null) {
        Folders.deleteQuietly(context);
      }
    }
  }

  private static InputStream resource(Recipe recipe, String file) {
    String name = recipe.directory() + "/" + file;
    // Through the class, not its loader: in the named module, a recipe folder whose name is a
    // package name (ollama) is encapsulated from class-loader lookups.
    InputStream in = StandInImages.class.getResourceAsStream("/" + name);
    if (in == null) {
      throw new ImageBuildException("Recipe file " + name + " of " + recipe.localName()
          + " is not on the class path");
    }
    return in;
  }

  private static String inputsHash(Recipe recipe, String baseId) {
    MessageDigest digest = Digests.newSha256();
    update(digest, "image " + recipe.localName());
    update(digest, "base " + baseId);
    for (String file : recipe.files()) {
      update(digest, "file " + file);
      try (InputStream in = resource(recipe, file)) {
        update(digest, Digests.sha256(in));
      } catch (IOException e) {
        throw new ImageBuildException("Could not read recipe file " + file + " of "
            + recipe.localName(), e);
      }
    }
    for (RecipeInput input : recipe.inputs()) {
      update(digest, "input " + input.contextName() + " " + input.identity());
    }
    recipe.buildArgs().forEach((name, value) -> update(digest, "arg " + name + "=" + value));
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
  }

  private Optional<InspectImageResponse> inspect(String image) {
    try {
      return Optional.of(docker.inspectImageCmd(image).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> labels(InspectImageResponse image) {
    if (image.getConfig() == null || image.getConfig().getLabels() == null) {
      return Map.of();
    }
    return image.getConfig().getLabels();
  }

  private static String oneLine(@Nullable String message) {
    return message == null ? "no message" : message.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  /** Keeps the build's last output lines and its last Dockerfile step, for errors and progress. */
  private static final class OutputTail extends BuildImageResultCallback {
    private final String image;
    private final Deque<String> lines = new ArrayDeque<>();
    private String lastStep = "before the first step";

    OutputTail(String image) {
      this.image = image;
    }

    @Override
    public void onNext(BuildResponseItem item) {
      String stream = item.getStream();
      if (stream != null) {
        for (String line : stream.split("\n")) {
          if (line.isBlank()) {
            continue;
          }
          synchronized (lines) {
            lines.addLast(line);
            if (lines.size() > OUTPUT_LINES_KEPT) {
              lines.removeFirst();
            }
          }
          if (line.startsWith("Step ")) {
            lastStep = line.length() > 160 ? line.substring(0, 160) + "..." : line;
            log.info("  {}: {}", image, lastStep);
          } else {
            log.debug("  {}: {}", image, line);
          }
        }
      }
      super.onNext(item);
    }

    String lastStep() {
      return lastStep;
    }

    String text() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }
  }

  /** Settings of a {@link StandInImages}; every one has a default. */
  public static final class Builder {
    private final DockerClient docker;
    private ImageSource source = ImageSource.AUTO;
    private Duration pullTimeout = Duration.ofMinutes(10);
    private Duration buildTimeout = Duration.ofMinutes(20);

    private Builder(DockerClient docker) {
      this.docker = Objects.requireNonNull(docker, "docker");
    }

    /** Where images come from; default {@link ImageSource#AUTO}. */
    public Builder source(ImageSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * How long one pull may take; default 10 minutes.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder pullTimeout(Duration pullTimeout) {
      this.pullTimeout = positive(pullTimeout, "pullTimeout");
      return this;
    }

    /**
     * How long one image build may take; default 20 minutes.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder buildTimeout(Duration buildTimeout) {
      this.buildTimeout = positive(buildTimeout, "buildTimeout");
      return this;
    }

    public StandInImages build() {
      return new StandInImages(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
