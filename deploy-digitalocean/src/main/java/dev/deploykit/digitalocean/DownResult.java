package dev.deploykit.digitalocean;

import java.util.List;

/**
 * What {@link Provisioner#down} removed.
 *
 * @param droplets the droplets destroyed (tagged {@code deploykit:<stack>} only)
 * @param firewall the firewall deleted, or empty when there was none of deploykit's
 * @param knownHostsLines the addresses whose known_hosts line was removed
 */
public record DownResult(List<Droplet> droplets, List<String> firewall, List<String> knownHostsLines) {
  public DownResult {
    droplets = List.copyOf(droplets);
    firewall = List.copyOf(firewall);
    knownHostsLines = List.copyOf(knownHostsLines);
  }

  /** Whether there was nothing to remove. */
  public boolean nothingToDo() {
    return droplets.isEmpty() && firewall.isEmpty() && knownHostsLines.isEmpty();
  }
}
