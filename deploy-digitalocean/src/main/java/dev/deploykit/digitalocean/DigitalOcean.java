package dev.deploykit.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploykit.digitalocean.DigitalOceanException.Kind;
import dev.deploykit.digitalocean.internal.Parse;
import dev.deploykit.digitalocean.internal.Transport;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The DigitalOcean API v2, over OkHttp: droplets, actions, SSH keys, tags, firewalls, reserved
 * IPs, regions, sizes and the account. Collections are read page by page through
 * {@code links.pages.next}; every answer's {@code ratelimit-*} headers pace the next requests,
 * a 429 waits its {@code retry-after}; calls that are safe to repeat are retried with jittered
 * backoff after a connection failure or a 5xx. A droplet create is never repeated blindly: after
 * a failure that leaves its outcome unknown, the droplet is looked up by name and tag first
 * ({@link #createDroplet}). IDs are {@code long}. The token is kept for the
 * {@code Authorization} header only: no message, event or {@code toString()} holds it.
 *
 * <pre>{@code
 * DigitalOcean api = DigitalOcean.builder(System.getenv("DIGITALOCEAN_TOKEN").toCharArray()).build();
 * List<Droplet> mine = api.dropletsByTag("deploykit:shop");
 * }</pre>
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class DigitalOcean {
  /** DigitalOcean's own address. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://api.digitalocean.com/");

  private final Transport wire;
  private final TimeSource time;
  private final int pageSize;
  private final Duration actionPoll;

  private DigitalOcean(Builder b) {
    OkHttpClient http = b.http != null ? b.http : new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(30))
        .callTimeout(b.callTimeout).build();
    String base = b.baseUrl.toString();
    HttpUrl url = HttpUrl.parse(base.endsWith("/") ? base : base + "/");
    if (url == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + b.baseUrl);
    }
    this.wire = new Transport(http, url, b.token, b.time, b.backoff, b.attempts, b.events, b.random);
    this.time = b.time;
    this.pageSize = b.pageSize;
    this.actionPoll = b.actionPoll;
  }

  /** A client with {@code token} (copied; clear your array after). */
  public static Builder builder(char[] token) {
    return new Builder(token);
  }

  // ---- account, regions, sizes

  /** The token's account: the cheapest proof that the token works. */
  public Account account() {
    return Parse.account(wire.get("/v2/account").path("account"));
  }

  /** Every region. */
  public List<Region> regions() {
    return wire.list("/v2/regions", "regions", pageSize).stream().map(Parse::region).toList();
  }

  /** Every droplet size. */
  public List<Size> sizes() {
    return wire.list("/v2/sizes", "sizes", pageSize).stream().map(Parse::size).toList();
  }

  // ---- droplets

  /** What a droplet create sends. */
  public record DropletRequest(String name, String region, String size, String image, List<String> sshKeys,
      List<String> tags, @Nullable String userData) {
    public DropletRequest {
      sshKeys = List.copyOf(sshKeys);
      tags = List.copyOf(tags);
    }

    /** Never the user data (it may carry a host's private key). */
    @Override
    public String toString() {
      return "DropletRequest[" + name + " in " + region + ", " + size + ", " + image + ", tags " + tags + "]";
    }
  }

  /** A created droplet and the action that makes it (null when it was found, not created). */
  public record Created(Droplet droplet, @Nullable Long actionId, boolean found) {}

  /**
   * Creates a droplet, exactly once. When the create's outcome is unknown (no answer, or a 5xx),
   * the droplet is looked up by name among those with {@code lookupTag} before the create is sent
   * again; a droplet found that way is returned ({@link Created#found()}).
   *
   * @param lookupTag one of {@code request.tags()}, shared by no droplet of another stack
   */
  public Created createDroplet(DropletRequest request, String lookupTag) {
    if (!request.tags().contains(lookupTag)) {
      throw new IllegalArgumentException("the lookup tag " + lookupTag + " is not among the droplet's tags");
    }
    ObjectNode body = Transport.JSON.createObjectNode();
    body.put("name", request.name()).put("region", request.region()).put("size", request.size())
        .put("image", request.image());
    ArrayNode keys = body.putArray("ssh_keys");
    request.sshKeys().forEach(keys::add);
    body.put("backups", false).put("ipv6", false).put("monitoring", false);
    ArrayNode tags = body.putArray("tags");
    request.tags().forEach(tags::add);
    if (request.userData() != null) {
      body.put("user_data", request.userData());
    }
    DigitalOceanException unknown = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        JsonNode answer = wire.post("/v2/droplets", body, false);
        Long action = null;
        for (JsonNode link : answer.path("links").path("actions")) {
          if ("create".equals(link.path("rel").asText())) {
            action = link.path("id").asLong();
          }
        }
        return new Created(Parse.droplet(answer.path("droplet")), action, false);
      } catch (DigitalOceanException e) {
        if (e.kind() != Kind.UNREACHABLE && e.kind() != Kind.SERVER_ERROR) {
          throw e;
        }
        unknown = e;
        Optional<Droplet> made = dropletsByTag(lookupTag).stream()
            .filter(d -> d.name().equalsIgnoreCase(request.name())).findFirst();
        if (made.isPresent()) {
          return new Created(made.get(), null, true);
        }
        sleep(Duration.ofSeconds(attempt));
      }
    }
    throw unknown;
  }

  /** The droplet, or empty when there is none with that id. */
  public Optional<Droplet> droplet(long id) {
    try {
      return Optional.of(Parse.droplet(wire.get("/v2/droplets/" + id).path("droplet")));
    } catch (DigitalOceanException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Every droplet carrying {@code tag}. */
  public List<Droplet> dropletsByTag(String tag) {
    return wire.list("/v2/droplets?tag_name=" + encode(tag), "droplets", pageSize).stream().map(Parse::droplet).toList();
  }

  /** Every droplet named {@code name} (names are not unique). */
  public List<Droplet> dropletsByName(String name) {
    return wire.list("/v2/droplets?name=" + encode(name), "droplets", pageSize).stream().map(Parse::droplet).toList();
  }

  /**
   * Deletes the droplet, but only when it carries {@code requiredTag}: deploykit never destroys
   * what it did not tag. A droplet already gone is not an error.
   *
   * @return false when it was already gone
   * @throws DigitalOceanException ({@link Kind#CONFLICT}) when it lacks the tag
   */
  public boolean deleteDroplet(long id, String requiredTag) {
    Optional<Droplet> droplet = droplet(id);
    if (droplet.isEmpty()) {
      return false;
    }
    if (!droplet.get().tagged(requiredTag)) {
      throw new DigitalOceanException(Kind.CONFLICT, "droplet " + id + " (" + droplet.get().name()
          + ") does not carry the tag " + requiredTag + ": deploykit did not create it and will not destroy it");
    }
    try {
      wire.delete("/v2/droplets/" + id, null);
      return true;
    } catch (DigitalOceanException e) {
      if (e.notFound()) {
        return false;
      }
      throw e;
    }
  }

  // ---- actions

  /** The action. */
  public Action action(long id) {
    return Parse.action(wire.get("/v2/actions/" + id).path("action"));
  }

  /**
   * Polls the action until it is {@code completed}.
   *
   * @throws DigitalOceanException {@link Kind#ACTION_ERRORED} when it ends {@code errored},
   *     {@link Kind#TIMED_OUT} when it is still running at the deadline
   */
  public Action awaitAction(long id, Duration timeout) {
    Deadline deadline = Deadline.after(timeout, time);
    while (true) {
      Action action = action(id);
      if (action.completed()) {
        return action;
      }
      if (action.errored()) {
        throw new DigitalOceanException(Kind.ACTION_ERRORED, "DigitalOcean's " + action.type() + " action "
            + id + " on " + action.resourceType() + " " + action.resourceId() + " ended errored");
      }
      if (deadline.isExpired()) {
        throw new DigitalOceanException(Kind.TIMED_OUT, "DigitalOcean's " + action.type() + " action " + id
            + " was still " + action.status() + " after " + timeout.toSeconds() + " s");
      }
      sleep(deadline.cap(actionPoll));
    }
  }

  // ---- SSH keys

  /** The account's key with this MD5 fingerprint, or empty. */
  public Optional<SshKey> key(String fingerprint) {
    try {
      return Optional.of(Parse.key(wire.get("/v2/account/keys/" + fingerprint).path("ssh_key")));
    } catch (DigitalOceanException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The account's key with this public key's fingerprint, uploaded under {@code name} when
   * missing ("already in use" answered by reading it again).
   *
   * @return the key, and whether it was uploaded now
   */
  public java.util.Map.Entry<SshKey, Boolean> ensureKey(String name, String publicKey, String fingerprint) {
    Optional<SshKey> known = key(fingerprint);
    if (known.isPresent()) {
      return java.util.Map.entry(known.get(), false);
    }
    ObjectNode body = Transport.JSON.createObjectNode().put("name", name).put("public_key", publicKey.strip());
    try {
      return java.util.Map.entry(Parse.key(wire.post("/v2/account/keys", body, false).path("ssh_key")), true);
    } catch (DigitalOceanException e) {
      if (e.unprocessable("already in use") || e.kind() == Kind.UNREACHABLE || e.kind() == Kind.SERVER_ERROR) {
        Optional<SshKey> now = key(fingerprint);
        if (now.isPresent()) {
          return java.util.Map.entry(now.get(), false);
        }
      }
      throw e;
    }
  }

  // ---- tags

  /** Makes the tag (an existing tag is fine). */
  public void ensureTag(String name) {
    try {
      wire.get("/v2/tags/" + encode(name));
      return;
    } catch (DigitalOceanException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
    try {
      wire.post("/v2/tags", Transport.JSON.createObjectNode().put("name", name), true);
    } catch (DigitalOceanException e) {
      if (e.kind() != Kind.UNPROCESSABLE) {
        throw e;
      }
    }
  }

  // ---- firewalls

  /** Every firewall. */
  public List<Firewall> firewalls() {
    return wire.list("/v2/firewalls", "firewalls", pageSize).stream().map(Parse::firewall).toList();
  }

  /** The firewall named {@code name}, or empty. */
  public Optional<Firewall> firewall(String name) {
    return firewalls().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /**
   * Creates the firewall (inbound {@code rules}, all outbound traffic allowed) applied to the
   * droplets tagged {@code tags}. The create is looked up by name before it is sent again.
   */
  public Firewall createFirewall(String name, List<FirewallRule> rules, List<String> tags) {
    ObjectNode body = firewallBody(name, rules, tags);
    try {
      return Parse.firewall(wire.post("/v2/firewalls", body, false).path("firewall"));
    } catch (DigitalOceanException e) {
      if (e.kind() == Kind.UNREACHABLE || e.kind() == Kind.SERVER_ERROR) {
        Optional<Firewall> made = firewall(name);
        if (made.isPresent()) {
          return made.get();
        }
        return Parse.firewall(wire.post("/v2/firewalls", body, false).path("firewall"));
      }
      throw e;
    }
  }

  /** Replaces the firewall's rules and tags (a full replace, as PUT is). */
  public Firewall updateFirewall(String id, String name, List<FirewallRule> rules, List<String> tags) {
    return Parse.firewall(wire.put("/v2/firewalls/" + id, firewallBody(name, rules, tags)).path("firewall"));
  }

  /** Deletes the firewall (gone already is fine). */
  public void deleteFirewall(String id) {
    try {
      wire.delete("/v2/firewalls/" + id, null);
    } catch (DigitalOceanException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
  }

  private static ObjectNode firewallBody(String name, List<FirewallRule> rules, List<String> tags) {
    ObjectNode body = Transport.JSON.createObjectNode().put("name", name);
    ArrayNode inbound = body.putArray("inbound_rules");
    for (FirewallRule rule : rules) {
      ObjectNode r = inbound.addObject().put("protocol", rule.protocol()).put("ports", rule.ports());
      ArrayNode addresses = r.putObject("sources").putArray("addresses");
      rule.addresses().forEach(addresses::add);
    }
    ArrayNode outbound = body.putArray("outbound_rules");
    for (String protocol : List.of("tcp", "udp")) {
      outbound.addObject().put("protocol", protocol).put("ports", "0").putObject("destinations")
          .putArray("addresses").add("0.0.0.0/0").add("::/0");
    }
    outbound.addObject().put("protocol", "icmp").put("ports", "0").putObject("destinations").putArray("addresses")
        .add("0.0.0.0/0").add("::/0");
    ArrayNode t = body.putArray("tags");
    tags.forEach(t::add);
    return body;
  }

  // ---- reserved IPs

  /** The reserved IP, or empty. */
  public Optional<ReservedIp> reservedIp(String ip) {
    try {
      return Optional.of(Parse.reservedIp(wire.get("/v2/reserved_ips/" + ip).path("reserved_ip")));
    } catch (DigitalOceanException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Every reserved IP of the account. */
  public List<ReservedIp> reservedIps() {
    return wire.list("/v2/reserved_ips", "reserved_ips", pageSize).stream().map(Parse::reservedIp).toList();
  }

  /** Reserves a new IP in {@code region}. */
  public ReservedIp createReservedIp(String region) {
    return Parse.reservedIp(wire.post("/v2/reserved_ips", Transport.JSON.createObjectNode().put("region", region), false)
        .path("reserved_ip"));
  }

  /**
   * Assigns the IP to the droplet, waiting out "pending event" (the droplet's own action still
   * running) until {@code timeout}, then waits for the assign action.
   */
  public Action assignReservedIp(String ip, long dropletId, Duration timeout) {
    return reservedIpAction(ip, Transport.JSON.createObjectNode().put("type", "assign").put("droplet_id", dropletId), timeout);
  }

  /** Unassigns the IP from its droplet and waits for the action. */
  public Action unassignReservedIp(String ip, Duration timeout) {
    return reservedIpAction(ip, Transport.JSON.createObjectNode().put("type", "unassign"), timeout);
  }

  private Action reservedIpAction(String ip, ObjectNode body, Duration timeout) {
    Deadline deadline = Deadline.after(timeout, time);
    while (true) {
      try {
        Action action = Parse.action(wire.post("/v2/reserved_ips/" + ip + "/actions", body, true).path("action"));
        return action.completed() ? action : awaitAction(action.id(), deadline.remaining());
      } catch (DigitalOceanException e) {
        if (!e.unprocessable("pending event") || deadline.isExpired()) {
          throw e;
        }
        sleep(deadline.cap(actionPoll));
      }
    }
  }

  // ---- figures

  /** Requests sent so far (every attempt). */
  public long calls() {
    return wire.calls();
  }

  /** Attempts repeated so far (429s and failures that may heal). */
  public long retries() {
    return wire.retries();
  }

  /** 429 answers met so far. */
  public long rateLimited() {
    return wire.rateLimited();
  }

  /** Where the API is. */
  public String baseUrl() {
    return wire.base().toString();
  }

  /** The base URL, never the token. */
  @Override
  public String toString() {
    return "DigitalOcean[" + wire.base() + "]";
  }

  private void sleep(Duration wait) {
    try {
      time.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DigitalOceanException(Kind.INTERRUPTED, "interrupted while waiting for DigitalOcean", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Settings of a {@link DigitalOcean} client.
   *
   * <p>Thread safety: not safe for concurrent use.
   */
  public static final class Builder {
    private final char[] token;
    private URI baseUrl = DEFAULT_BASE_URL;
    private @Nullable OkHttpClient http;
    private TimeSource time = TimeSource.system();
    private Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)).withJitter(0.3);
    private int attempts = 5;
    private Consumer<ApiEvent> events = e -> {};
    private RandomGenerator random = ThreadLocalRandom.current();
    private int pageSize = 200;
    private Duration callTimeout = Duration.ofSeconds(60);
    private Duration actionPoll = Duration.ofSeconds(5);

    private Builder(char[] token) {
      Objects.requireNonNull(token, "token");
      if (token.length == 0) {
        throw new IllegalArgumentException("the DigitalOcean token is empty");
      }
      this.token = token.clone();
    }

    /** Where the API is (default {@code https://api.digitalocean.com/}; a fake in tests). */
    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    /** The OkHttp client to use (its timeouts are the call deadlines). */
    public Builder httpClient(OkHttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /** The longest one request may take (default 60 s), when no OkHttp client is given. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Where waits read the time and sleep (tests). */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /** The backoff between retries (default 1 s doubling to 30 s, 30 % jitter). */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Attempts per call, the first included (default 5). */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be >= 1: " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /** Who hears about answers, rate limits and retries. */
    public Builder events(Consumer<ApiEvent> events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** Objects asked for per page (1 to 200, default 200). */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1 || pageSize > 200) {
        throw new IllegalArgumentException("pageSize must be 1 to 200: " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /** How often an action is polled (default 5 s, as doctl does). */
    public Builder actionPoll(Duration interval) {
      this.actionPoll = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** The source of jitter (tests). */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public DigitalOcean build() {
      return new DigitalOcean(this);
    }

    /** Never the token. */
    @Override
    public String toString() {
      return "DigitalOcean.Builder[" + baseUrl + "]";
    }
  }
}
