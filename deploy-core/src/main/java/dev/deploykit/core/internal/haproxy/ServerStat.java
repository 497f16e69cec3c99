package dev.deploykit.core.internal.haproxy;

/**
 * One server of a backend as {@code show stat} reports it.
 *
 * @param backend the backend (proxy) name
 * @param server the server (slot) name
 * @param status {@code UP}, {@code DRAIN}, {@code MAINT}, {@code no check}, ...
 * @param sessions current sessions ({@code scur})
 * @param queued requests waiting for the server ({@code qcur})
 * @param address {@code ip:port}, empty when HAProxy does not say
 */
public record ServerStat(String backend, String server, String status, int sessions, int queued, String address) {

  /** Whether the server takes new traffic (up, or up without checks). */
  public boolean live() {
    return status.equals("UP") || status.equals("no check") || status.startsWith("UP ");
  }

  /** Whether the server is in maintenance (takes nothing). */
  public boolean maintenance() {
    return status.startsWith("MAINT");
  }
}
