package dev.deploykit.digitalocean;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.host.BootstrapResult;
import dev.deploykit.core.host.HostBootstrap;
import dev.deploykit.core.host.HostCheck;
import dev.deploykit.core.host.HostReport;
import dev.deploykit.digitalocean.DigitalOceanException.Kind;
import dev.deploykit.digitalocean.internal.CloudConfig;
import dev.deploykit.digitalocean.internal.KnownHostsLines;
import dev.deploykit.digitalocean.internal.OpenSshKeys;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Gets a stack from a token to a droplet deploykit can release to, and back.
 *
 * <p>{@link #up}: the token checked ({@code GET /v2/account}); the region and size checked
 * against the API's lists (the closest valid ones named); the operator's key uploaded when the
 * account lacks it; the droplet found by name among those tagged {@code deploykit:<stack>}, else
 * created with tags {@code deploykit} and {@code deploykit:<stack>} and a cloud-config (validated
 * here first) that creates the deploy user with the key, installs and starts Docker, and carries an
 * ed25519 host key made here; the create action and the droplet's {@code active} status waited
 * for; the host key's known_hosts line written for the droplet's address before the first
 * connection; the firewall {@code deploykit-<stack>} (SSH from the admin CIDRs only; 80, 443 and
 * the proxy port from anywhere; nothing else) created or brought back to those rules; the
 * reserved IP assigned; then SSH with the pinned key and the engine waited for (bootstrapped if
 * cloud-init never installed it). A second run finds everything in place and changes nothing.
 *
 * <p>Crash safety: the host key's public half is written to the state folder before the create
 * is sent, so a run killed after the create finds the droplet and still pins the right key; the
 * droplet is found by name and tag, never created twice; every other step is a
 * compare-then-change.
 *
 * <p>Thread safety: one run at a time per stack.
 */
public final class Provisioner {
  /** The tag on everything deploykit creates. */
  public static final String TAG = "deploykit";
  private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9.\\-]*[a-z0-9]|[0-9]+");
  private static final List<String> ANYWHERE = List.of("0.0.0.0/0", "::/0");

  private final DigitalOcean api;
  private final Path stateDir;
  private final Path knownHosts;
  private final Consumer<String> events;
  private final TimeSource time;
  private final Duration activeTimeout;
  private final Duration poll;

  private Provisioner(Builder b) {
    this.api = b.api;
    this.stateDir = b.stateDir;
    this.knownHosts = b.knownHosts;
    this.events = b.events;
    this.time = b.time;
    this.activeTimeout = b.activeTimeout;
    this.poll = b.poll;
  }

  /** A provisioner working through {@code api}. */
  public static Builder builder(DigitalOcean api) {
    return new Builder(api);
  }

  /** {@code deploykit:<stack>}. */
  public static String stackTag(String stack) {
    return TAG + ":" + stack;
  }

  /** {@code deploykit-<stack>}, with what a firewall name may not hold replaced. */
  public static String firewallName(String stack) {
    return "deploykit-" + stack.replaceAll("[^a-zA-Z0-9.-]", "-");
  }

  /**
   * Makes the droplet, or finds it made, and waits until deploykit can release to it.
   *
   * @throws DigitalOceanException one line naming what failed and what to do
   */
  public UpResult up(DropletPlan plan) {
    long started = time.nanoTime();
    long calls0 = api.calls();
    long retries0 = api.retries();
    List<String> changes = new ArrayList<>();
    Account account = api.account();
    if ("locked".equals(account.status())) {
      throw new DigitalOceanException(Kind.FORBIDDEN, "the DigitalOcean account " + account.email()
          + " is locked; see https://cloud.digitalocean.com/account");
    }
    checkRequest(plan);
    String fingerprint = OpenSshKeys.md5Fingerprint(plan.publicKey());
    var key = api.ensureKey("deploykit " + plan.user() + " " + fingerprint.substring(0, 11), plan.publicKey(), fingerprint);
    if (key.getValue()) {
      changes.add("ssh key uploaded (" + fingerprint + ")");
      events.accept("ssh key " + fingerprint + " uploaded to the account");
    }

    List<Droplet> found = mine(plan);
    Droplet droplet;
    String hostKey;
    Long actionId = null;
    boolean created = false;
    if (found.size() > 1) {
      throw new DigitalOceanException(Kind.CONFLICT, found.size() + " droplets named " + plan.name() + " carry "
          + plan.stackTag() + " (" + ids(found) + "); destroy the extra ones (deploykit do down), then run again");
    }
    if (found.isEmpty()) {
      OpenSshKeys.HostKey pair = OpenSshKeys.ed25519("deploykit-host-" + plan.name());
      String userData = CloudConfig.render(plan.user(), plan.publicKey(), pair);
      CloudConfig.validate(userData);
      writeHostKey(plan, pair.publicLine());
      hostKey = pair.publicLine();
      events.accept("creating droplet " + plan.name() + " (" + plan.region() + ", " + plan.size() + ", " + plan.image() + ")");
      DigitalOcean.Created made = api.createDroplet(new DigitalOcean.DropletRequest(plan.name(), plan.region(), plan.size(),
          plan.image(), List.of(fingerprint), List.of(TAG, plan.stackTag()), userData), plan.stackTag());
      droplet = made.droplet();
      actionId = made.actionId();
      created = !made.found();
      changes.add("droplet " + droplet.id() + " created");
    } else {
      droplet = found.get(0);
      hostKey = readHostKey(plan, droplet);
      events.accept("droplet " + plan.name() + " exists (" + droplet.id() + ", " + droplet.status() + ")");
    }

    try {
      droplet = awaitActive(droplet, actionId);
      if (KnownHostsLines.pin(knownHosts, droplet.publicIpv4(), 22, hostKey)) {
        changes.add("known_hosts line for " + droplet.publicIpv4());
        events.accept("host key " + OpenSshKeys.sha256Fingerprint(hostKey) + " pinned for " + droplet.publicIpv4()
            + " in " + knownHosts);
      }
      Firewall firewall = firewall(plan, changes);
      String reserved = reservedIp(plan, droplet, changes);
      String engine = awaitEngine(plan, droplet);
      return new UpResult(droplet, "ssh://" + plan.user() + "@" + droplet.publicIpv4(),
          OpenSshKeys.sha256Fingerprint(hostKey), engine, changes, firewall, reserved, api.calls() - calls0,
          api.retries() - retries0, (time.nanoTime() - started) / 1_000_000);
    } catch (DigitalOceanException e) {
      if (!created) {
        throw e;
      }
      if (plan.cleanupOnFailure()) {
        api.deleteDroplet(droplet.id(), plan.stackTag());
        if (droplet.publicIpv4() != null) {
          KnownHostsLines.remove(knownHosts, droplet.publicIpv4(), 22);
        }
        // The next up makes a new droplet with a new host key; the old one must not be pinned for it.
        deleteQuietly(hostKeyFile(plan.stack(), plan.name()));
        throw new DigitalOceanException(e.kind(), e.getMessage() + "; droplet " + droplet.id()
            + " was destroyed (--cleanup-on-failure)", e);
      }
      throw new DigitalOceanException(e.kind(), e.getMessage() + "; droplet " + droplet.id() + " ("
          + plan.name() + ") is kept: run deploykit do up again, or destroy it with deploykit do down --yes", e);
    }
  }

  /** What DigitalOcean holds for the stack. */
  public StackDroplets status(String stack) {
    List<Droplet> droplets = api.dropletsByTag(stackTag(stack));
    Optional<Firewall> firewall = api.firewall(firewallName(stack)).filter(f -> f.tags().contains(stackTag(stack)));
    HashSet<Long> ids = new HashSet<>(droplets.stream().map(Droplet::id).toList());
    List<ReservedIp> reserved = droplets.isEmpty() ? List.of()
        : api.reservedIps().stream().filter(r -> r.dropletId() != null && ids.contains(r.dropletId())).toList();
    return new StackDroplets(stack, droplets, firewall, reserved);
  }

  /**
   * Destroys the stack's droplets (only those tagged {@code deploykit:<stack>}; with
   * {@code name}, only that one), its firewall (only when deploykit made it), their known_hosts
   * lines and the pinned keys in the state folder. Reserved IPs stay on the account (unassigned).
   */
  public DownResult down(String stack, @Nullable String name) {
    String tag = stackTag(stack);
    List<Droplet> destroyed = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (Droplet d : api.dropletsByTag(tag)) {
      if (name != null && !d.name().equalsIgnoreCase(name)) {
        continue;
      }
      if (api.deleteDroplet(d.id(), tag)) {
        destroyed.add(d);
        events.accept("droplet " + d.id() + " (" + d.name() + ") destroyed");
      }
      if (d.publicIpv4() != null && KnownHostsLines.remove(knownHosts, d.publicIpv4(), 22)) {
        lines.add(d.publicIpv4());
      }
      deleteQuietly(hostKeyFile(stack, d.name()));
    }
    List<String> firewall = new ArrayList<>();
    boolean others = name != null && !api.dropletsByTag(tag).isEmpty();
    if (!others) {
      Optional<Firewall> fw = api.firewall(firewallName(stack));
      if (fw.isPresent() && fw.get().tags().contains(tag)) {
        api.deleteFirewall(fw.get().id());
        firewall.add(fw.get().name());
        events.accept("firewall " + fw.get().name() + " deleted");
      }
    }
    return new DownResult(destroyed, firewall, lines);
  }

  /** The file holding the pinned host key of the stack's droplet {@code name}. */
  public Path hostKeyFile(String stack, String name) {
    return stateDir.resolve(stack + "--" + name + ".host-key.pub");
  }

  private List<Droplet> mine(DropletPlan plan) {
    return api.dropletsByTag(plan.stackTag()).stream().filter(d -> d.name().equalsIgnoreCase(plan.name())).toList();
  }

  private void checkRequest(DropletPlan plan) {
    if (!IMAGE.matcher(plan.image()).matches()) {
      throw new DigitalOceanException(Kind.INVALID_REQUEST, "'" + plan.image() + "' is not an image slug"
          + " (for example ubuntu-24-04-x64 or debian-12-x64)");
    }
    List<Region> regions = api.regions();
    Optional<Region> region = regions.stream().filter(r -> r.slug().equals(plan.region())).findFirst();
    if (region.isEmpty() || !region.get().available()) {
      throw new DigitalOceanException(Kind.INVALID_REQUEST, "region '" + plan.region() + "' "
          + (region.isEmpty() ? "does not exist" : "takes no new droplets") + "; closest: "
          + closest(plan.region(), regions.stream().filter(Region::available).map(Region::slug).toList()));
    }
    List<Size> sizes = api.sizes();
    Optional<Size> size = sizes.stream().filter(s -> s.slug().equals(plan.size())).findFirst();
    if (size.isEmpty() || !size.get().available()) {
      throw new DigitalOceanException(Kind.INVALID_REQUEST, "size '" + plan.size() + "' "
          + (size.isEmpty() ? "does not exist" : "is not offered") + "; closest: "
          + closest(plan.size(), sizes.stream().filter(Size::available).map(Size::slug).toList()));
    }
    if (!region.get().sizes().isEmpty() && !region.get().sizes().contains(plan.size())) {
      throw new DigitalOceanException(Kind.INVALID_REQUEST, "size '" + plan.size() + "' is not offered in "
          + plan.region() + "; there: " + closest(plan.size(), region.get().sizes()));
    }
  }

  /** The three valid names nearest to {@code asked} (edit distance). */
  static String closest(String asked, List<String> valid) {
    if (valid.isEmpty()) {
      return "none available";
    }
    return String.join(", ", valid.stream()
        .sorted(Comparator.comparingInt((String v) -> distance(asked, v)).thenComparing(v -> v))
        .limit(3).toList());
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private Droplet awaitActive(Droplet droplet, @Nullable Long actionId) {
    if (actionId != null) {
      events.accept("waiting for the create action " + actionId);
      api.awaitAction(actionId, activeTimeout);
    }
    if (droplet.active() && droplet.publicIpv4() != null) {
      return droplet;
    }
    events.accept("waiting for droplet " + droplet.id() + " to be active with a public address");
    long id = droplet.id();
    try {
      AwaitResult<Droplet> result = Await.atMost(activeTimeout).backoff(Backoff.fixed(poll)).timeSource(time)
          .retryIf(e -> false)
          .until(deadline -> api.droplet(id).orElseThrow(() -> new DigitalOceanException(Kind.NOT_FOUND,
              "droplet " + id + " disappeared while it was being made (destroyed from elsewhere?); run deploykit do up again")),
              d -> d.active() && d.publicIpv4() != null);
      return switch (result) {
        case AwaitResult.Satisfied<Droplet> s -> s.value();
        case AwaitResult.TimedOut<Droplet> t -> throw new DigitalOceanException(Kind.TIMED_OUT, "droplet " + id
            + " was not active with a public address after " + activeTimeout.toSeconds() + " s");
        case AwaitResult.Aborted<Droplet> a -> throw a.cause() instanceof DigitalOceanException d ? d
            : new DigitalOceanException(Kind.UNREACHABLE, "droplet " + id + ": " + a.cause().getMessage(), a.cause());
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DigitalOceanException(Kind.INTERRUPTED, "interrupted while droplet " + id + " was being made", e);
    }
  }

  private Firewall firewall(DropletPlan plan, List<String> changes) {
    String name = firewallName(plan.stack());
    List<FirewallRule> rules = new ArrayList<>();
    rules.add(FirewallRule.tcp(22, plan.adminCidrs()));
    rules.add(FirewallRule.tcp(80, ANYWHERE));
    rules.add(FirewallRule.tcp(443, ANYWHERE));
    if (plan.proxyPort() != 80 && plan.proxyPort() != 443) {
      rules.add(FirewallRule.tcp(plan.proxyPort(), ANYWHERE));
    }
    List<String> tags = List.of(plan.stackTag());
    Optional<Firewall> existing = api.firewall(name);
    if (existing.isEmpty()) {
      Firewall made = api.createFirewall(name, rules, tags);
      changes.add("firewall " + name + " created");
      events.accept("firewall " + name + " created: " + rules.stream().map(FirewallRule::toString).toList());
      return made;
    }
    Firewall fw = existing.get();
    if (!fw.tags().contains(plan.stackTag())) {
      throw new DigitalOceanException(Kind.CONFLICT, "a firewall named " + name + " exists (" + fw.id()
          + ") that deploykit did not create (it does not apply to " + plan.stackTag() + "); rename or delete it, then run again");
    }
    if (sameRules(fw.inbound(), rules) && new HashSet<>(fw.tags()).equals(new HashSet<>(tags))) {
      return fw;
    }
    Firewall updated = api.updateFirewall(fw.id(), name, rules, tags);
    changes.add("firewall " + name + " rules restored");
    events.accept("firewall " + name + " brought back to " + rules.stream().map(FirewallRule::toString).toList());
    return updated;
  }

  private static boolean sameRules(List<FirewallRule> have, List<FirewallRule> want) {
    return normal(have).equals(normal(want));
  }

  private static HashSet<String> normal(List<FirewallRule> rules) {
    HashSet<String> out = new HashSet<>();
    for (FirewallRule r : rules) {
      for (String a : r.addresses()) {
        out.add(r.protocol().toLowerCase(Locale.ROOT) + " " + r.ports() + " " + a);
      }
    }
    return out;
  }

  private @Nullable String reservedIp(DropletPlan plan, Droplet droplet, List<String> changes) {
    String ip = plan.reservedIp();
    if (ip == null) {
      return null;
    }
    ReservedIp reserved = api.reservedIp(ip).orElseThrow(() -> new DigitalOceanException(Kind.INVALID_REQUEST,
        "the reserved IP " + ip + " is not on the account; reserve it first (or leave --reserved-ip out)"));
    if (Objects.equals(reserved.dropletId(), droplet.id())) {
      return ip;
    }
    events.accept("assigning reserved IP " + ip + " to droplet " + droplet.id());
    api.assignReservedIp(ip, droplet.id(), activeTimeout);
    changes.add("reserved IP " + ip + " assigned");
    return ip;
  }

  private String awaitEngine(DropletPlan plan, Droplet droplet) {
    SshHost.Builder ssh = DockerHost.ssh(droplet.publicIpv4()).port(22).user(plan.user()).knownHosts(knownHosts)
        .connectTimeout(Duration.ofSeconds(10));
    if (plan.identityFile() != null) {
      ssh.identityFile(plan.identityFile());
    }
    events.accept("waiting for SSH (pinned host key) and the engine on " + droplet.publicIpv4());
    HostReport[] last = {null};
    String[] lastError = {"no answer yet"};
    try {
      AwaitResult<HostReport> result = Await.atMost(plan.readyTimeout())
          .backoff(Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(5)).withJitter(0.2)).timeSource(time)
          .retryIf(e -> !(e instanceof DeployException d && d.reason() == DeployException.Reason.HOST_KEY_REJECTED))
          .listener((attempt, observed, delay) -> lastError[0] = observed.describe())
          .until(deadline -> last[0] = HostCheck.of(ssh).run(), r -> r instanceof HostReport.Ready);
      return switch (result) {
        case AwaitResult.Satisfied<HostReport> s -> ((HostReport.Ready) s.value()).engineVersion();
        case AwaitResult.TimedOut<HostReport> t -> {
          if (last[0] instanceof HostReport.NotReady) {
            events.accept("cloud-init did not make the engine ready; bootstrapping " + droplet.publicIpv4());
            BootstrapResult boot = HostBootstrap.builder(ssh).events(e -> events.accept("  " + e.message())).build().run();
            yield boot.engineVersion();
          }
          throw new DigitalOceanException(Kind.TIMED_OUT, "SSH to " + plan.user() + "@" + droplet.publicIpv4()
              + ":22 (host key pinned in " + knownHosts + ") did not answer with a usable engine within "
              + plan.readyTimeout().toSeconds() + " s; last: " + lastError[0]);
        }
        case AwaitResult.Aborted<HostReport> a -> throw new DigitalOceanException(Kind.CONFLICT,
            "droplet " + droplet.id() + " at " + droplet.publicIpv4() + " does not present the host key deploykit"
                + " pinned for it: " + a.cause().getMessage(), a.cause());
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DigitalOceanException(Kind.INTERRUPTED, "interrupted while waiting for SSH on " + droplet.publicIpv4(), e);
    } catch (DeployException e) {
      throw new DigitalOceanException(Kind.TIMED_OUT, "bootstrapping " + droplet.publicIpv4() + " failed: " + e.getMessage(), e);
    }
  }

  private void writeHostKey(DropletPlan plan, String publicLine) {
    Path file = hostKeyFile(plan.stack(), plan.name());
    try {
      Files.createDirectories(stateDir);
      Path temp = Files.createTempFile(stateDir, ".host-key", ".tmp");
      Files.writeString(temp, publicLine + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pinned host key to " + file, e);
    }
  }

  private String readHostKey(DropletPlan plan, Droplet droplet) {
    Path file = hostKeyFile(plan.stack(), plan.name());
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new DigitalOceanException(Kind.CONFLICT, "droplet " + droplet.id() + " (" + plan.name()
          + ") exists, but the host key deploykit made for it is not in " + file + " (was it created on another machine?);"
          + " copy that file here, or destroy the droplet (deploykit do down --yes) and run again");
    }
  }

  private static String ids(List<Droplet> droplets) {
    return String.join(", ", droplets.stream().map(d -> Long.toString(d.id())).toList());
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A stale public key harms nobody: the next up overwrites it.
    }
  }

  /**
   * Settings of a {@link Provisioner}.
   *
   * <p>Thread safety: not safe for concurrent use.
   */
  public static final class Builder {
    private final DigitalOcean api;
    private Path stateDir = Path.of(System.getProperty("user.home"), ".deploykit", "digitalocean");
    private Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    private Consumer<String> events = line -> {};
    private TimeSource time = TimeSource.system();
    private Duration activeTimeout = Duration.ofMinutes(5);
    private Duration poll = Duration.ofSeconds(3);

    private Builder(DigitalOcean api) {
      this.api = Objects.requireNonNull(api, "api");
    }

    /** Where the pinned host keys are kept (default {@code ~/.deploykit/digitalocean}). */
    public Builder stateDir(Path dir) {
      this.stateDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The known_hosts file the droplet's line goes to (default {@code ~/.ssh/known_hosts}). */
    public Builder knownHosts(Path file) {
      this.knownHosts = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Who hears what happens, one line each. */
    public Builder events(Consumer<String> events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** How long the create action and the droplet's {@code active} may take (default 5 min). */
    public Builder activeTimeout(Duration timeout) {
      this.activeTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How often a droplet's status is read while it is made (default 3 s). */
    public Builder poll(Duration interval) {
      this.poll = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** Where waits read the time (tests). */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    public Provisioner build() {
      return new Provisioner(this);
    }
  }
}
