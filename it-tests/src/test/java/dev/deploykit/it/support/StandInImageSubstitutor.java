package dev.deploykit.it.support;

import dev.deploykit.images.ImageSource;
import dev.deploykit.images.Resolution;
import dev.deploykit.images.StandInImages;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Testcontainers' hook for deploykit's stand-in images: an image with a recipe (postgres:18.1, ...)
 * is replaced by its locally built stand-in when the official one cannot be pulled, or always
 * with {@code -Ddeploykit.images=local}. Named in {@code testcontainers.properties}; Testcontainers
 * makes one instance per JVM.
 */
public final class StandInImageSubstitutor extends ImageNameSubstitutor {
  private static volatile StandInImages images;

  /** The resolver the suite shares, on Testcontainers' own Docker client. */
  public static StandInImages images() {
    StandInImages result = images;
    if (result == null) {
      synchronized (StandInImageSubstitutor.class) {
        result = images;
        if (result == null) {
          result = StandInImages.builder(DockerClientFactory.instance().client())
              .source(ImageSource.fromSystemProperties())
              .build();
          images = result;
        }
      }
    }
    return result;
  }

  /** The image to run for an official reference, as the suite resolves it. */
  public static String resolve(String official) {
    return images().resolve(official).image();
  }

  @Override
  public DockerImageName apply(DockerImageName original) {
    Resolution resolution = images().resolve(original.asCanonicalNameString());
    if (!resolution.standIn()) {
      return original;
    }
    return DockerImageName.parse(resolution.image()).asCompatibleSubstituteFor(original);
  }

  @Override
  protected String getDescription() {
    return "deploykit stand-in images (-D" + ImageSource.PROPERTY + "="
        + images().source().name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}
