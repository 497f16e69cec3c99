package dev.deploykit.images;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How to build one stand-in image: its own name, the official image it stands in for (if any),
 * the recipe directory on the class path with the files to take from it, extra inputs, and the
 * recipe of its base image, passed to the Dockerfile as the build argument {@code BASE_IMAGE}.
 *
 * @param localName the stand-in's name, for example {@code deploykit.local/postgres:18.1}
 * @param officialName the image it replaces, for example {@code postgres:18.1}; null when there is
 *     no official counterpart
 * @param directory the class-path folder holding the recipe, for example
 *     {@code dev/deploykit/images/recipes/postgres-18.1}
 * @param files the files of that folder to put in the build context; the first is the Dockerfile
 * @param inputs further build-context content
 * @param base the recipe of the base image, or null for an image built {@code FROM scratch}
 * @param buildArgs further build arguments (for example the {@code APP_VERSION} the sample images
 *     bake in); part of the recipe's input hash, so images that differ only in them are distinct.
 *     {@code BASE_IMAGE} is reserved for the base image
 */
public record Recipe(
    String localName,
    @Nullable String officialName,
    String directory,
    List<String> files,
    List<RecipeInput> inputs,
    @Nullable Recipe base,
    Map<String, String> buildArgs) {

  /** A recipe without build arguments beyond {@code BASE_IMAGE}. */
  public Recipe(String localName, @Nullable String officialName, String directory,
      List<String> files, List<RecipeInput> inputs, @Nullable Recipe base) {
    this(localName, officialName, directory, files, inputs, base, Map.of());
  }

  public Recipe {
    Objects.requireNonNull(localName, "localName");
    Objects.requireNonNull(directory, "directory");
    files = List.copyOf(files);
    inputs = List.copyOf(inputs);
    // Sorted, so that the input hash does not depend on the map's iteration order.
    buildArgs = java.util.Collections.unmodifiableMap(new TreeMap<>(buildArgs));
    if (buildArgs.containsKey("BASE_IMAGE")) {
      throw new IllegalArgumentException("buildArgs of recipe " + localName
          + " may not set BASE_IMAGE: it names the base recipe's image");
    }
    if (files.isEmpty() || !files.getFirst().equals("Dockerfile")) {
      throw new IllegalArgumentException("files of recipe " + localName + " must start with Dockerfile");
    }
    if (!localName.contains(":")) {
      throw new IllegalArgumentException("localName " + localName + " needs a tag");
    }
  }

  /** The official image this recipe stands in for, if it has one. */
  public Optional<String> official() {
    return Optional.ofNullable(officialName);
  }

  /** The base recipe, if the Dockerfile starts from another stand-in. */
  public Optional<Recipe> baseRecipe() {
    return Optional.ofNullable(base);
  }
}
