package dev.deploykit.images;

import java.util.Objects;

/**
 * Which image to run for a requested reference, and why.
 *
 * @param requested the reference asked for, for example {@code postgres:18.1}
 * @param image the reference to run: the requested one, or a stand-in such as
 *     {@code deploykit.local/postgres:18.1}
 * @param standIn whether {@code image} is a locally built stand-in
 * @param reason why this image was chosen, in words
 */
public record Resolution(String requested, String image, boolean standIn, String reason) {
  public Resolution {
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(reason, "reason");
  }

  /** One line for a log: what runs in place of what, and why. */
  @Override
  public String toString() {
    return standIn
        ? "Using stand-in " + image + " for " + requested + ": " + reason
        : "Using " + image + ": " + reason;
  }
}
