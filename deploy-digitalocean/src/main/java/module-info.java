/**
 * deploykit deploy-digitalocean: a DigitalOcean API v2 client ({@code dev.deploykit.digitalocean}:
 * droplets, actions, SSH keys, tags, firewalls, reserved IPs, regions, sizes, the account) and the
 * provisioning of a droplet that deploykit then releases to over SSH ({@link
 * dev.deploykit.digitalocean.Provisioner}). Nothing under {@code
 * dev.deploykit.digitalocean.internal} is exported. JSON is read and written as Jackson trees,
 * so no package is opened to Jackson.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.deploykit.digitalocean {
  exports dev.deploykit.digitalocean;

  // In the API: the builder takes an OkHttpClient and health's TimeSource; the provisioner hands
  // out deploy-core's SshHost.Builder for the droplet.
  requires transitive dev.deploykit.core;
  requires transitive dev.deploykit.health;
  requires transitive okhttp3;
  requires static transitive org.jspecify;

  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires org.snakeyaml.engine.v2;
}
