package dev.deploykit.digitalocean;

import java.util.List;

/**
 * One inbound rule of a firewall: traffic on {@code ports} over {@code protocol} from
 * {@code addresses}.
 *
 * @param protocol {@code tcp}, {@code udp} or {@code icmp}
 * @param ports one port, a range {@code 8000-9000}, or {@code 0} for all
 * @param addresses CIDRs or addresses the traffic may come from
 */
public record FirewallRule(String protocol, String ports, List<String> addresses) {
  public FirewallRule {
    addresses = List.copyOf(addresses);
  }

  /** TCP on one port from these addresses. */
  public static FirewallRule tcp(int port, List<String> addresses) {
    return new FirewallRule("tcp", Integer.toString(port), addresses);
  }

  /** {@code tcp 22 from 203.0.113.0/24} */
  @Override
  public String toString() {
    return protocol + " " + ports + " from " + String.join(", ", addresses);
  }
}
