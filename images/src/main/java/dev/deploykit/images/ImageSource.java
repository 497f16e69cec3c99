package dev.deploykit.images;

import java.util.Locale;

/**
 * Where the images named by official references come from.
 *
 * <p>Chosen with the system property {@value #PROPERTY} ({@code auto}, {@code official} or
 * {@code local}); {@link #AUTO} when it is absent.
 */
public enum ImageSource {
  /** The official image when it is present or can be pulled, else the locally built stand-in. */
  AUTO,
  /** Always the official image; fail when it cannot be pulled. */
  OFFICIAL,
  /** Always the locally built stand-in, even where the official image could be pulled. */
  LOCAL;

  /** The system property that chooses the source. */
  public static final String PROPERTY = "deploykit.images";

  /**
   * The source named by the system property {@value #PROPERTY}.
   *
   * @throws IllegalArgumentException when the property holds anything but auto, official or local
   */
  public static ImageSource fromSystemProperties() {
    return parse(System.getProperty(PROPERTY, "auto"));
  }

  /**
   * Parses {@code auto}, {@code official} or {@code local}, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the property and the accepted values otherwise
   */
  public static ImageSource parse(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "", "auto" -> AUTO;
      case "official" -> OFFICIAL;
      case "local" -> LOCAL;
      default -> throw new IllegalArgumentException(
          "-D" + PROPERTY + "=" + value + " is not a valid image source: use auto, official or local");
    };
  }
}
