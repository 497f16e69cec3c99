package dev.deploykit.core.testing;

import java.util.List;
import java.util.Optional;

/**
 * A stack's proxy as a test sees it, from {@link FakeDockerHost#proxy(String)}: which addresses
 * each web backend sends new requests to, which container that is, the state and sessions of
 * its server slots. Empty answers while the proxy does not run.
 *
 * <p>Thread safe: each call reads the host under its lock.
 */
public final class ProxyView {
  private final FakeDockerHost host;
  private final String container;

  ProxyView(FakeDockerHost host, String container) {
    this.host = host;
    this.container = container;
  }

  /** One server slot: its name, {@code ip:port}, state (ready, drain, maint) and sessions. */
  public record Slot(String server, String address, String state, int sessions) {}

  /** The backend's slots in configuration order (empty while the proxy does not run). */
  public List<Slot> slots(String backend) {
    synchronized (host) {
      Optional<FakeHaproxy> proxy = host.container(container).map(FakeContainer::proxy);
      if (proxy.isEmpty()) {
        return List.of();
      }
      long now = host.now();
      return proxy.get().servers(backend).stream()
          .map(s -> new Slot(s.name, s.address(), s.state, proxy.get().sessions(s, now, host.drainScript())))
          .toList();
    }
  }

  /** The addresses new requests of the backend go to (slots in state ready). */
  public List<String> servedAddresses(String backend) {
    return slots(backend).stream().filter(s -> s.state().equals("ready")).map(Slot::address).toList();
  }

  /**
   * The container that alone takes the backend's new requests: empty when no slot is ready, or
   * when the ready slot's address belongs to no running container.
   *
   * @throws AssertionError when more than one slot takes new requests
   */
  public Optional<String> servedContainer(String backend) {
    synchronized (host) {
      List<String> served = servedAddresses(backend);
      if (served.size() > 1) {
        throw new AssertionError("backend " + backend + " sends new requests to " + served);
      }
      return served.stream().findFirst()
          .flatMap(a -> host.byAddress(a.substring(0, a.lastIndexOf(':'))))
          .filter(FakeContainer::running).map(FakeContainer::name);
    }
  }

  /** Whether the proxy container runs with a configuration HAProxy could load. */
  public boolean running() {
    return host.container(container).map(c -> c.running() && c.proxy() != null).orElse(false);
  }
}
