package dev.deploykit.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.release.SampleRelease;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.DropletImages;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.it.support.digitalocean.FakeDigitalOcean;
import dev.deploykit.it.support.digitalocean.FakeDroplet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code deploykit do up|status|down} against the fake DigitalOcean, whose droplets are real
 * cloud-init test droplets on loopback addresses of their own: bad tokens and bad input refused
 * in one line before anything is made; a first {@code do up} under injected 429s and a create
 * whose answer is lost, leaving one droplet whose pinned host key is verified from the first
 * connection; the sample stack deployed to it with {@code deploykit deploy --host} and served;
 * a second {@code do up} with nothing to do; a {@code do up} killed mid-way and run again,
 * converging to one droplet; {@code do down} removing only what deploykit tagged. Every
 * request and answer is checked against the published contract. Prints the figures.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 12, unit = TimeUnit.MINUTES)
// Among the longest classes: started first when classes run side by side (it-tests/pom.xml).
@Order(3)
class CliDigitalOceanIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final int PROXY_PORT = 8080;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String stack = "itdo" + UUID.randomUUID().toString().substring(0, 6);
  private FakeDigitalOcean fake;
  private Path dir;
  private Path key;
  private Path knownHosts;
  private long foreignDroplet;

  @BeforeAll
  void start() throws Exception {
    fake = FakeDigitalOcean.start(PROXY_PORT).maxPerPage(2);
    dir = Files.createTempDirectory("deploykit-do-it");
    key = dir.resolve("id_ed25519");
    Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "operator", "-f", key.toString())
        .redirectErrorStream(true).start();
    assertThat(keygen.waitFor(20, TimeUnit.SECONDS) && keygen.exitValue() == 0).as("ssh-keygen").isTrue();
    knownHosts = dir.resolve("known_hosts");
    foreignDroplet = fake.addForeignDroplet("someone-elses");
    fake.addForeignDroplet("another-one");
    fake.addForeignFirewall("web-firewall");
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (fake != null) {
        fake.ledger().assertKept();
      }
    } finally {
      if (fake != null) {
        fake.close();
      }
      if (dir != null) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private Map<String, String> env(String token) {
    Map<String, String> env = new HashMap<>();
    env.put("DIGITALOCEAN_TOKEN", token);
    env.put("DIGITALOCEAN_API_URL", fake.url().toString());
    env.put("DOCKER_HOST", "");
    return env;
  }

  private List<String> up(String stackName, String... more) {
    List<String> args = new ArrayList<>(List.of("--identity", key.toString(), "--known-hosts", knownHosts.toString(),
        "do", "up", "--stack", stackName, "--admin-cidr", "127.0.0.1/32", "--image", "debian-13-x64",
        "--proxy-port", Integer.toString(PROXY_PORT), "--state-dir", dir.resolve("state").toString(),
        "--ready-timeout", "240"));
    args.addAll(List.of(more));
    return args;
  }

  private Cli.Result run(String token, List<String> args) throws Exception {
    return Cli.run(TIMEOUT, env(token), args.toArray(String[]::new));
  }

  private List<JsonNode> dropletsOf(String stackName) {
    return fake.droplets().stream().filter(d -> {
      for (JsonNode t : d.path("tags")) {
        if (t.asText().equals("deploykit:" + stackName)) {
          return true;
        }
      }
      return false;
    }).toList();
  }

  @Test
  @Order(1)
  void badTokensAndBadInputAreRefusedInOneLineBeforeAnythingIsMade() throws Exception {
    Cli.Result wrong = run("dop_v1_wrong_token_value", up(stack));
    assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(4);
    assertThat(wrong.err()).contains("refused the token").contains("DIGITALOCEAN_TOKEN")
        .doesNotContain("dop_v1_wrong_token_value").doesNotContain("Exception");

    Cli.Result readOnly = run(FakeDigitalOcean.READ_ONLY_TOKEN, up(stack));
    assertThat(readOnly.exitCode()).as(readOnly.toString()).isEqualTo(4);
    assertThat(readOnly.err()).contains("lacks a scope").doesNotContain(FakeDigitalOcean.READ_ONLY_TOKEN);

    Cli.Result region = run(FakeDigitalOcean.TOKEN, up(stack, "--region", "nyc9"));
    assertThat(region.exitCode()).as(region.toString()).isEqualTo(2);
    assertThat(region.err()).contains("region 'nyc9' does not exist; closest: nyc3");

    Cli.Result size = run(FakeDigitalOcean.TOKEN, up(stack, "--size", "s-1vcpu-512mb"));
    assertThat(size.exitCode()).as(size.toString()).isEqualTo(2);
    assertThat(size.err()).contains("size 's-1vcpu-512mb' does not exist; closest: s-1vcpu-1gb");

    List<String> open = new ArrayList<>(up(stack));
    open.set(open.indexOf("127.0.0.1/32"), "0.0.0.0/0");
    Cli.Result anywhere = run(FakeDigitalOcean.TOKEN, open);
    assertThat(anywhere.exitCode()).as(anywhere.toString()).isEqualTo(2);
    assertThat(anywhere.err()).contains("--allow-ssh-from-anywhere");

    fake.dropletLimit(2);
    Cli.Result limit = run(FakeDigitalOcean.TOKEN, up(stack + "x"));
    fake.dropletLimit(10);
    assertThat(limit.exitCode()).as(limit.toString()).isEqualTo(2);
    assertThat(limit.err()).contains("422").contains("will exceed your droplet limit").doesNotContain("Exception");
    assertThat(dropletsOf(stack + "x")).isEmpty();

    Cli.Result noToken = run("", up(stack));
    assertThat(noToken.exitCode()).isEqualTo(2);
    assertThat(noToken.err()).contains("set DIGITALOCEAN_TOKEN");
    assertThat(dropletsOf(stack)).isEmpty();
  }

  @Test
  @Order(2)
  void upUnder429sAndALostCreateAnswerMakesOneDropletThenTheSampleStackServesFromIt() throws Exception {
    SampleRelease.buildImages(List.of("v1"));
    Set<String> images = new LinkedHashSet<>();
    images.add(StandInImageSubstitutor.resolve(Deployer.DEFAULT_PROXY_IMAGE));
    Stack sample = SampleRelease.load(stack, PROXY_PORT, Map.of("APP_VERSION", "v1", "WORKER_VERSION", "v1"));
    sample.services().stream().map(Service::image).forEach(images::add);
    // With their bases, so that the deploy's --images local reuses them on the droplet.
    images.addAll(DropletImages.standIns(Recipes.POSTGRES_18_1, Recipes.OLLAMA, Recipes.HAPROXY_3_0));

    fake.tooManyRequests(3, 1).failCreatesAfterMaking(1);
    int before = fake.requests();
    long started = System.nanoTime();
    Cli.Result up = run(FakeDigitalOcean.TOKEN, withJson(up(stack)));
    long upMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(up.exitCode()).as(up.toString()).isZero();
    JsonNode doc = JSON.readTree(up.out());
    assertThat(doc.path("nothingToDo").asBoolean()).isFalse();
    assertThat(up.err()).contains("rate limited by DigitalOcean").contains("waiting 1 s");
    assertThat(up.all()).doesNotContain(FakeDigitalOcean.TOKEN).doesNotContain("PRIVATE KEY");
    assertThat(dropletsOf(stack)).as("one droplet, although the create's answer was lost").hasSize(1);
    assertThat(doc.path("apiRetries").asLong()).as("the three 429s were waited out and retried").isGreaterThanOrEqualTo(3);
    long id = doc.path("droplet").path("id").asLong();
    assertThat(id).isGreaterThan(Integer.MAX_VALUE);
    String ip = doc.path("droplet").path("publicIpv4").asText();
    assertThat(ip).startsWith("127.0.0.").isNotEqualTo("127.0.0.1");
    assertThat(Files.readString(knownHosts)).contains(ip + " ssh-ed25519 ");
    assertThat(doc.path("firewall").path("inbound").toString()).contains("tcp 22 from 127.0.0.1/32")
        .contains("tcp 80 from 0.0.0.0/0, ::/0").contains("tcp 443 from 0.0.0.0/0, ::/0")
        .contains("tcp 8080 from 0.0.0.0/0, ::/0");
    FakeDroplet machine = fake.machine(id).orElseThrow();
    assertThat(machine.exec("cloud-init", "schema", "--system").exitCode())
        .as("cloud-init accepts the cloud-config: %s", machine.exec("cloud-init", "schema", "--system").output()).isZero();
    assertThat(machine.exec("ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub").output())
        .contains(doc.path("hostKey").asText());
    System.out.printf("CliDigitalOceanIT: fresh do up: %d API calls (%d retried, 3 injected 429s and a lost create answer),"
        + " %d requests seen by the fake, %d ms%n", doc.path("apiCalls").asLong(), doc.path("apiRetries").asLong(),
        fake.requests() - before, upMillis);

    SshHost ssh = DockerHost.ssh(ip).user("deploy").identityFile(key).knownHosts(knownHosts)
        .connectTimeout(Duration.ofSeconds(20)).build();
    long moved0 = System.nanoTime();
    try (ssh) {
      System.out.println("CliDigitalOceanIT: " + DropletImages.give(ssh, images));
    }
    long movedMillis = (System.nanoTime() - moved0) / 1_000_000;
    List<String> deploy = new ArrayList<>(List.of("-f", Cli.ROOT.resolve("examples/compose.yaml").toString(),
        "--host", "ssh://deploy@" + ip, "--identity", key.toString(), "--known-hosts", knownHosts.toString(),
        "deploy", "--images", "local"));
    Map<String, String> env = env(FakeDigitalOcean.TOKEN);
    env.put("PROXY_PORT", Integer.toString(PROXY_PORT));
    Cli.Result deployed = Cli.run(Duration.ofMinutes(6), env, deploy.toArray(String[]::new));
    assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
    String body = get(URI.create("http://" + ip + ":" + PROXY_PORT + "/version"));
    long served = (System.nanoTime() - started) / 1_000_000;
    assertThat(body).contains("v1");
    System.out.printf("CliDigitalOceanIT: do up to the first request served by the sample stack on the droplet:"
        + " %d ms (do up %d ms, images moved in %d ms, deploy the rest)%n", served, upMillis, movedMillis);

    int again0 = fake.requests();
    Cli.Result second = run(FakeDigitalOcean.TOKEN, withJson(up(stack)));
    assertThat(second.exitCode()).as(second.toString()).isZero();
    JsonNode again = JSON.readTree(second.out());
    assertThat(again.path("nothingToDo").asBoolean()).as(second.toString()).isTrue();
    assertThat(again.path("droplet").path("id").asLong()).isEqualTo(id);
    assertThat(dropletsOf(stack)).hasSize(1);
    System.out.printf("CliDigitalOceanIT: do up with nothing to do: %d API calls, %d ms%n",
        fake.requests() - again0, again.path("millis").asLong());

    String reserved = fake.addReservedIp("45.55.96.47");
    Cli.Result assign = run(FakeDigitalOcean.TOKEN, withJson(up(stack, "--reserved-ip", reserved)));
    assertThat(assign.exitCode()).as(assign.toString()).isZero();
    assertThat(JSON.readTree(assign.out()).path("changes").toString()).contains("reserved IP " + reserved + " assigned");

    Cli.Result status = Cli.run(TIMEOUT, env, "-f", Cli.ROOT.resolve("examples/compose.yaml").toString(),
        "--identity", key.toString(), "--known-hosts", knownHosts.toString(), "do", "status", "--stack", stack, "--json");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    JsonNode statusDoc = JSON.readTree(status.out());
    assertThat(statusDoc.path("droplets").get(0).path("engineReady").asBoolean()).isTrue();
    assertThat(statusDoc.path("reservedIps").toString()).contains(reserved);
    assertThat(statusDoc.path("firewall").path("name").asText()).isEqualTo("deploykit-" + stack);
    JsonNode health = statusDoc.path("droplets").get(0).path("health");
    assertThat(health.path("status").asText())
        .as("the stack's health on the droplet, as deploykit health --host reads it: %s", status).isIn("pass", "warn");
    assertThat(health.path("checks").size()).as(status.toString()).isPositive();
  }

  @Test
  @Order(3)
  void aKilledUpConvergesOnTheRerunAndDownRemovesOnlyWhatDeploykitTagged() throws Exception {
    String other = stack + "k";
    Process p = Cli.start(env(FakeDigitalOcean.TOKEN), up(other).toArray(String[]::new));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (dropletsOf(other).isEmpty() && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(50);
    }
    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertThat(dropletsOf(other)).as("killed right after the create: %s", Cli.outputSoFar(p)).hasSize(1);
    Cli.Result rerun = run(FakeDigitalOcean.TOKEN, withJson(up(other)));
    assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
    assertThat(dropletsOf(other)).as("no duplicate").hasSize(1);
    assertThat(JSON.readTree(rerun.out()).path("droplet").path("id").asLong())
        .isEqualTo(dropletsOf(other).get(0).path("id").asLong());

    Cli.Result refused = run(FakeDigitalOcean.TOKEN, List.of("do", "down", "--stack", other));
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err()).contains("--yes");
    String ip = JSON.readTree(rerun.out()).path("droplet").path("publicIpv4").asText();
    for (String s : List.of(other, stack)) {
      Cli.Result down = run(FakeDigitalOcean.TOKEN, List.of("--known-hosts", knownHosts.toString(), "do", "down",
          "--stack", s, "--yes", "--state-dir", dir.resolve("state").toString()));
      assertThat(down.exitCode()).as(down.toString()).isZero();
      assertThat(dropletsOf(s)).isEmpty();
    }
    assertThat(Files.readString(knownHosts)).doesNotContain(ip + " ");
    assertThat(fake.droplets()).extracting(d -> d.path("id").asLong()).contains(foreignDroplet).hasSize(2);
    assertThat(fake.firewalls()).extracting(f -> f.path("name").asText()).containsExactly("web-firewall");
    Cli.Result nothing = run(FakeDigitalOcean.TOKEN, List.of("do", "down", "--stack", other, "--yes"));
    assertThat(nothing.exitCode()).isZero();
    assertThat(nothing.out()).contains("nothing on DigitalOcean to destroy");
  }

  private static List<String> withJson(List<String> args) {
    List<String> out = new ArrayList<>(args);
    out.add("--json");
    return out;
  }

  private static String get(URI url) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return r.body();
        }
      } catch (java.io.IOException e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no answer from " + url, last);
  }
}
