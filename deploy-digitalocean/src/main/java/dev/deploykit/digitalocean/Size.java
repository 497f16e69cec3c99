package dev.deploykit.digitalocean;

import java.util.List;

/** A droplet size: its slug ({@code s-1vcpu-1gb}), whether it is offered, and where. */
public record Size(String slug, boolean available, List<String> regions, int memory, int vcpus) {
  public Size {
    regions = List.copyOf(regions);
  }
}
