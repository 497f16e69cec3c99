package dev.deploykit.digitalocean;

/**
 * The token's account.
 *
 * @param dropletLimit how many droplets it may have
 * @param status {@code active}, {@code warning} or {@code locked}
 */
public record Account(String email, int dropletLimit, String status) {}
