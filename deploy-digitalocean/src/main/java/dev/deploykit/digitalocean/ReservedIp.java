package dev.deploykit.digitalocean;

import org.jspecify.annotations.Nullable;

/**
 * A reserved IPv4 address.
 *
 * @param dropletId the droplet it is assigned to, or null
 */
public record ReservedIp(String ip, String region, @Nullable Long dropletId, boolean locked) {}
