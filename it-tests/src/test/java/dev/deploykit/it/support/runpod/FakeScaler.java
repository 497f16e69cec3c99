package dev.deploykit.it.support.runpod;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.TransferProgress;
import dev.deploykit.it.support.runpod.FakeEndpoint.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;

/**
 * The fake's autoscaler: every 250 ms, per endpoint, it starts and stops real worker containers
 * from the endpoint's image (pulled from its registry with the endpoint's registry credentials)
 * as {@code workers.min}, {@code workers.max}, {@code idleTimeout} and the scaler say; replaces
 * workers of an older endpoint version (an idle one at once, a busy one after its job); and
 * sees a worker that exited as unhealthy, with its last log lines, restarting after a backoff.
 */
final class FakeScaler implements AutoCloseable {
  static final String LABEL = "dev.deploykit.test.fake-runpod";

  private final FakeRunPod fake;
  private final Docker docker;
  private final Thread loop;
  private final AtomicInteger started = new AtomicInteger();
  private final Map<String, Integer> peak = new ConcurrentHashMap<>();
  private final Set<String> pulled = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  FakeScaler(FakeRunPod fake, Docker docker) {
    this.fake = fake;
    this.docker = docker;
    this.loop = new Thread(this::run, "fake-runpod-scaler");
    loop.setDaemon(true);
  }

  void start() {
    loop.start();
  }

  int started() {
    return started.get();
  }

  int peak(String endpointId) {
    return peak.getOrDefault(endpointId, 0);
  }

