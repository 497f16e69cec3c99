package dev.deploykit.images;

/**
 * A stand-in image could not be resolved or built. The message names the image, the step that
 * failed (debootstrap, a Dockerfile instruction, a missing Maven artifact, ...) and what to do.
 */
public final class ImageBuildException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImageBuildException(String message) {
    super(message);
  }

  public ImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
