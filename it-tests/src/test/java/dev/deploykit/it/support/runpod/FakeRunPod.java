package dev.deploykit.it.support.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deploykit.it.support.TestRegistry;
import dev.deploykit.it.support.contract.Contract;
import dev.deploykit.it.support.contract.ContractLedger;
import dev.deploykit.it.support.contract.Exchange;
import dev.deploykit.it.support.runpod.FakeEndpoint.Job;
import dev.deploykit.it.support.runpod.FakeEndpoint.Worker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A RunPod for the tests, on this machine: the management API v2 (templates, serverless
 * endpoints, workers and their logs, registries), every exchange checked against the published
 * {@code runpod-v2.json}; the invocation API with a real job queue; the worker-side queue
 * protocol (job take, result, stream, ping, stop); and a {@link FakeScaler} that runs the
 * endpoint's image as real worker containers. The management API listens on 127.0.0.1; the
 * invocation and worker APIs on the gateway of the workers' own network, so the containers reach
 * it and nothing else is exposed.
 */
public final class FakeRunPod implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  /** GPU pools the fake's catalogue knows. */
  static final Set<String> POOLS = Set.of("AMPERE_16", "AMPERE_24", "ADA_24", "AMPERE_48", "ADA_48_PRO",
      "AMPERE_80", "ADA_80_PRO", "HOPPER_141");
  static final long PING_INTERVAL_NANOS = 1_000_000_000L;

  private final String apiKey = "rpa_" + UUID.randomUUID().toString().replace("-", "");
  private final String readOnlyKey = "rpa_ro_" + UUID.randomUUID().toString().replace("-", "");
  private final ContractLedger ledger = new ContractLedger(Contract.runPod());
  private final HttpServer management;
  private final HttpServer invocation;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-runpod");
    t.setDaemon(true);
    return t;
  });
  final Map<String, FakeEndpoint> endpoints = new LinkedHashMap<>();
  final Map<String, ObjectNode> templates = new LinkedHashMap<>();
  final Map<String, String[]> registries = new LinkedHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final FakeScaler scaler;
  private final String workerHost;

  private FakeRunPod(String workerHost, FakeScaler.Docker docker) throws IOException {
    this.workerHost = workerHost;
    this.management = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    this.invocation = HttpServer.create(new InetSocketAddress(workerHost, 0), 128);
    management.setExecutor(threads);
    invocation.setExecutor(threads);
    management.createContext("/", this::serveManagement);
    invocation.createContext("/", this::serveInvocation);
    management.start();
    invocation.start();
    this.scaler = new FakeScaler(this, docker);
    scaler.start();
  }

  /** Starts the fake with its workers' network (created here, removed on close). */
  public static FakeRunPod start() throws IOException {
    FakeScaler.Docker docker = FakeScaler.Docker.create();
    try {
      return new FakeRunPod(docker.gateway(), docker);
    } catch (IOException | RuntimeException e) {
      docker.close();
      throw e;
    }
  }

  /** The management API's base, {@code http://127.0.0.1:PORT} (as {@code https://api.runpod.io}). */
  public URI managementUrl() {
    return URI.create("http://127.0.0.1:" + management.getAddress().getPort());
  }

  /** The invocation API's base (as {@code https://api.runpod.ai}). */
  public URI invocationUrl() {
    return URI.create("http://" + workerHost + ":" + invocation.getAddress().getPort());
  }

  /** The key it accepts. */
  public String apiKey() {
    return apiKey;
  }

  /** A key it knows that may only read: writes answer 403. */
  public String readOnlyKey() {
    return readOnlyKey;
  }

  /** The contract check of every management exchange. */
  public ContractLedger ledger() {
    return ledger;
  }

  /** The next {@code n} management requests answer 429 with {@code Retry-After: 1}. */
  public void rateLimitNext(int n) {
    rateLimited.set(n);
  }

  /**
   * A RunPod IT's teardown: closes the fake and asserts its contract ledger was kept, then (even
   * when that fails) removes the images pushed under the registry's {@code /llm/} and closes the
   * registry. Either may be null (a start that failed part way).
   */
  public static void closeWithRegistry(FakeRunPod fake, TestRegistry registry) {
    try {
      if (fake != null) {
        fake.close();
        fake.ledger().assertKept();
      }
    } finally {
      if (registry != null) {
        removeImages(registry.server() + "/llm/");
        registry.close();
      }
    }
  }

  /** Removes the images of {@code repositoryPrefix} (a test's own builds) from the engine. */
  public static void removeImages(String repositoryPrefix) {
    var docker = org.testcontainers.DockerClientFactory.instance().client();
    for (var image : docker.listImagesCmd().exec()) {
      for (String tag : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
        if (tag.startsWith(repositoryPrefix)) {
          try {
            docker.removeImageCmd(tag).withForce(true).exec();
          } catch (RuntimeException e) {
            // In use or gone: nothing to do.
          }
        }
      }
    }
  }

  /** How many templates the account holds. */
  public synchronized int templateCount() {
    return templates.size();
  }

  /** How many endpoints exist with that name. */
  public synchronized long endpointsNamed(String name) {
    return endpoints.values().stream().filter(e -> e.name().equals(name)).count();
  }

  /** Worker containers started so far (for figures). */
  public int containersStarted() {
    return scaler.started();
  }

  /** The most workers an endpoint had at once. */
  public int peakWorkers(String endpointId) {
    return scaler.peak(endpointId);
  }

  // ---------------------------------------------------------------- management API

  private void serveManagement(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    byte[] raw = ex.getRequestBody().readAllBytes();
    String requestBody = raw.length == 0 ? null : new String(raw, StandardCharsets.UTF_8);
    Map<String, List<String>> requestHeaders = new LinkedHashMap<>(ex.getRequestHeaders());
    Answer answer;
    try {
      answer = management(method, path, query, ex.getRequestHeaders().getFirst("Authorization"), requestBody);
    } catch (RuntimeException e) {
      answer = problem(500, "Internal Server Error", e.toString());
    }
    Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
    responseHeaders.put("Content-Type", List.of(answer.contentType));
    answer.headers.forEach((k, v) -> responseHeaders.put(k, List.of(v)));
    send(ex, answer.status, responseHeaders, answer.body);
    ledger.record(new Exchange(method, path, query, requestHeaders, requestBody, answer.status,
        responseHeaders, answer.body.isEmpty() ? null : answer.body));
  }

  record Answer(int status, String contentType, String body, Map<String, String> headers) {}

  private static Answer json(int status, JsonNode body) {
    return new Answer(status, "application/json", body.toString(), Map.of());
  }

  static Answer problem(int status, String title, String detail) {
    ObjectNode p = JSON.createObjectNode().put("title", title).put("status", status).put("detail", detail);
    return new Answer(status, "application/problem+json", p.toString(), Map.of());
  }

  private Answer management(String method, String path, String query, String auth, String body) {
    // RunPod declares its bearer scheme only at document level: the validator does not check it.
    if (auth == null || !(auth.equals("Bearer " + apiKey) || auth.equals("Bearer " + readOnlyKey))) {
      return problem(401, "Unauthorized", "missing or invalid API key");
    }
    if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      ObjectNode p = JSON.createObjectNode().put("title", "Too Many Requests").put("status", 429)
          .put("detail", "rate limit exceeded for the minute window");
      return new Answer(429, "application/problem+json", p.toString(), Map.of("Retry-After", "1"));
    }
    if (!method.equals("GET") && auth.equals("Bearer " + readOnlyKey)) {
      return problem(403, "Forbidden", "the API key has read-only access");
    }
    JsonNode in;
    try {
      in = body == null ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return problem(400, "Bad Request", "request body is not JSON");
    }
    String[] p = path.replaceAll("/+$", "").split("/");
    synchronized (this) {
      if (p.length == 4 && p[1].equals("v2") && p[2].equals("catalog") && p[3].equals("gpus")
          && method.equals("GET")) {
        return json(200, gpuCatalog());
      }
      if (p.length >= 3 && p[1].equals("v2") && p[2].equals("serverless")) {
        return serverless(method, p, query, in);
      }
      if (p.length >= 3 && p[1].equals("v2") && p[2].equals("templates")) {
        return templates(method, p, in);
      }
      if (p.length >= 3 && p[1].equals("v2") && p[2].equals("registries")) {
        return registries(method, p, in);
      }
    }
    return problem(404, "Not Found", "no route " + method + " " + path);
  }

  private Answer serverless(String method, String[] p, String query, JsonNode in) {
    if (p.length == 3 && method.equals("GET")) {
      ArrayNode list = JSON.createArrayNode();
      endpoints.values().forEach(e -> list.add(endpointJson(e)));
      return json(200, JSON.createObjectNode().set("endpoints", list));
    }
    if (p.length == 3 && method.equals("POST")) {
      String invalid = checkEndpoint(in, true);
      if (invalid != null) {
        return problem(400, "Bad Request", invalid);
      }
      ObjectNode config = ((ObjectNode) in).deepCopy();
      if (config.has("templateId")) {
        ObjectNode t = templates.get(config.get("templateId").asText());
        if (t == null) {
          return problem(404, "Not Found", "template " + config.get("templateId").asText() + " not found");
        }
        if (!config.has("image")) {
          config.put("image", t.path("image").asText());
        }
      }
      defaults(config);
      FakeEndpoint e = new FakeEndpoint(nextId("ep"), Instant.now().toString(), config);
      e.templateId = config.path("templateId").asText(null);
      config.remove("templateId");
      endpoints.put(e.id, e);
      notifyAll();
      return json(201, endpointJson(e));
    }
    FakeEndpoint e = p.length >= 4 ? endpoints.get(p[3]) : null;
    if (e == null) {
      return problem(404, "Not Found", "endpoint not found");
    }
    if (p.length == 4) {
      switch (method) {
        case "GET" -> {
          return json(200, endpointJson(e));
        }
        case "PATCH" -> {
          String invalid = checkEndpoint(in, false);
          if (invalid != null) {
            return problem(400, "Bad Request", invalid);
          }
          String before = e.image() + e.config.path("env") + e.config.path("registry");
          in.fields().forEachRemaining(f -> e.config.set(f.getKey(), f.getValue()));
          if (!before.equals(e.image() + e.config.path("env") + e.config.path("registry"))) {
            e.version++;
          }
          notifyAll();
          return json(200, endpointJson(e));
        }
        case "DELETE" -> {
          endpoints.remove(e.id);
          if (e.templateId != null) {
            templates.remove(e.templateId);
          }
          e.queue.clear();
          e.jobs.values().stream().filter(j -> !j.isFinal()).forEach(j -> j.status = "CANCELLED");
          scaler.stopAll(e);
          notifyAll();
          return new Answer(204, "application/json", "", Map.of());
        }
        default -> {
          return problem(405, "Method Not Allowed", method + " is not allowed here");
        }
      }
    }
    if (p.length == 5 && p[4].equals("workers") && method.equals("GET")) {
      return json(200, workersJson(e));
    }
    if (p.length == 7 && p[4].equals("workers") && p[6].equals("logs") && method.equals("GET")) {
      Worker w = e.workers.get(p[5]);
      if (w == null) {
        w = e.gone.stream().filter(g -> g.id.equals(p[5])).findFirst().orElse(null);
      }
      if (w == null) {
        return problem(404, "Not Found", "worker not found");
      }
      int tail = 100;
      if (query != null && query.matches(".*tail=\\d+.*")) {
        tail = Integer.parseInt(query.replaceAll(".*tail=(\\d+).*", "$1"));
      }
      StringBuilder sse = new StringBuilder();
      List<String> lines = scaler.logs(w, tail);
      for (String line : lines) {
        String ts = Instant.now().toString();
        sse.append("id: ").append(ts).append('\n').append("data: ").append(JSON.createObjectNode()
            .put("source", "container").put("line", line).put("ts", ts)).append("\n\n");
      }
      return new Answer(200, "text/event-stream", sse.toString(), Map.of("Cache-Control", "no-cache"));
    }
    return problem(404, "Not Found", "no route");
  }

  /** {@code GET /v2/catalog/gpus}: one GPU type for each pool the fake knows. */
  private static JsonNode gpuCatalog() {
    ObjectNode out = JSON.createObjectNode();
    var gpus = out.putArray("gpus");
    for (String pool : new java.util.TreeSet<>(POOLS)) {
      int memory = Integer.parseInt(pool.replaceAll("\\D", ""));
      ObjectNode g = gpus.addObject().put("id", "NVIDIA SIM " + pool).put("name", "SIM " + pool)
          .put("pool", pool).put("manufacturer", "NVIDIA").put("memory", memory)
          .put("secure", true).put("community", true);
      g.putObject("price").put("secure", 0.44).put("community", 0.31).put("serverless", 1.1);
      g.putObject("maxCount").put("secure", 8).put("community", 4);
    }
    return out;
  }

  private static String checkEndpoint(JsonNode in, boolean create) {
    JsonNode pools = in.path("gpu").path("pools");
    for (JsonNode pool : pools) {
      if (!POOLS.contains(pool.asText())) {
        return "gpu.pools: unknown GPU pool '" + pool.asText() + "' (GET /v2/catalog/gpus lists the pools,"
            + " such as ADA_24, AMPERE_16)";
      }
    }
    if (create && !in.has("image") && !in.has("templateId")) {
      return "image or templateId is required";
    }
    return null;
  }

  private static void defaults(ObjectNode c) {
    ObjectNode w = c.has("workers") ? (ObjectNode) c.get("workers") : c.putObject("workers");
    if (!w.has("min")) {
      w.put("min", 0);
    }
    if (!w.has("max")) {
      w.put("max", 3);
    }
    if (!w.has("idleTimeout") && !c.path("scaling").path("type").asText().equals("REQUEST_COUNT")) {
      w.put("idleTimeout", 10);
    }
    if (!c.has("timeout")) {
      c.put("timeout", 300000);
    }
    if (!c.has("flashboot")) {
      c.put("flashboot", "OFF");
    }
    if (!c.has("env")) {
      c.putObject("env");
    }
  }

  private ObjectNode endpointJson(FakeEndpoint e) {
    ObjectNode j = JSON.createObjectNode();
    j.put("id", e.id);
    j.put("name", e.name());
    j.put("type", "QUEUE");
    j.put("image", e.image());
    j.put("args", "");
    j.put("disk", 20);
    j.set("ports", JSON.createArrayNode());
    j.set("env", e.config.path("env").deepCopy());
    j.set("registry", e.config.path("registry").isTextual() ? e.config.get("registry") : JSON.nullNode());
    ObjectNode gpu = j.putObject("gpu");
    gpu.set("pools", e.config.path("gpu").path("pools").deepCopy());
    gpu.set("allowedCudaVersions", JSON.createArrayNode());
    gpu.putNull("minCudaVersion");
    j.set("workers", e.config.get("workers").deepCopy());
    j.set("scaling", e.config.path("scaling").deepCopy());
    j.set("dataCenterIds", JSON.createArrayNode());
    j.set("networkVolumes", JSON.createArrayNode());
    j.put("timeout", e.config.path("timeout").asLong());
    j.put("flashboot", e.config.path("flashboot").asText());
    j.put("createdAt", e.createdAt);
    String base = invocationUrl() + "/v2/" + e.id;
    j.putObject("requestUrls").put("run", base + "/run").put("runSync", base + "/runsync")
        .put("status", base + "/status/{job_id}").put("stream", base + "/stream/{job_id}")
        .put("cancel", base + "/cancel/{job_id}").put("retry", base + "/retry/{job_id}")
        .put("purgeQueue", base + "/purge-queue").put("health", base + "/health");
    return j;
  }

  private ObjectNode workersJson(FakeEndpoint e) {
    long now = System.nanoTime();
    ObjectNode j = JSON.createObjectNode();
    ArrayNode list = j.putArray("workers");
    Map<String, Integer> summary = new LinkedHashMap<>();
    for (String s : List.of("running", "idle", "initializing", "throttled", "unhealthy")) {
      summary.put(s, 0);
    }
    List<Worker> all = new ArrayList<>(e.workers.values());
    all.addAll(e.gone.stream().filter(g -> now - g.startedNanos < 60_000_000_000L).toList());
    for (Worker w : all) {
      String status = w.status(now, PING_INTERVAL_NANOS);
      summary.merge(status.toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
      list.addObject().put("id", w.id).put("status", status).put("isStale", w.version != e.version)
          .put("version", w.version).put("gpuCount", 1).put("image", w.image)
          .put("uptimeSeconds", (now - w.startedNanos) / 1_000_000_000L)
          .put("gpuTypeId", "NVIDIA GeForce RTX 4090").put("dataCenterId", "US-KS-2");
    }
    ObjectNode s = j.putObject("summary");
    summary.forEach(s::put);
    s.put("total", all.size());
    j.put("endpointVersion", e.version);
    return j;
  }

  private Answer templates(String method, String[] p, JsonNode in) {
    if (p.length == 3 && method.equals("GET")) {
      ArrayNode list = JSON.createArrayNode();
      templates.values().forEach(list::add);
      return json(200, JSON.createObjectNode().set("templates", list));
    }
    if (p.length == 3 && method.equals("POST")) {
      for (ObjectNode t : templates.values()) {
        if (t.path("name").asText().equals(in.path("name").asText())) {
          return problem(400, "Bad Request", "a template named " + in.path("name").asText() + " exists");
        }
      }
      ObjectNode t = JSON.createObjectNode();
      t.put("id", nextId("tpl"));
      t.put("name", in.path("name").asText());
      mergeTemplate(t, in);
      templates.put(t.get("id").asText(), t);
      return json(201, t);
    }
    ObjectNode t = p.length == 4 ? templates.get(p[3]) : null;
    if (t == null) {
      return problem(404, "Not Found", "template not found");
    }
    switch (method) {
      case "GET" -> {
        return json(200, t);
      }
      case "PATCH" -> {
        mergeTemplate(t, in);
        return json(200, t);
      }
      case "DELETE" -> {
        templates.remove(p[3]);
        return new Answer(204, "application/json", "", Map.of());
      }
      default -> {
        return problem(405, "Method Not Allowed", method + " is not allowed here");
      }
    }
  }

  private static void mergeTemplate(ObjectNode t, JsonNode in) {
    t.put("image", in.path("image").asText(t.path("image").asText("")));
    t.put("args", in.path("args").asText(t.path("args").asText("")));
    t.put("disk", in.path("disk").asInt(t.path("disk").asInt(20)));
    t.set("mounts", JSON.createObjectNode());
    t.set("ports", JSON.createArrayNode());
    t.set("env", in.has("env") ? in.get("env").deepCopy() : t.has("env") ? t.get("env") : JSON.createObjectNode());
    t.set("registry", in.path("registry").isTextual() ? in.get("registry")
        : t.path("registry").isTextual() ? t.get("registry") : JSON.nullNode());
    t.put("serverless", in.path("serverless").asBoolean(t.path("serverless").asBoolean(false)));
    t.put("public", false);
    t.put("category", "NVIDIA");
    t.put("startSsh", in.path("startSsh").asBoolean(t.path("startSsh").asBoolean(true)));
    t.put("startJupyter", in.path("startJupyter").asBoolean(t.path("startJupyter").asBoolean(true)));
    t.set("allowedCudaVersions", JSON.createArrayNode());
  }

  private Answer registries(String method, String[] p, JsonNode in) {
    if (p.length == 3 && method.equals("GET")) {
      ArrayNode list = JSON.createArrayNode();
      registries.forEach((id, r) -> list.addObject().put("id", id).put("name", r[0]));
      return json(200, JSON.createObjectNode().set("registries", list));
    }
    if (p.length == 3 && method.equals("POST")) {
      String id = nextId("reg");
      registries.put(id, new String[] {in.path("name").asText(), in.path("username").asText(),
          in.path("password").asText()});
      return json(201, JSON.createObjectNode().put("id", id).put("name", in.path("name").asText()));
    }
    if (p.length == 4 && registries.containsKey(p[3])) {
      if (method.equals("DELETE")) {
        registries.remove(p[3]);
        return new Answer(204, "application/json", "", Map.of());
      }
      return json(200, JSON.createObjectNode().put("id", p[3]).put("name", registries.get(p[3])[0]));
    }
    return problem(404, "Not Found", "registry not found");
  }

  /** The credentials of a registry id, as the scaler pulls with them: {user, password}. */
  synchronized String[] registry(String id) {
    String[] r = registries.get(id);
    return r == null ? null : new String[] {r[1], r[2]};
  }

  private String nextId(String prefix) {
    return prefix + Integer.toString(ids.incrementAndGet(), 36) + UUID.randomUUID().toString().substring(0, 6);
  }

  // ---------------------------------------------------------------- invocation and worker APIs

  private void serveInvocation(HttpExchange ex) throws IOException {
    String[] p = ex.getRequestURI().getRawPath().split("/");
    String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    byte[] raw = ex.getRequestBody().readAllBytes();
    Answer answer;
    try {
      if (p.length < 4 || !p[1].equals("v2")) {
        answer = problem(404, "Not Found", "no route");
      } else {
        answer = invocation(ex.getRequestMethod(), p, query, auth,
            new String(raw, StandardCharsets.UTF_8), ex.getRequestHeaders().getFirst("X-Request-ID"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = problem(503, "Service Unavailable", "shutting down");
    } catch (RuntimeException e) {
      answer = problem(500, "Internal Server Error", e.toString());
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of(answer.contentType));
    send(ex, answer.status, headers, answer.body);
  }

  private Answer invocation(String method, String[] p, String query, String auth, String body,
      String requestId) throws InterruptedException {
    String endpointId = p[2];
    String op = p[3];
    FakeEndpoint e;
    synchronized (this) {
      e = endpoints.get(endpointId);
    }
    if (Set.of("job-take", "job-stop", "job-done", "job-stream", "ping").contains(op)) {
      if (e == null) {
        return new Answer(404, "application/json", "{}", Map.of());
      }
      return workerSide(e, op, p, query, auth, body, requestId);
    }
    // Clients: both forms the docs use.
    if (auth == null || !(auth.equals("Bearer " + apiKey) || auth.equals(apiKey))) {
      return new Answer(401, "application/json", "{\"error\":\"Unauthorized\"}", Map.of());
    }
    if (e == null) {
      return new Answer(404, "application/json", "{\"error\":\"endpoint not found\"}", Map.of());
    }
    synchronized (this) {
      switch (op) {
        case "run", "runsync" -> {
          JsonNode in;
          try {
            in = JSON.readTree(body).path("input");
          } catch (IOException ex) {
            return new Answer(400, "application/json", "{\"error\":\"body is not JSON\"}", Map.of());
          }
          if (in.isMissingNode()) {
            return new Answer(400, "application/json", "{\"error\":\"input is required\"}", Map.of());
          }
          Job job = new Job((op.equals("runsync") ? "sync-" : "") + UUID.randomUUID() + "-u1", in);
          e.jobs.put(job.id, job);
          e.queue.addLast(job);
          notifyAll();
          if (op.equals("run")) {
            return json(200, JSON.createObjectNode().put("id", job.id).put("status", job.status));
          }
          long waitMs = 90_000;
          if (query.matches(".*wait=\\d+.*")) {
            waitMs = Math.min(300_000, Long.parseLong(query.replaceAll(".*wait=(\\d+).*", "$1")));
          }
          long end = System.nanoTime() + waitMs * 1_000_000L;
          while (!job.isFinal() && System.nanoTime() < end) {
            wait(Math.max(1, (end - System.nanoTime()) / 1_000_000L));
          }
          return json(200, statusJson(job));
        }
        case "status" -> {
          Job job = p.length > 4 ? e.jobs.get(p[4]) : null;
          return job == null ? new Answer(404, "application/json", "{\"error\":\"job not found\"}", Map.of())
              : json(200, statusJson(job));
        }
        case "stream" -> {
          Job job = p.length > 4 ? e.jobs.get(p[4]) : null;
          if (job == null) {
            return new Answer(404, "application/json", "{\"error\":\"job not found\"}", Map.of());
          }
          ObjectNode j = JSON.createObjectNode().put("id", job.id).put("status", job.status);
          ArrayNode chunks = j.putArray("stream");
          for (int i = job.streamRead; i < job.stream.size(); i++) {
            chunks.addObject().set("output", job.stream.get(i));
          }
          job.streamRead = job.stream.size();
          return json(200, j);
        }
        case "cancel" -> {
          Job job = p.length > 4 ? e.jobs.get(p[4]) : null;
          if (job == null) {
            return new Answer(404, "application/json", "{\"error\":\"job not found\"}", Map.of());
          }
          if (!job.isFinal()) {
            e.queue.remove(job);
            if (job.status.equals("IN_PROGRESS") && job.workerId != null) {
              Worker w = e.workers.get(job.workerId);
              if (w != null) {
                w.cancelled.add(job.id);
                w.jobId = null;
                w.idleSinceNanos = System.nanoTime();
              }
            }
            job.status = "CANCELLED";
            job.endedNanos = System.nanoTime();
            notifyAll();
          }
          return json(200, JSON.createObjectNode().put("id", job.id).put("status", job.status));
        }
        case "health" -> {
          return json(200, healthJson(e));
        }
        default -> {
          return new Answer(404, "application/json", "{\"error\":\"no route\"}", Map.of());
        }
      }
    }
  }

  private Answer workerSide(FakeEndpoint e, String op, String[] p, String query, String auth,
      String body, String requestId) throws InterruptedException {
    Worker w;
    synchronized (this) {
      w = p.length > 4 ? e.workers.get(p[4]) : null;
    }
    if (w == null || !w.key.equals(auth)) {
      return new Answer(401, "application/json", "{\"error\":\"unknown worker or key\"}", Map.of());
    }
    synchronized (this) {
      switch (op) {
        case "ping" -> {
          if (w.lastPingNanos == 0) {
            // Ready now: its idle time starts here, not when its container was started.
            w.idleSinceNanos = System.nanoTime();
          }
          w.lastPingNanos = System.nanoTime();
          return new Answer(200, "application/json", "{}", Map.of());
        }
        case "job-take" -> {
          long end = System.nanoTime() + 5_000_000_000L;
          while (!w.stopping && w.version == e.version && e.queue.isEmpty() && endpoints.containsKey(e.id)
              && System.nanoTime() < end) {
            wait(Math.max(1, (end - System.nanoTime()) / 1_000_000L));
          }
          if (w.stopping || w.version != e.version || e.queue.isEmpty() || w.jobId != null) {
            return new Answer(204, "application/json", "", Map.of());
          }
          Job job = e.queue.removeFirst();
          job.status = "IN_PROGRESS";
          job.startedNanos = System.nanoTime();
          job.workerId = w.id;
          w.jobId = job.id;
          notifyAll();
          return json(200, JSON.createObjectNode().put("id", job.id).set("input", job.input));
        }
        case "job-stop" -> {
          long end = System.nanoTime() + 5_000_000_000L;
          while (w.cancelled.isEmpty() && !w.stopping && System.nanoTime() < end) {
            wait(Math.max(1, (end - System.nanoTime()) / 1_000_000L));
          }
          if (w.cancelled.isEmpty()) {
            return new Answer(204, "application/json", "", Map.of());
          }
          ObjectNode stop = JSON.createObjectNode();
          ArrayNode ids = stop.putArray("jobsToStop");
          w.cancelled.forEach(ids::add);
          w.cancelled.clear();
          return json(200, stop);
        }
        case "job-done", "job-stream" -> {
          String jobId = p.length > 5 ? p[5] : requestId;
          Job job = jobId == null ? null : e.jobs.get(jobId);
          if (job == null) {
            return new Answer(404, "application/json", "{}", Map.of());
          }
          JsonNode result;
          try {
            // runpod-python labels the body form-urlencoded; it is JSON whatever the type says.
            result = JSON.readTree(body);
          } catch (IOException ex) {
            return new Answer(400, "application/json", "{}", Map.of());
          }
          if (job.isFinal()) {
            return new Answer(200, "application/json", "{}", Map.of());
          }
          if (op.equals("job-stream")) {
            job.stream.add(result.path("output"));
            notifyAll();
            return new Answer(200, "application/json", "{}", Map.of());
          }
          if (result.path("status").asText().equals("IN_PROGRESS") && !query.contains("isStream=true")) {
            return new Answer(200, "application/json", "{}", Map.of());
          }
          job.endedNanos = System.nanoTime();
          if (result.hasNonNull("error")) {
            job.status = "FAILED";
            job.error = result.get("error").isTextual() ? result.get("error").asText() : result.get("error").toString();
            e.failed++;
          } else {
            job.status = "COMPLETED";
            job.output = result.get("output");
            e.completed++;
          }
          if (job.id.equals(w.jobId)) {
            w.jobId = null;
            w.idleSinceNanos = System.nanoTime();
          }
          notifyAll();
          return new Answer(200, "application/json", "{}", Map.of());
        }
        default -> {
          return new Answer(404, "application/json", "{}", Map.of());
        }
      }
    }
  }

  private static ObjectNode statusJson(Job job) {
    ObjectNode j = JSON.createObjectNode().put("id", job.id).put("status", job.status);
    if (job.startedNanos > 0) {
      j.put("delayTime", (job.startedNanos - job.createdNanos) / 1_000_000L);
    }
    if (job.endedNanos > 0 && job.startedNanos > 0) {
      j.put("executionTime", (job.endedNanos - job.startedNanos) / 1_000_000L);
    }
    if (job.workerId != null) {
      j.put("workerId", job.workerId);
    }
    if (job.output != null) {
      j.set("output", job.output);
    }
    if (job.error != null) {
      j.put("error", job.error);
    }
    return j;
  }

  private ObjectNode healthJson(FakeEndpoint e) {
    long now = System.nanoTime();
    ObjectNode h = JSON.createObjectNode();
    h.putObject("jobs").put("completed", e.completed).put("failed", e.failed)
        .put("inProgress", e.inProgress()).put("inQueue", e.queue.size()).put("retried", 0);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String s : List.of("idle", "initializing", "ready", "running", "throttled", "unhealthy")) {
      counts.put(s, 0);
    }
    List<Worker> all = new ArrayList<>(e.workers.values());
    all.addAll(e.gone.stream().filter(g -> now - g.startedNanos < 60_000_000_000L).toList());
    for (Worker w : all) {
      String s = w.status(now, PING_INTERVAL_NANOS).toLowerCase(java.util.Locale.ROOT);
      counts.merge(s, 1, Integer::sum);
      if (s.equals("idle")) {
        counts.merge("ready", 1, Integer::sum);
      }
    }
    ObjectNode workers = h.putObject("workers");
    counts.forEach(workers::put);
    return h;
  }

  /** The worker-side URL templates the platform sets ($ID and $RUNPOD_POD_ID as runpod-python substitutes them). */
  Map<String, String> webhooks(FakeEndpoint e) {
    String base = invocationUrl() + "/v2/" + e.id;
    return Map.of(
        "RUNPOD_WEBHOOK_GET_JOB", base + "/job-take/$ID?gpu=SIM",
        "RUNPOD_WEBHOOK_POST_OUTPUT", base + "/job-done/$RUNPOD_POD_ID/$ID?gpu=SIM",
        "RUNPOD_WEBHOOK_POST_STREAM", base + "/job-stream/$RUNPOD_POD_ID/$ID?gpu=SIM",
        "RUNPOD_WEBHOOK_PING", base + "/ping/$RUNPOD_POD_ID?gpu=SIM");
  }

  private static void send(HttpExchange ex, int status, Map<String, List<String>> headers, String body)
      throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().put(k, v));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (status == 204 || bytes.length == 0) {
      ex.sendResponseHeaders(status == 200 && bytes.length == 0 ? 200 : status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    scaler.close();
    management.stop(0);
    invocation.stop(0);
    threads.shutdownNow();
  }
}
