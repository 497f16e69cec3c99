package dev.deploykit.digitalocean;

import java.util.List;
import java.util.Optional;

/**
 * What DigitalOcean holds for a stack ({@link Provisioner#status}).
 *
 * @param droplets the droplets tagged {@code deploykit:<stack>}
 * @param firewall the stack's firewall, if there is one
 * @param reservedIps the reserved IPs assigned to those droplets
 */
public record StackDroplets(String stack, List<Droplet> droplets, Optional<Firewall> firewall,
    List<ReservedIp> reservedIps) {
  public StackDroplets {
    droplets = List.copyOf(droplets);
    reservedIps = List.copyOf(reservedIps);
  }
}
