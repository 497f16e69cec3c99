package dev.deploykit.digitalocean;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Provisioner#up} makes: one droplet for a stack.
 *
 * @param stack the stack's name; the droplet is tagged {@code deploykit} and {@code deploykit:<stack>}
 * @param name the droplet's name
 * @param region a region slug ({@code nyc3})
 * @param size a size slug ({@code s-1vcpu-1gb})
 * @param image an image slug ({@code ubuntu-24-04-x64}, {@code debian-12-x64})
 * @param user the deploy user the cloud-config creates ({@code deploy})
 * @param publicKey the operator's public key line, authorised for {@code user} and uploaded to the account
 * @param identityFile the private key that matches it, for the SSH checks (null: the default keys)
 * @param adminCidrs where SSH may come from
 * @param sshFromAnywhere whether {@code 0.0.0.0/0} (or {@code ::/0}) may be among {@code adminCidrs}
 * @param proxyPort the stack's proxy port, open to anyone with 80 and 443
 * @param reservedIp a reserved IP to assign to the droplet, or null
 * @param readyTimeout how long the droplet may take to answer SSH with its engine
 * @param cleanupOnFailure destroy a droplet made by this run when it never becomes ready
 */
public record DropletPlan(String stack, String name, String region, String size, String image, String user,
    String publicKey, @Nullable Path identityFile, List<String> adminCidrs, boolean sshFromAnywhere, int proxyPort,
    @Nullable String reservedIp, Duration readyTimeout, boolean cleanupOnFailure) {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9]?[a-zA-Z0-9.\\-]*[a-zA-Z0-9]");
  private static final Pattern TAG_PART = Pattern.compile("[a-zA-Z0-9_\\-:]+");
  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  /**
   * Validates what can be checked without the API.
   *
   * @throws DigitalOceanException ({@link DigitalOceanException.Kind#INVALID_REQUEST}) naming the field
   */
  public DropletPlan {
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    adminCidrs = List.copyOf(adminCidrs);
    if (!TAG_PART.matcher(stack).matches() || stack.length() > 200) {
      throw invalid("the stack name '" + stack + "' cannot be part of a DigitalOcean tag (letters, digits, _ - : only)");
    }
    if (!NAME.matcher(name).matches() || name.length() > 255) {
      throw invalid("'" + name + "' is not a droplet name DigitalOcean takes (letters, digits, '.' and '-', "
          + "starting and ending with a letter or digit)");
    }
    if (!USER.matcher(user).matches()) {
      throw invalid("'" + user + "' is not a user name cloud-init can create");
    }
    if (proxyPort < 1 || proxyPort > 65535) {
      throw invalid("the proxy port " + proxyPort + " is not a TCP port");
    }
    if (adminCidrs.isEmpty()) {
      throw invalid("no admin CIDR: name where SSH may come from (--admin-cidr 203.0.113.4/32)");
    }
    for (String cidr : adminCidrs) {
      Cidrs.check(cidr);
      if (Cidrs.everywhere(cidr) && !sshFromAnywhere) {
        throw invalid("the admin CIDR " + cidr + " opens SSH to the whole internet; name your own address"
            + " (--admin-cidr 203.0.113.4/32), or allow it explicitly (--allow-ssh-from-anywhere)");
      }
    }
    if (reservedIp != null) {
      Cidrs.check(reservedIp + "/32");
    }
  }

  /** The tag only this stack's droplets carry, {@code deploykit:<stack>}. */
  public String stackTag() {
    return Provisioner.stackTag(stack);
  }

  private static DigitalOceanException invalid(String message) {
    return new DigitalOceanException(DigitalOceanException.Kind.INVALID_REQUEST, message);
  }
}
