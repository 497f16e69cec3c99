/**
 * DigitalOcean API v2 and droplet provisioning.
 *
 * <ul>
 *   <li>{@link dev.deploykit.digitalocean.DigitalOcean}: the API client (OkHttp, base URL
 *       configurable), paginated by {@code links.pages.next}, paced by {@code ratelimit-*},
 *       retrying what is safe to repeat, never repeating a droplet create blindly;
 *   <li>{@link dev.deploykit.digitalocean.Provisioner}: {@code up} (key, droplet with a
 *       cloud-config carrying a host key generated here, firewall, optional reserved IP, then SSH
 *       with the pinned key and the engine), {@code status} and {@code down}.
 * </ul>
 */
@NullMarked
package dev.deploykit.digitalocean;

import org.jspecify.annotations.NullMarked;
