package dev.deploykit.images;

import java.util.Locale;

/** Image reference helpers: the Docker Hub defaults that make two spellings the same image. */
public final class ImageNames {
  private ImageNames() {}

  /**
   * The reference with Docker Hub's implicit parts removed and {@code latest} made explicit:
   * {@code docker.io/library/postgres:18.1}, {@code index.docker.io/library/postgres:18.1} and
   * {@code postgres:18.1} all give {@code postgres:18.1}.
   */
  public static String normalize(String image) {
    String s = image.strip().toLowerCase(Locale.ROOT);
    for (String prefix : new String[] {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
      if (s.startsWith(prefix)) {
        s = s.substring(prefix.length());
        break;
      }
    }
    if (s.startsWith("library/")) {
      s = s.substring("library/".length());
    }
    int slash = s.lastIndexOf('/');
    if (!s.contains("@") && s.indexOf(':', slash + 1) < 0) {
      s = s + ":latest";
    }
    return s;
  }

  /** The repository part of a reference (everything before the tag or digest). */
  public static String repository(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return image.substring(0, at);
    }
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  /** The tag of a reference, {@code latest} when it has none. */
  public static String tag(String image) {
    if (image.contains("@")) {
      throw new IllegalArgumentException(image + " is pinned by digest and has no tag");
    }
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
  }
}
