package dev.deploykit.it.support.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deploykit.it.support.contract.Contract;
import dev.deploykit.it.support.contract.ContractLedger;
import dev.deploykit.it.support.contract.Exchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A DigitalOcean API v2 for the tests, over real HTTP (the JDK's HttpServer on 127.0.0.1), held
 * to the published contract: every request and response it serves goes through a
 * {@link ContractLedger} of {@code digitalocean-v2.yaml}. It behaves as the real one does where it
 * matters to a client: the bearer token checked (401), a read-only token refused on writes (403),
 * {@code ratelimit-*} headers on every answer, 429 with {@code retry-after} when a test asks for
 * them, pagination by {@code links.pages} (a test may lower the largest page), ids above 2^31, a
 * create answered 202 with the droplet {@code new}, no address and its action
 * {@code in-progress}, which completes once the droplet's machine ({@link FakeDroplet}, real
 * cloud-init applying the user_data) has booted; then the droplet is {@code active} with a
 * private and a public v4 address. The 422s of CLOUD-APIS.md: a key already in use, an unknown
 * key fingerprint on create, the droplet limit, a pending event on a reserved IP assign.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class FakeDigitalOcean implements AutoCloseable {
  public static final String TOKEN = "dop_v1_fake_token_for_tests_0123456789";
  public static final String READ_ONLY_TOKEN = "dop_v1_fake_read_only_token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LIMIT = 5000;

  private final HttpServer server;
  private final ExecutorService boots = Executors.newCachedThreadPool();
  private final ContractLedger ledger = new ContractLedger(Contract.digitalOcean());
  private final AtomicLong ids = new AtomicLong(3_169_590_176L);
  private final AtomicInteger remaining = new AtomicInteger(LIMIT);
  private final AtomicInteger tooManyRequests = new AtomicInteger();
  private final AtomicInteger createFailures = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Integer> publishedPorts = new CopyOnWriteArrayList<>();
  private volatile int retryAfterSeconds = 1;
  private volatile int maxPerPage = 200;
  private volatile int dropletLimit = 10;
  private volatile boolean failBoots;

  private final Map<Long, ObjectNode> droplets = new ConcurrentHashMap<>();
  private final Map<Long, FakeDroplet> machines = new ConcurrentHashMap<>();
  private final Map<Long, ObjectNode> actions = new ConcurrentHashMap<>();
  private final Map<Long, ObjectNode> keys = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> firewalls = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> tags = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> reservedIps = new ConcurrentHashMap<>();
  private final List<String> log = new CopyOnWriteArrayList<>();

  private FakeDigitalOcean() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", this::serve);
    server.start();
  }

  /** A fresh fake; the machines of its droplets publish {@code ports} (e.g. the stack's proxy port) besides 22. */
  public static FakeDigitalOcean start(int... ports) {
    FakeDigitalOcean fake = new FakeDigitalOcean();
    for (int p : ports) {
      fake.publishedPorts.add(p);
    }
    return fake;
  }

  /** Where the API is: {@code http://127.0.0.1:PORT/}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The exchanges checked against the contract. */
  public ContractLedger ledger() {
    return ledger;
  }

  /** The next {@code count} requests are answered 429 with {@code retry-after: seconds}. */
  public FakeDigitalOcean tooManyRequests(int count, int seconds) {
    retryAfterSeconds = seconds;
    tooManyRequests.set(count);
    return this;
  }

  /** The next {@code count} droplet creates make the droplet, then answer 500 (a lost answer). */
  public FakeDigitalOcean failCreatesAfterMaking(int count) {
    createFailures.set(count);
    return this;
  }

  /** The largest page this fake serves (DigitalOcean's is 200). */
  public FakeDigitalOcean maxPerPage(int max) {
    maxPerPage = max;
    return this;
  }

  /** How many droplets the account may hold. */
  public FakeDigitalOcean dropletLimit(int limit) {
    dropletLimit = limit;
    return this;
  }

  /** Makes droplet create actions end {@code errored} (no machine is booted). */
  public FakeDigitalOcean failBoots(boolean fail) {
    failBoots = fail;
    return this;
  }

  /** Puts a firewall on the account that deploykit did not make. */
  public void addForeignFirewall(String name) {
    ObjectNode fw = JSON.createObjectNode().put("id", UUID.randomUUID().toString()).put("name", name)
        .put("status", "succeeded").put("created_at", now());
    fw.putArray("inbound_rules").addObject().put("protocol", "tcp").put("ports", "22").putObject("sources")
        .putArray("addresses").add("0.0.0.0/0");
    fw.putArray("outbound_rules");
    fw.putArray("droplet_ids");
    fw.putArray("tags").add("web");
    fw.putArray("pending_changes");
    firewalls.put(fw.get("id").asText(), fw);
  }

  /** Puts a droplet on the account that deploykit did not make (no machine behind it). */
  public long addForeignDroplet(String name) {
    long id = ids.incrementAndGet();
    ObjectNode d = droplet(id, name, "nyc3", "s-1vcpu-1gb", "debian-12-x64", List.of("web"));
    d.put("status", "active");
    droplets.put(id, d);
    return id;
  }

  /** Reserves an IP (no machine is bound to it). */
  public String addReservedIp(String ip) {
    ObjectNode r = JSON.createObjectNode().put("ip", ip);
    r.set("region", region("nyc3"));
    r.putNull("droplet");
    r.put("locked", false).put("project_id", "746c6152-2fa2-11ed-92d3-27aaa54e4988");
    reservedIps.put(ip, r);
    return ip;
  }

  /** The droplets on the account now. */
  public List<JsonNode> droplets() {
    return List.copyOf(droplets.values());
  }

  /** The machine behind a droplet. */
  public Optional<FakeDroplet> machine(long id) {
    return Optional.ofNullable(machines.get(id));
  }

  /** The firewalls on the account now. */
  public List<JsonNode> firewalls() {
    return List.copyOf(firewalls.values());
  }

  /** The keys on the account now. */
  public List<JsonNode> keys() {
    return List.copyOf(keys.values());
  }

  /** Requests served so far. */
  public int requests() {
    return requests.get();
  }

  /** One {@code METHOD /path?query -> status} line per request served. */
  public List<String> log() {
    return List.copyOf(log);
  }

  /** The user_data a droplet was created with. */
  public String userData(long id) {
    return droplets.get(id).path("_user_data").asText();
  }

  // ---- serving

  private void serve(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> requestHeaders.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    Answer answer;
    try {
      answer = answer(method, path, query == null ? Map.of() : params(query), body,
          exchange.getRequestHeaders().getFirst("Authorization"));
    } catch (RuntimeException e) {
      e.printStackTrace();
      answer = error(500, "server_error", "Unexpected server-side error");
    }
    Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
    responseHeaders.put("content-type", List.of("application/json; charset=utf-8"));
    responseHeaders.put("ratelimit-limit", List.of(Integer.toString(LIMIT)));
    responseHeaders.put("ratelimit-remaining", List.of(Integer.toString(Math.max(0, remaining.get()))));
    responseHeaders.put("ratelimit-reset", List.of(Long.toString(Instant.now().plusSeconds(60).getEpochSecond())));
    responseHeaders.put("x-request-id", List.of(UUID.randomUUID().toString()));
    answer.headers().forEach((k, v) -> responseHeaders.put(k, List.of(v)));
    String text = answer.body() == null ? null : JSON.writeValueAsString(strip(answer.body()));
    responseHeaders.forEach((k, v) -> exchange.getResponseHeaders().put(k, v));
    byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
    log.add(method + " " + path + (query == null ? "" : "?" + query) + " -> " + answer.status());
    ledger.record(new Exchange(method, path, query, requestHeaders, body.isEmpty() ? null : body, answer.status(),
        responseHeaders, text));
  }

  /** Drops the fake's own bookkeeping fields (named {@code _...}). */
  private static JsonNode strip(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip0(copy);
    return copy;
  }

  private static void strip0(JsonNode node) {
    if (node instanceof ObjectNode o) {
      List<String> hidden = new ArrayList<>();
      o.fieldNames().forEachRemaining(n -> {
        if (n.startsWith("_")) {
          hidden.add(n);
        }
      });
      o.remove(hidden);
      o.forEach(FakeDigitalOcean::strip0);
    } else if (node instanceof ArrayNode a) {
      a.forEach(FakeDigitalOcean::strip0);
    }
  }

  record Answer(int status, JsonNode body, Map<String, String> headers) {
    Answer(int status, JsonNode body) {
      this(status, body, Map.of());
    }
  }

  private Answer answer(String method, String path, Map<String, String> q, String body, String authorization) {
    if (authorization == null || !(authorization.equals("Bearer " + TOKEN) || authorization.equals("Bearer " + READ_ONLY_TOKEN))) {
      return error(401, "unauthorized", "Unable to authenticate you");
    }
    remaining.decrementAndGet();
    if (tooManyRequests.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      Answer limited = error(429, "too_many_requests", "API Rate limit exceeded.");
      return new Answer(429, limited.body(), Map.of("retry-after", Integer.toString(retryAfterSeconds),
          "ratelimit-remaining", "0"));
    }
    if (!method.equals("GET") && authorization.equals("Bearer " + READ_ONLY_TOKEN)) {
      return error(403, "forbidden", "You do not have access for the attempted action.");
    }
    JsonNode in;
    try {
      in = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return error(400, "bad_request", "error parsing request body");
    }
    String[] p = path.substring(1).split("/");
    if (p.length < 2 || !p[0].equals("v2")) {
      return error(404, "not_found", "The resource you were accessing could not be found.");
    }
    synchronized (this) {
      return switch (p[1]) {
        case "account" -> p.length == 2 ? account() : keys(method, p, q, in);
        case "regions" -> page(q, "regions", List.of(region("nyc3"), region("ams3"), region("sfo3"), region("fra1")));
        case "sizes" -> page(q, "sizes", List.of(size("s-1vcpu-1gb", 1024, 1), size("s-1vcpu-2gb", 2048, 1), size("s-2vcpu-4gb", 4096, 2)));
        case "droplets" -> droplets(method, p, q, in);
        case "actions" -> p.length == 3 ? action(Long.parseLong(p[2])) : error(404, "not_found", "The resource you were accessing could not be found.");
        case "tags" -> tags(method, p, in);
        case "firewalls" -> firewalls(method, p, q, in);
        case "reserved_ips" -> reservedIps(method, p, q, in);
        default -> error(404, "not_found", "The resource you were accessing could not be found.");
      };
    }
  }

  private Answer account() {
    ObjectNode a = JSON.createObjectNode();
    a.putObject("account").put("droplet_limit", dropletLimit).put("floating_ip_limit", 3)
        .put("email", "ops@example.com").put("name", "Ops").put("uuid", "b6fr89dbf6d9156cace5f3c78dc9851d957381ef")
        .put("email_verified", true).put("status", "active").put("status_message", "");
    return new Answer(200, a);
  }

  private Answer keys(String method, String[] p, Map<String, String> q, JsonNode in) {
    if (p.length < 3 || !p[2].equals("keys")) {
      return notFound();
    }
    if (p.length == 3 && method.equals("GET")) {
      return page(q, "ssh_keys", List.copyOf(keys.values()));
    }
    if (p.length == 3 && method.equals("POST")) {
      String publicKey = in.path("public_key").asText();
      String fingerprint;
      try {
        fingerprint = md5(publicKey);
      } catch (IllegalArgumentException e) {
        return error(422, "unprocessable_entity", "Key invalid, key should be of the format `type key [comment]`");
      }
      if (keys.values().stream().anyMatch(k -> k.path("fingerprint").asText().equals(fingerprint))) {
        return error(422, "unprocessable_entity", "SSH Key is already in use on your account");
      }
      long id = ids.incrementAndGet();
      ObjectNode key = JSON.createObjectNode().put("id", id).put("fingerprint", fingerprint)
          .put("public_key", publicKey).put("name", in.path("name").asText());
      keys.put(id, key);
      return new Answer(201, JSON.createObjectNode().set("ssh_key", key));
    }
    Optional<ObjectNode> key = keys.values().stream().filter(k -> k.path("id").asText().equals(p[3])
        || k.path("fingerprint").asText().equals(p[3])).findFirst();
    if (key.isEmpty()) {
      return notFound();
    }
    if (method.equals("DELETE")) {
      keys.remove(key.get().path("id").asLong());
      return new Answer(204, null);
    }
    return new Answer(200, JSON.createObjectNode().set("ssh_key", key.get()));
  }

  private Answer droplets(String method, String[] p, Map<String, String> q, JsonNode in) {
    if (p.length == 2 && method.equals("GET")) {
      String tag = q.get("tag_name");
      String name = q.get("name");
      List<JsonNode> all = droplets.values().stream()
          .filter(d -> tag == null || contains(d.path("tags"), tag))
          .filter(d -> name == null || d.path("name").asText().equalsIgnoreCase(name))
          .sorted(java.util.Comparator.comparingLong(d -> d.path("id").asLong()))
          .map(d -> (JsonNode) d).toList();
      return page(q, "droplets", all);
    }
    if (p.length == 2 && method.equals("POST")) {
      return createDroplet(in);
    }
    if (p.length == 3) {
      long id = Long.parseLong(p[2]);
      ObjectNode d = droplets.get(id);
      if (d == null) {
        return notFound();
      }
      if (method.equals("DELETE")) {
        droplets.remove(id);
        FakeDroplet machine = machines.remove(id);
        if (machine != null) {
          boots.submit(machine::close);
        }
        firewalls.values().forEach(f -> removeLong((ArrayNode) f.path("droplet_ids"), id));
        reservedIps.values().forEach(r -> {
          if (r.path("droplet").path("id").asLong() == id) {
            r.putNull("droplet");
          }
        });
        return new Answer(204, null);
      }
      return new Answer(200, JSON.createObjectNode().set("droplet", d));
    }
    return notFound();
  }

  private Answer createDroplet(JsonNode in) {
    if (droplets.size() >= dropletLimit) {
      return error(422, "unprocessable_entity", "creating this/these droplet(s) will exceed your droplet limit");
    }
    List<String> unknown = new ArrayList<>();
    for (JsonNode k : in.path("ssh_keys")) {
      boolean known = keys.values().stream().anyMatch(key -> key.path("fingerprint").asText().equals(k.asText())
          || key.path("id").asText().equals(k.asText()));
      if (!known) {
        unknown.add(k.asText());
      }
    }
    if (!unknown.isEmpty()) {
      return error(422, "unprocessable_entity", String.join(", ", unknown) + " are invalid key identifiers for Droplet creation.");
    }
    String region = in.path("region").asText();
    if (!List.of("nyc3", "ams3", "sfo3", "fra1").contains(region)) {
      return error(422, "unprocessable_entity", "Region is not available");
    }
    long id = ids.incrementAndGet();
    List<String> tagList = new ArrayList<>();
    in.path("tags").forEach(t -> tagList.add(t.asText()));
    ObjectNode d = droplet(id, in.path("name").asText(), region, in.path("size").asText(), in.path("image").asText(), tagList);
    String userData = in.path("user_data").asText("");
    d.put("_user_data", userData);
    droplets.put(id, d);
    tagList.forEach(t -> tags.computeIfAbsent(t, FakeDigitalOcean::tag));
    long actionId = ids.incrementAndGet();
    ObjectNode action = JSON.createObjectNode().put("id", actionId).put("status", "in-progress").put("type", "create")
        .put("started_at", now()).putNull("completed_at").put("resource_id", id).put("resource_type", "droplet");
    action.set("region", region(region));
    action.put("region_slug", region);
    actions.put(actionId, action);
    String name = d.path("name").asText();
    List<Integer> ports = List.copyOf(publishedPorts);
    boots.submit(() -> boot(id, name, userData, action, d, ports));
    ObjectNode out = JSON.createObjectNode();
    out.set("droplet", d.deepCopy());
    out.putObject("links").putArray("actions").addObject().put("id", actionId).put("rel", "create")
        .put("href", url().resolve("/v2/actions/" + actionId).toString());
    if (createFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return error(500, "server_error", "Unexpected server-side error");
    }
    return new Answer(202, out);
  }

  private void boot(long id, String name, String userData, ObjectNode action, ObjectNode d, List<Integer> ports) {
    if (failBoots) {
      synchronized (this) {
        action.put("status", "errored").put("completed_at", now());
      }
      return;
    }
    try {
      FakeDroplet machine = FakeDroplet.boot(id, name, userData, ports);
      synchronized (this) {
        if (!droplets.containsKey(id)) {
          machine.close();
          return;
        }
        machines.put(id, machine);
        ArrayNode v4 = d.putObject("networks").putArray("v4");
        v4.addObject().put("ip_address", "10.116.0." + (id % 250 + 2)).put("netmask", "255.255.240.0")
            .put("gateway", "nil").put("type", "private");
        v4.addObject().put("ip_address", machine.ip()).put("netmask", "255.0.0.0").put("gateway", "127.0.0.1")
            .put("type", "public");
        ((ObjectNode) d.path("networks")).putArray("v6");
        d.put("status", "active");
        action.put("status", "completed").put("completed_at", now());
      }
      System.out.println("fake DigitalOcean: droplet " + id + " (" + name + ") booted at " + machine.ip());
    } catch (RuntimeException e) {
      System.out.println("fake DigitalOcean: droplet " + id + " did not boot: " + e);
      synchronized (this) {
        action.put("status", "errored").put("completed_at", now());
      }
    }
  }

  private Answer action(long id) {
    ObjectNode a = actions.get(id);
    return a == null ? notFound() : new Answer(200, JSON.createObjectNode().set("action", a));
  }

  private Answer tags(String method, String[] p, JsonNode in) {
    if (p.length == 2 && method.equals("POST")) {
      String name = in.path("name").asText();
      ObjectNode t = tags.computeIfAbsent(name, FakeDigitalOcean::tag);
      return new Answer(201, JSON.createObjectNode().set("tag", t));
    }
    if (p.length == 3 && method.equals("GET")) {
      String name = URLDecoder.decode(p[2], StandardCharsets.UTF_8);
      ObjectNode t = tags.get(name);
      return t == null ? notFound() : new Answer(200, JSON.createObjectNode().set("tag", t));
    }
    return notFound();
  }

  private Answer firewalls(String method, String[] p, Map<String, String> q, JsonNode in) {
    if (p.length == 2 && method.equals("GET")) {
      return page(q, "firewalls", List.copyOf(firewalls.values()));
    }
    if (p.length == 2 && method.equals("POST")) {
      String name = in.path("name").asText();
      if (!name.matches("^[a-zA-Z0-9][a-zA-Z0-9\\.-]+$")) {
        return error(422, "unprocessable_entity", "name must be of the format `^[a-zA-Z0-9][a-zA-Z0-9\\.-]+$`");
      }
      if (firewalls.values().stream().anyMatch(f -> f.path("name").asText().equals(name))) {
        return error(409, "conflict", "duplicate name");
      }
      ObjectNode fw = firewall(UUID.randomUUID().toString(), in);
      firewalls.put(fw.path("id").asText(), fw);
      return new Answer(202, JSON.createObjectNode().set("firewall", fw));
    }
    if (p.length == 3) {
      ObjectNode fw = firewalls.get(p[2]);
      if (fw == null) {
        return notFound();
      }
      switch (method) {
        case "GET" -> {
          return new Answer(200, JSON.createObjectNode().set("firewall", fw));
        }
        case "PUT" -> {
          ObjectNode replaced = firewall(p[2], in);
          replaced.put("created_at", fw.path("created_at").asText());
          firewalls.put(p[2], replaced);
          return new Answer(200, JSON.createObjectNode().set("firewall", replaced));
        }
        case "DELETE" -> {
          firewalls.remove(p[2]);
          return new Answer(204, null);
        }
        default -> {
          return notFound();
        }
      }
    }
    return notFound();
  }

  private ObjectNode firewall(String id, JsonNode in) {
    ObjectNode fw = JSON.createObjectNode().put("id", id).put("name", in.path("name").asText())
        .put("status", "succeeded").put("created_at", now());
    fw.set("inbound_rules", in.path("inbound_rules").isArray() ? in.path("inbound_rules").deepCopy() : JSON.createArrayNode());
    fw.set("outbound_rules", in.path("outbound_rules").isArray() ? in.path("outbound_rules").deepCopy() : JSON.createArrayNode());
    ArrayNode ids = fw.putArray("droplet_ids");
    in.path("droplet_ids").forEach(ids::add);
    fw.set("tags", in.path("tags").isArray() ? in.path("tags").deepCopy() : JSON.createArrayNode());
    fw.putArray("pending_changes");
    return fw;
  }

  private Answer reservedIps(String method, String[] p, Map<String, String> q, JsonNode in) {
    if (p.length == 2 && method.equals("GET")) {
      return page(q, "reserved_ips", reservedIps.values().stream().map(this::withDroplet).toList());
    }
    if (p.length >= 3) {
      ObjectNode r = reservedIps.get(p[2]);
      if (r == null) {
        return notFound();
      }
      if (p.length == 3 && method.equals("GET")) {
        return new Answer(200, JSON.createObjectNode().set("reserved_ip", withDroplet(r)));
      }
      if (p.length == 4 && p[3].equals("actions") && method.equals("POST")) {
        String type = in.path("type").asText();
        long dropletId = in.path("droplet_id").asLong();
        if (type.equals("assign")) {
          ObjectNode d = droplets.get(dropletId);
          if (d == null) {
            return error(422, "unprocessable_entity", "Droplet not found");
          }
          boolean pending = actions.values().stream().anyMatch(a -> a.path("resource_id").asLong() == dropletId
              && a.path("status").asText().equals("in-progress"));
          if (pending) {
            return error(422, "unprocessable_entity", "Droplet already has a pending event");
          }
          r.putObject("droplet").put("id", dropletId);
        } else {
          r.putNull("droplet");
        }
        long actionId = ids.incrementAndGet();
        ObjectNode action = JSON.createObjectNode().put("id", actionId).put("status", "completed")
            .put("type", type + "_ip").put("started_at", now()).put("completed_at", now())
            .put("resource_id", dropletId).put("resource_type", "reserved_ip");
        action.set("region", region("nyc3"));
        action.put("region_slug", "nyc3");
        actions.put(actionId, action);
        return new Answer(201, JSON.createObjectNode().set("action", action));
      }
    }
    return notFound();
  }

  private JsonNode withDroplet(ObjectNode r) {
    ObjectNode copy = r.deepCopy();
    long id = r.path("droplet").path("id").asLong(0);
    if (id != 0 && droplets.containsKey(id)) {
      copy.set("droplet", droplets.get(id).deepCopy());
    } else {
      copy.putNull("droplet");
    }
    return copy;
  }

  // ---- shapes

  private Answer page(Map<String, String> q, String key, List<? extends JsonNode> all) {
    int perPage = Math.min(maxPerPage, Math.max(1, intOr(q.get("per_page"), 20)));
    int page = Math.max(1, intOr(q.get("page"), 1));
    int from = Math.min(all.size(), (page - 1) * perPage);
    int to = Math.min(all.size(), from + perPage);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode items = out.putArray(key);
    all.subList(from, to).forEach(items::add);
    ObjectNode links = out.putObject("links");
    int last = Math.max(1, (all.size() + perPage - 1) / perPage);
    if (last > 1) {
      ObjectNode pages = links.putObject("pages");
      Map<String, String> rest = new LinkedHashMap<>(q);
      rest.put("per_page", Integer.toString(perPage));
      if (page > 1) {
        pages.put("first", link(key, rest, 1));
        pages.put("prev", link(key, rest, page - 1));
      }
      if (page < last) {
        pages.put("next", link(key, rest, page + 1));
        pages.put("last", link(key, rest, last));
      }
    }
    out.putObject("meta").put("total", all.size());
    return new Answer(200, out);
  }

  private String link(String key, Map<String, String> q, int page) {
    String path = switch (key) {
      case "ssh_keys" -> "/v2/account/keys";
      default -> "/v2/" + key;
    };
    StringBuilder query = new StringBuilder("page=" + page);
    q.forEach((k, v) -> {
      if (!k.equals("page")) {
        query.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    return "https://api.digitalocean.com" + path + "?" + query;
  }

  private ObjectNode droplet(long id, String name, String region, String size, String image, List<String> tagList) {
    ObjectNode d = JSON.createObjectNode().put("id", id).put("name", name).put("memory", 1024).put("vcpus", 1)
        .put("disk", 25).put("locked", false).put("status", "new").putNull("kernel").put("created_at", now());
    d.putArray("features");
    d.putArray("backup_ids");
    d.putNull("next_backup_window");
    d.putArray("snapshot_ids");
    ObjectNode img = d.putObject("image").put("id", 106569146).put("name", image).put("type", "base")
        .put("distribution", image.startsWith("ubuntu") ? "Ubuntu" : "Debian").put("slug", image).put("public", true);
    img.putArray("regions").add(region);
    img.put("created_at", "2024-06-14T12:00:00Z").put("min_disk_size", 15).put("size_gigabytes", 1.5)
        .put("description", image).putArray("tags");
    img.put("status", "available");
    d.putArray("volume_ids");
    d.set("size", size(size, 1024, 1));
    d.put("size_slug", size);
    ObjectNode networks = d.putObject("networks");
    networks.putArray("v4");
    networks.putArray("v6");
    d.set("region", region(region));
    ArrayNode t = d.putArray("tags");
    tagList.forEach(t::add);
    return d;
  }

  private static ObjectNode region(String slug) {
    ObjectNode r = JSON.createObjectNode().put("name", switch (slug) {
      case "nyc3" -> "New York 3";
      case "ams3" -> "Amsterdam 3";
      case "sfo3" -> "San Francisco 3";
      default -> "Frankfurt 1";
    }).put("slug", slug);
    r.putArray("features").add("backups").add("ipv6").add("metadata").add("install_agent");
    r.put("available", true);
    r.putArray("sizes").add("s-1vcpu-1gb").add("s-1vcpu-2gb").add("s-2vcpu-4gb");
    return r;
  }

  private static ObjectNode size(String slug, int memory, int vcpus) {
    ObjectNode s = JSON.createObjectNode().put("slug", slug).put("memory", memory).put("vcpus", vcpus).put("disk", 25)
        .put("transfer", 1.0).put("price_monthly", 6.0).put("price_hourly", 0.00893);
    s.putArray("regions").add("nyc3").add("ams3").add("sfo3").add("fra1");
    s.put("available", true).put("description", "Basic");
    return s;
  }

  private static ObjectNode tag(String name) {
    ObjectNode t = JSON.createObjectNode().put("name", name);
    ObjectNode resources = t.putObject("resources");
    resources.put("count", 0);
    for (String kind : List.of("droplets", "images", "volumes", "volume_snapshots", "databases")) {
      resources.putObject(kind).put("count", 0);
    }
    return t;
  }

  private static Answer error(int status, String id, String message) {
    return new Answer(status, JSON.createObjectNode().put("id", id).put("message", message)
        .put("request_id", UUID.randomUUID().toString()));
  }

  private static Answer notFound() {
    return error(404, "not_found", "The resource you were accessing could not be found.");
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode n : array) {
      if (n.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static void removeLong(ArrayNode array, long value) {
    for (int i = array.size() - 1; i >= 0; i--) {
      if (array.get(i).asLong() == value) {
        array.remove(i);
      }
    }
  }

  private static int intOr(String value, int otherwise) {
    try {
      return value == null ? otherwise : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static Map<String, String> params(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** DigitalOcean's key fingerprint: MD5 of the key blob, colon-separated hex. */
  static String md5(String publicKey) {
    String[] parts = publicKey.strip().split("\\s+");
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a key");
    }
    try {
      return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("MD5").digest(Base64.getDecoder().decode(parts[1])));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes every droplet's machine and stops serving. */
  @Override
  public void close() {
    server.stop(0);
    machines.values().forEach(FakeDroplet::close);
    machines.clear();
    boots.shutdownNow();
  }
}
