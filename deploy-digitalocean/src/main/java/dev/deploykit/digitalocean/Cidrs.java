package dev.deploykit.digitalocean;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Checks of the addresses a firewall rule names. */
final class Cidrs {
  private Cidrs() {}

  /** Throws (INVALID_REQUEST) unless {@code cidr} is an IPv4 or IPv6 address with a prefix length. */
  static void check(String cidr) {
    int slash = cidr.indexOf('/');
    String address = slash < 0 ? cidr : cidr.substring(0, slash);
    boolean literal = address.matches("[0-9.]+") || address.contains(":");
    try {
      if (!literal) {
        throw new UnknownHostException(address);
      }
      InetAddress parsed = InetAddress.getByName(address);
      int max = parsed.getAddress().length * 8;
      if (slash >= 0) {
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        if (bits < 0 || bits > max) {
          throw new NumberFormatException();
        }
      }
    } catch (UnknownHostException | NumberFormatException e) {
      throw new DigitalOceanException(DigitalOceanException.Kind.INVALID_REQUEST,
          "'" + cidr + "' is not an address or CIDR (for example 203.0.113.4/32)");
    }
  }

  /** Whether it is the whole IPv4 or IPv6 internet. */
  static boolean everywhere(String cidr) {
    return cidr.endsWith("/0");
  }
}
