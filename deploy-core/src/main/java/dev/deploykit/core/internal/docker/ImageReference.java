package dev.deploykit.core.internal.docker;

/**
 * An image reference cut into what the engine's create and push calls take: the repository,
 * and a tag or a digest. docker-java's own parser cuts {@code repo@sha256:...} at the wrong colon.
 *
 * @param repository the repository, with its registry if it names one ({@code 127.0.0.1:5000/shop/web})
 * @param tagOrDigest the tag ({@code v2}, {@code latest} when none is given) or the digest
 *     ({@code sha256:...})
 */
record ImageReference(String repository, String tagOrDigest) {

  static ImageReference parse(String image) {
    int at = image.indexOf('@');
    if (at > 0) {
      return new ImageReference(image.substring(0, at), image.substring(at + 1));
    }
    int colon = image.lastIndexOf(':');
    if (colon > image.lastIndexOf('/')) {
      return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
    }
    return new ImageReference(image, "latest");
  }

  /**
   * The registry the reference names, as Docker reads it: the first path component when it has
   * a dot or a port or is {@code localhost}, else Docker Hub.
   */
  static String registryOf(String image) {
    int slash = image.indexOf('/');
    if (slash > 0) {
      String first = image.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        return first;
      }
    }
    return "docker.io";
  }
}
