package dev.deploykit.digitalocean;

/**
 * An SSH key on the account.
 *
 * @param fingerprint the MD5 fingerprint as DigitalOcean writes it ({@code 3b:16:...})
 * @param publicKey the authorized_keys line
 */
public record SshKey(long id, String fingerprint, String name, String publicKey) {}
