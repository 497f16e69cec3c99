package dev.deploykit.runpod;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.TransferProgress;
import dev.deploykit.runpod.internal.Hashing;
import dev.deploykit.runpod.worker.WorkerMain;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The worker image of a RunPod endpoint, built with the engine of a {@link DockerHost}: the
 * Ollama base image, one GGUF model imported at build time (so {@code /api/tags} lists it on the
 * first start) and deploykit's queue worker on its own Java 21 runtime, copied from a Java image
 * ({@link #DEFAULT_JAVA_IMAGE}) to {@code /opt/deploykit-runpod/jre}, so the Ollama base needs no
 * Java. It is tagged by its content (model, worker, base and Java images, recipe): the same inputs
 * give the same tag, and a build whose tag exists is skipped.
 *
 * <pre>{@code
 * WorkerImage image = WorkerImage.builder(Path.of("models/qwen.gguf"), "registry.example.com/llm/ollama-qwen")
 *     .modelName("qwen").build();
 * WorkerImage.Built built = image.build(host);              // registry.example.com/llm/ollama-qwen:3f1c...
 * String pushed = image.push(host, built, auth, Duration.ofMinutes(10));
 * }</pre>
 *
 * <p>Thread safety: immutable.
 */
public final class WorkerImage {
  /** The official Ollama image the worker image is built from by default. */
  public static final String DEFAULT_BASE_IMAGE = "ollama/ollama:0.12.6";
  /** The official image the worker's Java runtime is copied from by default. */
  public static final String DEFAULT_JAVA_IMAGE = "eclipse-temurin:21-jre";
  /** The label that carries the model's name. */
  public static final String MODEL_LABEL = "dev.deploykit.runpod.model";
  private static final String RECIPE = "/dev/deploykit/runpod/image/";
  private static final Pattern MODEL_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}(:[a-zA-Z0-9_.-]{1,64})?");
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9.:_/-]+");

  private final Path modelFile;
  private final String repository;
  private final String modelName;
  private final String baseImage;
  private final String javaImage;
  private final Duration buildTimeout;

  /** An image built (or found built) on the engine. */
  public record Built(String reference, String id, long sizeBytes, Duration buildTime, boolean reused) {}

  private WorkerImage(Builder b) {
    this.modelFile = b.modelFile;
    this.repository = b.repository;
    this.modelName = b.modelName;
    this.baseImage = b.baseImage;
    this.javaImage = b.javaImage;
    this.buildTimeout = b.buildTimeout;
  }

  /**
   * An image of {@code modelFile} named {@code repository} (without a tag: the tag is the
   * content hash).
   *
   * @throws IllegalArgumentException when the repository carries a tag or is not a valid name
   */
  public static Builder builder(Path modelFile, String repository) {
    return new Builder(modelFile, repository);
  }

  /** The model's name in Ollama ({@code /api/tags}). */
  public String modelName() {
    return modelName;
  }

  /**
   * Builds the image, or finds it built: the model is checked first ({@link GgufFile#check}).
   *
   * @throws RunPodException with {@link RunPodException.Reason#BAD_INPUT} for a model that is
   *     not GGUF, {@link RunPodException.Reason#IMAGE} naming the failed step and its last output
   *     lines when the build fails
   */
  public Built build(DockerHost host) {
    GgufFile.check(modelFile);
    DockerClient docker = host.client();
    String baseId = inspect(docker, baseImage).map(InspectImageResponse::getId).orElseThrow(() ->
        new RunPodException(RunPodException.Reason.IMAGE, "The base image " + baseImage
            + " is not on " + host.describe() + ": pull it (or build its stand-in) first"));
    String javaId = inspect(docker, javaImage).map(InspectImageResponse::getId).orElseThrow(() ->
        new RunPodException(RunPodException.Reason.IMAGE, "The Java image " + javaImage
            + " is not on " + host.describe() + ": pull it (or build its stand-in) first"));
    List<Path> classPath = workerClassPath();
    String tag = contentTag(baseId, javaId, classPath);
    String reference = repository + ":" + tag;
    java.util.Optional<InspectImageResponse> existing = inspect(docker, reference);
    if (existing.isPresent()) {
      return new Built(reference, existing.get().getId(), size(existing.get()), Duration.ZERO, true);
    }
    long started = System.nanoTime();
    Path context = null;
    try {
      context = Files.createTempDirectory("deploykit-runpod-image-");
      copyResource("Dockerfile", context);
      copyResource("start.sh", context);
      Files.copy(modelFile, context.resolve("model.gguf"));
      Path lib = Files.createDirectories(context.resolve("worker/lib"));
      Path classes = Files.createDirectories(context.resolve("worker/classes"));
      for (Path entry : classPath) {
        if (Files.isDirectory(entry)) {
          copyTree(entry, classes);
        } else {
          Files.copy(entry, lib.resolve(entry.getFileName()));
        }
      }
      Tail tail = new Tail();
      try {
        docker.buildImageCmd(context.toFile())
            .withDockerfile(context.resolve("Dockerfile").toFile())
            .withTags(Set.of(reference))
            .withLabels(Map.of(MODEL_LABEL, modelName))
            .withBuildArg("BASE_IMAGE", baseImage)
            .withBuildArg("JAVA_IMAGE", javaImage)
            .withBuildArg("MODEL_NAME", modelName)
            .withPull(false).withRemove(true).withForcerm(true)
            .exec(tail).awaitImageId(buildTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (DockerClientException | DockerException e) {
        throw new RunPodException(RunPodException.Reason.IMAGE, 0, "Building " + reference
            + " failed at \"" + tail.step + "\": " + oneLine(e.getMessage()) + "; last output: "
            + tail.text(), e);
      }
      InspectImageResponse built = inspect(docker, reference).orElseThrow(() ->
          new RunPodException(RunPodException.Reason.IMAGE, "Building " + reference
              + " reported no error, but the image is not on the engine"));
      return new Built(reference, built.getId(), size(built),
          Duration.ofNanos(System.nanoTime() - started), false);
    } catch (IOException e) {
      throw new RunPodException(RunPodException.Reason.IMAGE, 0,
          "Could not prepare the build context of " + reference + ": " + e.getMessage(), e);
    } finally {
      if (context != null) {
        deleteQuietly(context);
      }
    }
  }

  /**
   * Pushes a built image with the credentials in the call, and returns its digest reference.
   *
   * @throws RunPodException with {@link RunPodException.Reason#IMAGE} saying why the registry
   *     refused or could not be reached
   */
  public static String push(DockerHost host, Built built, @Nullable RegistryAuth auth, Duration timeout) {
    try {
      return host.push(built.reference(), auth, timeout, TransferProgress.NONE);
    } catch (DeployException e) {
      throw new RunPodException(RunPodException.Reason.IMAGE, 0, "Pushing " + built.reference()
          + " failed: " + oneLine(e.getMessage()), e);
    }
  }

  private String contentTag(String baseId, String javaId, List<Path> classPath) {
    Hashing h = new Hashing();
    h.text("base " + baseId);
    h.text("java " + javaId);
    h.text("model " + modelName);
    h.file(modelFile);
    for (String file : List.of("Dockerfile", "start.sh")) {
      try (InputStream in = resource(file)) {
        h.text("recipe " + file);
        h.bytes(in.readAllBytes());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    for (Path entry : classPath) {
      h.text("classpath " + entry.getFileName());
      h.tree(entry);
    }
    return h.hex().substring(0, 16);
  }

  /** The worker's class-path entries as this JVM loaded them: this module, Jackson. */
  static List<Path> workerClassPath() {
    List<Path> entries = new ArrayList<>();
    for (Class<?> c : List.of(WorkerMain.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class)) {
      var source = c.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        throw new IllegalStateException("Cannot locate the class-path entry of " + c.getName());
      }
      try {
        Path p = Path.of(source.getLocation().toURI());
        if (!entries.contains(p)) {
          entries.add(p);
        }
      } catch (URISyntaxException e) {
        throw new IllegalStateException("Cannot locate the class-path entry of " + c.getName(), e);
      }
    }
    return entries;
  }

  private static void copyResource(String name, Path context) throws IOException {
    try (InputStream in = resource(name)) {
      Files.copy(in, context.resolve(name));
    }
  }

  private static InputStream resource(String name) {
    InputStream in = WorkerImage.class.getResourceAsStream(RECIPE + name);
    if (in == null) {
      throw new IllegalStateException("The image recipe file " + name + " is not on the class path");
    }
    return in;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp folder left behind is harmless.
    }
  }

  private static java.util.Optional<InspectImageResponse> inspect(DockerClient docker, String image) {
    try {
      return java.util.Optional.of(docker.inspectImageCmd(image).exec());
    } catch (NotFoundException e) {
      return java.util.Optional.empty();
    }
  }

  private static long size(InspectImageResponse image) {
    return image.getSize() == null ? -1 : image.getSize();
  }

  static String oneLine(@Nullable String message) {
    return message == null ? "no message" : message.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  private static final class Tail extends BuildImageResultCallback {
    private final Deque<String> lines = new ArrayDeque<>();
    private volatile String step = "before the first step";

    @Override
    public void onNext(BuildResponseItem item) {
      String stream = item.getStream();
      if (stream != null) {
        for (String line : stream.split("\n")) {
          if (line.isBlank()) {
            continue;
          }
          synchronized (lines) {
            lines.addLast(line.strip());
            if (lines.size() > 8) {
              lines.removeFirst();
            }
          }
          if (line.startsWith("Step ")) {
            step = line.length() > 120 ? line.substring(0, 120) + "..." : line;
          }
        }
      }
      super.onNext(item);
    }

    String text() {
      synchronized (lines) {
        return String.join(" | ", lines);
      }
    }
  }

  /** Settings of a {@link WorkerImage}. Not thread-safe. */
  public static final class Builder {
    private final Path modelFile;
    private final String repository;
    private String modelName;
    private String baseImage = DEFAULT_BASE_IMAGE;
    private String javaImage = DEFAULT_JAVA_IMAGE;
    private Duration buildTimeout = Duration.ofMinutes(20);

    private Builder(Path modelFile, String repository) {
      this.modelFile = Objects.requireNonNull(modelFile, "modelFile");
      this.repository = Objects.requireNonNull(repository, "repository");
      int lastSlash = repository.lastIndexOf('/');
      if (!REPOSITORY.matcher(repository).matches() || repository.indexOf(':', lastSlash + 1) >= 0
          || repository.endsWith("/")) {
        throw new IllegalArgumentException("image name " + repository + " must be a repository"
            + " without a tag (lower case; the tag is the image's content hash), such as"
            + " registry.example.com/llm/ollama-qwen");
      }
      String file = modelFile.getFileName() == null ? "model" : modelFile.getFileName().toString();
      this.modelName = file.replaceFirst("(?i)\\.gguf$", "").toLowerCase(java.util.Locale.ROOT)
          .replaceAll("[^a-z0-9_.-]", "-").replaceFirst("^[^a-z0-9]+", "");
      if (modelName.isEmpty()) {
        modelName = "model";
      }
    }

    /**
     * The model's name in Ollama; by default the file's name without {@code .gguf}.
     *
     * @throws IllegalArgumentException when it is not an Ollama model name
     */
    public Builder modelName(String name) {
      if (!MODEL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("model name " + name + " must be lower-case letters,"
            + " digits, '_', '.', '-' (and an optional :tag)");
      }
      this.modelName = name;
      return this;
    }

    /** The Ollama image to build from (its stand-in where the official one cannot be had). */
    public Builder baseImage(String image) {
      this.baseImage = Objects.requireNonNull(image, "image");
      return this;
    }

    /**
     * The image the worker's Java 21+ runtime is copied from ({@code $JAVA_HOME}, or the
     * {@code java} on its PATH); by default {@link #DEFAULT_JAVA_IMAGE} (its stand-in where the
     * official one cannot be had).
     */
    public Builder javaImage(String image) {
      this.javaImage = Objects.requireNonNull(image, "image");
      return this;
    }

    /** How long the build may take (20 minutes by default). */
    public Builder buildTimeout(Duration timeout) {
      this.buildTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public WorkerImage build() {
      return new WorkerImage(this);
    }
  }
}
