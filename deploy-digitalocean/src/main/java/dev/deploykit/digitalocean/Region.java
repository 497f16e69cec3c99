package dev.deploykit.digitalocean;

import java.util.List;

/** A region: its slug ({@code nyc3}), whether droplets can be made there, and its sizes. */
public record Region(String slug, String name, boolean available, List<String> sizes) {
  public Region {
    sizes = List.copyOf(sizes);
  }
}
