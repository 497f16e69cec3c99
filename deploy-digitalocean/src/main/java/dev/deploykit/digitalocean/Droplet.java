package dev.deploykit.digitalocean;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A droplet as the API describes it.
 *
 * @param id the droplet's id (a {@code long}: DigitalOcean's ids pass 2^31)
 * @param status {@code new}, {@code active}, {@code off} or {@code archive}
 * @param publicIpv4 the first public IPv4 address, or null before one is assigned
 * @param privateIpv4 the private IPv4 address, or null
 * @param locked whether an action holds the droplet
 */
public record Droplet(long id, String name, String status, String region, String size, String image,
    List<String> tags, @Nullable String publicIpv4, @Nullable String privateIpv4, boolean locked) {
  public Droplet {
    tags = List.copyOf(tags);
  }

  /** Whether it is {@code active}. */
  public boolean active() {
    return "active".equals(status);
  }

  /** Whether it carries {@code tag}. */
  public boolean tagged(String tag) {
    return tags.contains(tag);
  }
}
