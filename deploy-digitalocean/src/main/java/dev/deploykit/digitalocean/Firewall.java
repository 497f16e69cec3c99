package dev.deploykit.digitalocean;

import java.util.List;

/**
 * A cloud firewall.
 *
 * @param id its uuid
 * @param status {@code waiting}, {@code succeeded} or {@code failed}
 * @param inbound its inbound rules
 * @param tags the droplet tags it applies to
 * @param dropletIds the droplets it applies to by id
 */
public record Firewall(String id, String name, String status, List<FirewallRule> inbound,
    List<String> tags, List<Long> dropletIds) {
  public Firewall {
    inbound = List.copyOf(inbound);
    tags = List.copyOf(tags);
    dropletIds = List.copyOf(dropletIds);
  }
}