  private void run() {
    int tick = 0;
    while (!closed) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
      tick++;
      List<FakeEndpoint> eps;
      synchronized (fake) {
        eps = new ArrayList<>(fake.endpoints.values());
      }
      for (FakeEndpoint e : eps) {
        try {
          scale(e, tick % 4 == 0);
        } catch (RuntimeException ex) {
          System.err.println("fake RunPod scaler: " + ex);
        }
      }
    }
  }

  private void scale(FakeEndpoint e, boolean inspect) {
    if (inspect) {
      List<Worker> live;
      synchronized (fake) {
        live = new ArrayList<>(e.workers.values());
      }
      for (Worker w : live) {
        if (w.containerId != null && !w.stopping && !docker.running(w.containerId)) {
          List<String> logs = docker.logs(w.containerId, 20);
          Long code = docker.exitCode(w.containerId);
          docker.remove(w.containerId);
          synchronized (fake) {
            w.exited = true;
            w.lastLogs = logs;
            w.reason = "exited with code " + code;
            e.workers.remove(w.id);
            e.gone.add(w);
            e.crashBackoffUntilNanos = System.nanoTime() + 3_000_000_000L;
            if (w.jobId != null) {
              FakeEndpoint.Job job = e.jobs.get(w.jobId);
              if (job != null && !job.isFinal()) {
                job.status = "FAILED";
                job.error = "worker " + w.id + " exited while running the job";
                job.endedNanos = System.nanoTime();
                e.failed++;
              }
            }
            fake.notifyAll();
          }
        }
      }
    }
    List<Worker> toStop = new ArrayList<>();
    int toStart;
    String image;
    String registry;
    Map<String, String> env = new HashMap<>();
    int version;
    synchronized (fake) {
      long now = System.nanoTime();
      // Stale workers: replaced once idle.
      for (Worker w : e.workers.values()) {
        if (!w.stopping && w.version != e.version && w.jobId == null) {
          toStop.add(w);
        }
      }
      List<Worker> fresh = e.workers.values().stream()
          .filter(w -> !w.stopping && w.version == e.version && !toStop.contains(w)).toList();
      int active = fresh.size();
      long queued = e.queue.size();
      int desired;
      if (e.scalerType().equals("REQUEST_COUNT")) {
        desired = (int) Math.ceil((queued + e.inProgress()) / e.scalerValue());
        desired = Math.max(desired, Math.min(active, busyOrYoung(fresh, now)));
      } else {
        desired = active;
        long oldestWait = e.queue.isEmpty() ? 0 : now - e.queue.peekFirst().createdNanos;
        long delay = (long) (e.scalerValue() * 1e9);
        if (queued > 0 && (active == 0 || (oldestWait > delay && now - e.lastScaleUpNanos > delay
            && fresh.stream().allMatch(w -> w.jobId != null || w.lastPingNanos == 0)))) {
          desired = active + 1;
        }
      }
      desired = Math.max(e.min(), Math.min(e.max(), desired));
      // Idle workers beyond the minimum stop after the idle timeout.
      long idle = e.idleTimeoutSeconds() * 1_000_000_000L;
      int floor = e.scalerType().equals("REQUEST_COUNT") ? desired : e.min();
      int keep = active;
      for (Worker w : fresh) {
        if (keep > floor && w.jobId == null && w.lastPingNanos > 0
            && now - w.idleSinceNanos > idle) {
          toStop.add(w);
          keep--;
        }
      }
      toStart = now < e.crashBackoffUntilNanos ? 0 : Math.max(0, desired - active);
      image = e.image();
      registry = e.config.path("registry").isTextual() ? e.config.get("registry").asText() : null;
      e.config.path("env").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
      env.putAll(fake.webhooks(e));
      version = e.version;
      for (Worker w : toStop) {
        w.stopping = true;
      }
      if (toStart > 0) {
        e.lastScaleUpNanos = now;
      }
      fake.notifyAll();
    }
    for (Worker w : toStop) {
      stop(e, w);
    }
    for (int i = 0; i < toStart; i++) {
      startWorker(e, image, registry, env, version);
    }
  }

  private static int busyOrYoung(List<Worker> fresh, long now) {
    // Request-count scaling keeps a worker until it has idled a moment (scale-down below).
    return (int) fresh.stream().filter(w -> w.jobId != null || w.lastPingNanos == 0).count();
  }

  private void startWorker(FakeEndpoint e, String image, String registry, Map<String, String> env, int version) {
    String[] credentials = registry == null ? null : fake.registry(registry);
    if (pulled.add(image + "|" + registry)) {
      try {
        docker.pull(image, credentials);
      } catch (RuntimeException ex) {
        pulled.remove(image + "|" + registry);
        System.err.println("fake RunPod: pull of " + image + " failed: " + ex.getMessage());
        synchronized (fake) {
          Worker failed = new Worker("w" + UUID.randomUUID().toString().substring(0, 8), "", version, image);
          failed.exited = true;
          failed.reason = "image pull failed: " + ex.getMessage();
          failed.lastLogs = List.of("pull " + image + ": " + ex.getMessage());
          e.gone.add(failed);
          e.crashBackoffUntilNanos = System.nanoTime() + 3_000_000_000L;
        }
        return;
      }
    }
    String id = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String key = "rpk_" + UUID.randomUUID().toString().replace("-", "");
    Worker w = new Worker(id, key, version, image);
    Map<String, String> all = new HashMap<>(env);
    all.put("RUNPOD_POD_ID", id);
    all.put("RUNPOD_AI_API_KEY", key);
    all.put("RUNPOD_PING_INTERVAL", "1000");
    all.put("RUNPOD_ENDPOINT_ID", e.id);
    all.put("RUNPOD_SKIP_AUTO_SYSTEM_CHECKS", "true");
    all.put("RUNPOD_SKIP_GPU_CHECK", "true");
    synchronized (fake) {
      e.workers.put(id, w);
      peak.merge(e.id, (int) e.workers.values().stream().filter(x -> !x.stopping).count(), Math::max);
    }
    try {
      w.containerId = docker.run("deploykit-fake-runpod-" + e.id + "-" + id, image, all, e.id);
      started.incrementAndGet();
    } catch (RuntimeException ex) {
      synchronized (fake) {
        e.workers.remove(id);
        w.exited = true;
        w.reason = "container did not start: " + ex.getMessage();
        e.gone.add(w);
        e.crashBackoffUntilNanos = System.nanoTime() + 3_000_000_000L;
      }
    }
  }

  private void stop(FakeEndpoint e, Worker w) {
    Thread.ofPlatform().daemon().start(() -> {
      if (w.containerId != null) {
        docker.stop(w.containerId);
        docker.remove(w.containerId);
      }
      synchronized (fake) {
        e.workers.remove(w.id);
        fake.notifyAll();
      }
    });
  }

  void stopAll(FakeEndpoint e) {
    for (Worker w : new ArrayList<>(e.workers.values())) {
      w.stopping = true;
      stop(e, w);
    }
  }

  List<String> logs(Worker w, int tail) {
    if (w.containerId != null && !w.exited) {
      return docker.logs(w.containerId, tail);
    }
    List<String> lines = w.lastLogs;
    return lines.subList(Math.max(0, lines.size() - tail), lines.size());
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    try {
      loop.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    docker.close();
  }

  /** The engine side: the workers' network and containers, all labelled, all removed on close. */
  static final class Docker implements AutoCloseable {
    private final DockerClient client;
    private final String network;
    private final String gateway;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private final DockerHost host;

    private Docker(DockerClient client, String network, String gateway) {
      this.client = client;
      this.host = DockerHost.of(client, "local engine");
      this.network = network;
      this.gateway = gateway;
    }

    static Docker create() {
      DockerClient client = DockerClientFactory.instance().client();
      String name = "deploykit-fake-runpod-" + UUID.randomUUID().toString().substring(0, 8);
      client.createNetworkCmd().withName(name).withDriver("bridge")
          .withLabels(Map.of(LABEL, "true")).exec();
      Network n = client.inspectNetworkCmd().withNetworkId(name).exec();
      String gateway = n.getIpam().getConfig().getFirst().getGateway();
      return new Docker(client, name, gateway);
    }

    String gateway() {
      return gateway;
    }

    void pull(String image, String[] credentials) {
      // As a RunPod host pulls: with the endpoint's registry credentials in the call.
      RegistryAuth auth = null;
      if (credentials != null) {
        auth = new RegistryAuth(image.substring(0, image.indexOf('/')), credentials[0], credentials[1]);
      }
      try {
        host.pull(image, auth, Duration.ofMinutes(2), TransferProgress.NONE);
      } catch (DeployException e) {
        throw new IllegalStateException(e.getMessage().strip().replaceAll("\\s+", " "));
      }
    }

    String run(String name, String image, Map<String, String> env, String endpointId) {
      List<String> list = new ArrayList<>();
      env.forEach((k, v) -> list.add(k + "=" + v));
      String id = client.createContainerCmd(image).withName(name)
          .withLabels(Map.of(LABEL, run, LABEL + ".endpoint", endpointId))
          .withEnv(list)
          .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network)
              .withMemory(768L * 1024 * 1024))
          .exec().getId();
      try {
        client.startContainerCmd(id).exec();
      } catch (RuntimeException e) {
        remove(id);
        throw e;
      }
      return id;
    }

    boolean running(String id) {
      try {
        InspectContainerResponse r = client.inspectContainerCmd(id).exec();
        return Boolean.TRUE.equals(r.getState().getRunning());
      } catch (NotFoundException e) {
        return false;
      }
    }

    Long exitCode(String id) {
      try {
        return client.inspectContainerCmd(id).exec().getState().getExitCodeLong();
      } catch (NotFoundException e) {
        return null;
      }
    }

    List<String> logs(String id, int tail) {
      List<String> lines = new ArrayList<>();
      try {
        client.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(tail)
            .exec(new ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                for (String line : new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                  if (!line.isBlank()) {
                    synchronized (lines) {
                      lines.add(line.stripTrailing());
                    }
                  }
                }
              }
            }).awaitCompletion(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (DockerException e) {
        // Gone: no lines.
      }
      synchronized (lines) {
        return new ArrayList<>(lines);
      }
    }

    void stop(String id) {
      try {
        client.stopContainerCmd(id).withTimeout(30).exec();
      } catch (DockerException e) {
        // Already stopped or gone.
      }
    }

    void remove(String id) {
      try {
        client.removeContainerCmd(id).withForce(true).exec();
      } catch (DockerException e) {
        // Already gone.
      }
    }

    @Override
    public void close() {
      for (var c : client.listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(LABEL, run)).exec()) {
        remove(c.getId());
      }
      try {
        client.removeNetworkCmd(network).exec();
      } catch (DockerException e) {
        // Already gone.
      }
    }
  }
}
