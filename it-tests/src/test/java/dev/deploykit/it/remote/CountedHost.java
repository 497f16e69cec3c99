package dev.deploykit.it.remote;

import dev.deploykit.core.engine.DockerHost;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link DockerHost} that counts the calls made to it, by method, and passes each to the host
 * it wraps: how many engine calls a deploy makes. Calls made straight on {@link DockerHost#client()}
 * count once, as {@code client}.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class CountedHost {
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final DockerHost host;

  CountedHost(DockerHost wrapped) {
    this.host = (DockerHost) Proxy.newProxyInstance(DockerHost.class.getClassLoader(),
        new Class<?>[] {DockerHost.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() != Object.class && !method.getName().equals("close")) {
            calls.computeIfAbsent(method.getName(), k -> new LongAdder()).increment();
          }
          try {
            return method.invoke(wrapped, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** The counting host. */
  DockerHost host() {
    return host;
  }

  /** Calls so far, by method name, sorted. */
  Map<String, Long> byMethod() {
    Map<String, Long> snapshot = new TreeMap<>();
    calls.forEach((name, n) -> snapshot.put(name, n.sum()));
    return snapshot;
  }

  /** Calls so far. */
  long total() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
