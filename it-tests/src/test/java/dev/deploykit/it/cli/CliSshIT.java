package dev.deploykit.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.core.StackNames;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.it.support.TestDroplet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built command against a droplet over SSH: every read-only command on an empty host, host
 * keys (an unknown one refused with its type and fingerprint, trusted once with
 * --accept-new-host-key), {@code DOCKER_HOST=ssh://}, the precedence of --host over DOCKER_HOST
 * over the stack file's x-deploykit.host and the line that says which was used, bad addresses,
 * the key given as text in DEPLOYKIT_SSH_KEY, logs -f, and a small stack deployed, updated and
 * rolled back (its images moved to the droplet first: no registry here). One droplet for the
 * class.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class CliSshIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Not a host anyone listens on: a run that used it would fail. */
  private static final String NOWHERE = "ssh://deploy@127.0.0.1:1";
  private static final Pattern LINE_TO_ADD = Pattern.compile("add this line to \\S+: (.+?) or connect once");

  private TestDroplet droplet;
  private Path file;
  private String address;

  @BeforeAll
  void start() throws Exception {
    droplet = TestDroplet.start();
    address = "ssh://" + TestDroplet.USER + "@127.0.0.1:" + droplet.port();
    file = stackFile("cli-ssh", null);
  }

  @AfterAll
  void stop() {
    if (droplet != null) {
      droplet.close();
    }
  }

  private Path stackFile(String name, String host) throws Exception {
    Path dir = Files.createDirectories(droplet.folder().resolve(name + "-" + (host == null ? "plain" : "host")));
    Path f = dir.resolve("compose.yaml");
    Files.writeString(f, "name: " + name + "\n"
        + (host == null ? "" : "x-deploykit:\n  host: " + host + "\n")
        + "services:\n  box:\n    image: deploykit.local/busybox:trixie\n    command: [sleep, infinity]\n");
    return f;
  }

  /** The options that reach the droplet, but no address. */
  private List<String> keys(Path knownHosts, String... rest) {
    List<String> args = new ArrayList<>(List.of("--identity", droplet.userKey().toString(),
        "--known-hosts", knownHosts.toString()));
    args.addAll(List.of(rest));
    return args;
  }

  private Cli.Result run(Map<String, String> env, List<String> args) throws Exception {
    Map<String, String> environment = new java.util.HashMap<>(env);
    environment.putIfAbsent("DOCKER_HOST", "");
    return Cli.run(TIMEOUT, environment, args.toArray(String[]::new));
  }

  private Cli.Result onDroplet(String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("--host", address, "-f", file.toString()));
    args.addAll(keys(droplet.knownHosts(), command));
    return run(Map.of(), args);
  }

  @Test
  void everyReadingCommandWorksOnAnEmptyHostAndSaysWhichHost() throws Exception {
    String said = "host " + address + " (from --host)";
    for (String[] command : List.of(new String[] {"status"}, new String[] {"releases"},
        new String[] {"lock", "status"}, new String[] {"config"})) {
      Cli.Result r = onDroplet(command);
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.err()).as(r.toString()).contains(said);
    }
    Cli.Result health = onDroplet("health");
    assertThat(health.err()).as(health.toString()).contains(said).doesNotContain("Exception");
    assertThat(health.exitCode()).as("nothing runs: down, not an error of the connection").isEqualTo(1);

    Cli.Result status = onDroplet("status", "--json");
    JsonNode doc = JSON.readTree(status.out());
    assertThat(doc.path("target").path("host").asText()).isEqualTo(address);
    assertThat(doc.path("target").path("from").asText()).isEqualTo("--host");
    assertThat(doc.path("live").isNull()).isTrue();
  }

  @Test
  void anUnknownHostKeyIsRefusedAndAcceptNewHostKeyTrustsItOnce() throws Exception {
    Path knownHosts = droplet.folder().resolve("empty_known_hosts");
    Files.writeString(knownHosts, "");
    List<String> args = new ArrayList<>(List.of("--host", address, "-f", file.toString()));
    args.addAll(keys(knownHosts, "status"));

    Cli.Result refused = run(Map.of(), args);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
    String error = refused.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElseThrow();
    assertThat(error).contains("Host key of [127.0.0.1]:" + droplet.port() + " is not known")
        .contains("--accept-new-host-key").contains("SHA256:");
    assertThat(refused.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(Files.readString(knownHosts)).as("nothing added unasked").isEmpty();
    Matcher line = LINE_TO_ADD.matcher(error);
    assertThat(line.find()).as(error).isTrue();
    String type = line.group(1).split(" ")[1];
    String fingerprint = droplet.must("sh", "-c", "for f in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf $f; done")
        .output().lines().filter(l -> l.endsWith("(" + typeName(type) + ")")).findFirst().orElseThrow().split("\\s+")[1];
    assertThat(error).as("the presented key's type and SHA256 fingerprint").contains(type + " " + fingerprint);

    List<String> accepting = new ArrayList<>(args);
    accepting.add("--accept-new-host-key");
    Cli.Result accepted = run(Map.of(), accepting);
    assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
    assertThat(accepted.err()).as("the trusted key is said").contains("Trusted the new host key of [127.0.0.1]:"
        + droplet.port() + " (" + type + " " + fingerprint + ") and added it to " + knownHosts);
    assertThat(Files.readAllLines(knownHosts)).as("one line appended").hasSize(1)
        .first().asString().startsWith("[127.0.0.1]:" + droplet.port() + " " + type + " ");
    Cli.Result again = run(Map.of(), args);
    assertThat(again.exitCode()).as("the second run needs no flag: " + again).isZero();
    assertThat(Files.readAllLines(knownHosts)).hasSize(1);
  }

  private static String typeName(String keyType) {
    return switch (keyType) {
      case "ssh-ed25519" -> "ED25519";
      case "ssh-rsa" -> "RSA";
      default -> "ECDSA";
    };
  }

  @Test
  void dockerHostSshIsHonouredAndTheOptionBeatsItAndTheStackFile() throws Exception {
    Path naming = stackFile("cli-ssh", address);
    Path bogus = stackFile("cli-ssh-bogus", NOWHERE);

    Cli.Result byFile = run(Map.of(), withFile(naming, "status"));
    assertThat(byFile.exitCode()).as(byFile.toString()).isZero();
    assertThat(byFile.err()).contains("host " + address + " (from x-deploykit.host in " + naming + ")");

    Cli.Result byEnv = run(Map.of("DOCKER_HOST", address), withFile(bogus, "status"));
    assertThat(byEnv.exitCode()).as(byEnv.toString()).isZero();
    assertThat(byEnv.err()).contains("host " + address + " (from DOCKER_HOST)");

    List<String> flag = new ArrayList<>(List.of("--host", address));
    flag.addAll(withFile(bogus, "status", "--json"));
    Cli.Result byFlag = run(Map.of("DOCKER_HOST", NOWHERE), flag);
    assertThat(byFlag.exitCode()).as(byFlag.toString()).isZero();
    assertThat(byFlag.err()).contains("host " + address + " (from --host)");
    assertThat(JSON.readTree(byFlag.out()).path("target").path("from").asText()).isEqualTo("--host");

    Cli.Result unreachable = run(Map.of(), withFile(bogus, "status"));
    assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(4);
    assertThat(unreachable.err()).contains("(from x-deploykit.host in " + bogus + ")")
        .contains("127.0.0.1:1").doesNotContain("\tat ");
  }

  private List<String> withFile(Path stack, String... command) {
    List<String> args = new ArrayList<>(List.of("-f", stack.toString()));
    args.addAll(keys(droplet.knownHosts(), command));
    return args;
  }

  @Test
  void aBadAddressIsOneLineNamingWhereItCameFrom() throws Exception {
    Cli.Result flag = run(Map.of(), List.of("--host", "ssh://", "-f", file.toString(), "status"));
    assertThat(flag.exitCode()).isEqualTo(2);
    assertThat(flag.err().strip()).isEqualTo("error: --host: \"ssh://\" names no host; expected"
        + " ssh://[user@]host[:port], unix:///path/to/docker.sock or tcp://host:port");

    Cli.Result env = run(Map.of("DOCKER_HOST", "ssh://deploy@droplet:70000"), List.of("-f", file.toString(), "status"));
    assertThat(env.exitCode()).isEqualTo(2);
    assertThat(env.err()).startsWith("error: DOCKER_HOST: \"ssh://deploy@droplet:70000\" has a bad port 70000");

    Cli.Result scheme = run(Map.of(), List.of("--host", "http://droplet", "-f", file.toString(), "status"));
    assertThat(scheme.exitCode()).isEqualTo(2);
    assertThat(scheme.err()).contains("unknown scheme \"http\"");

    Path bad = stackFile("cli-ssh-bad", "ssh://deploy@");
    Cli.Result inFile = run(Map.of(), List.of("-f", bad.toString(), "status"));
    assertThat(inFile.exitCode()).isEqualTo(2);
    assertThat(inFile.err()).contains(bad + ":3: x-deploykit.host: \"ssh://deploy@\" names no host");
  }

  @Test
  void theKeyMayComeAsTextFromTheEnvironmentAndARefusedKeySaysSo() throws Exception {
    String key = Files.readString(droplet.userKey());
    List<String> args = List.of("--host", address, "--known-hosts", droplet.knownHosts().toString(),
        "-f", file.toString(), "status");
    Cli.Result fromEnv = run(Map.of("DEPLOYKIT_SSH_KEY", key), args);
    assertThat(fromEnv.exitCode()).as(fromEnv.toString()).isZero();

    Path stranger = droplet.folder().resolve("id_stranger");
    droplet.generateKey(stranger, null);
    Cli.Result refused = run(Map.of(), List.of("--host", address, "--identity", stranger.toString(),
        "--known-hosts", droplet.knownHosts().toString(), "-f", file.toString(), "status"));
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
    assertThat(refused.err()).contains("refused the key").contains("DEPLOYKIT_SSH_KEY").doesNotContain("\tat ");
    assertThat(refused.all()).doesNotContain(key.strip().lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void logsFollowOverSshPrintsUntilInterruptedAndLeavesNothingOnTheHost() throws Exception {
    droplet.loadImages(StandInImageSubstitutor.images().build(Recipes.BUSYBOX));
    droplet.must("docker", "run", "-d", "--name", StackNames.accessoryContainer("cli-ssh", "box"),
        "--label", StackNames.LABEL_STACK + "=cli-ssh", "--label", StackNames.LABEL_SERVICE + "=box",
        "--label", StackNames.LABEL_KIND + "=" + StackNames.KIND_ACCESSORY, "deploykit.local/busybox:trixie",
        "sh", "-c", "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done");
    Cli.Result tail = onDroplet("logs", "box", "-n", "2");
    assertThat(tail.exitCode()).as(tail.toString()).isZero();
    assertThat(tail.out().lines().filter(l -> l.startsWith("line ")).count()).isEqualTo(2);

    List<String> args = new ArrayList<>(List.of("--host", address, "--file", file.toString()));
    args.addAll(keys(droplet.knownHosts(), "logs", "box", "-f", "-n", "1"));
    Map<String, String> env = new java.util.HashMap<>(Map.of("DOCKER_HOST", ""));
    Process follow = Cli.start(env, args.toArray(String[]::new));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (Cli.outputSoFar(follow).split("line ", -1).length < 6 && System.nanoTime() < deadline && follow.isAlive()) {
      Thread.sleep(200);
    }
    assertThat(Cli.outputSoFar(follow).split("line ", -1).length).as(Cli.outputSoFar(follow)).isGreaterThanOrEqualTo(6);
    assertThat(droplet.processesOf(TestDroplet.USER)).as("the follow's SSH connection").anyMatch(p -> p.contains("sshd"));
    follow.destroy();
    Cli.Result ended = Cli.await(follow, Duration.ofSeconds(30));
    assertThat(ended.exitCode()).as("SIGTERM ends it as Ctrl-C does: " + ended).isEqualTo(130);
    assertThat(ended.err()).doesNotContain("\tat ");
    long gone = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (droplet.processesOf(TestDroplet.USER).stream().anyMatch(p -> p.contains("sshd")) && System.nanoTime() < gone) {
      Thread.sleep(200);
    }
    assertThat(droplet.processesOf(TestDroplet.USER)).as("no SSH session left on the host").noneMatch(p -> p.contains("sshd"));
    droplet.must("docker", "rm", "-f", StackNames.accessoryContainer("cli-ssh", "box"));
  }

  @Test
  void pruneAndDemoDownReachTheHostAndDemoItselfStaysLocal() throws Exception {
    Cli.Result prune = onDroplet("prune");
    assertThat(prune.exitCode()).as(prune.toString()).isZero();
    List<String> down = new ArrayList<>(List.of("--host", address));
    down.addAll(keys(droplet.knownHosts(), "demo", "--down"));
    Cli.Result demoDown = run(Map.of(), down);
    assertThat(demoDown.exitCode()).as(demoDown.toString()).isZero();
    assertThat(demoDown.out()).contains("from " + address);
    List<String> up = new ArrayList<>(List.of("--host", address));
    up.addAll(keys(droplet.knownHosts(), "demo"));
    Cli.Result demo = run(Map.of(), up);
    assertThat(demo.exitCode()).isEqualTo(2);
    assertThat(demo.err()).contains("a remote host takes demo --down only");
  }

  @Test
  void aSmallStackIsDeployedUpdatedAndRolledBackOverSsh() throws Exception {
    String[] images = {StandInImageSubstitutor.images().build(Recipes.HAPROXY_3_0),
        StandInImageSubstitutor.images().build(Recipes.DEBIAN_TRIXIE),
        StandInImageSubstitutor.images().build(Recipes.BUSYBOX)};
    long t0 = System.nanoTime();
    droplet.loadImages(images);
    System.out.printf("CliSshIT: %s moved to the droplet over SSH in %d ms%n", String.join(", ", images),
        (System.nanoTime() - t0) / 1_000_000);
    Path dir = Files.createDirectories(droplet.folder().resolve("web"));
    Path web = dir.resolve("compose.yaml");
    Files.writeString(web, """
        name: cli-ssh-web
        x-deploykit:
          proxy_port: 8088
          retain: 2
        services:
          web:
            image: deploykit.local/busybox:trixie
            command: [sh, -c, "mkdir -p /www && echo ${GREETING:-v1} > /www/up && exec httpd -f -p 8080 -h /www"]
            ports: ["8080"]
            stop_grace_period: 1s
            x-deploykit:
              role: web
              health_path: /up
              drain_timeout: 1s
              watch_window: 2s
        """);
    for (String version : List.of("v1", "v2")) {
      long t = System.nanoTime();
      Cli.Result deploy = run(Map.of("GREETING", version), deployArgs(web, "deploy", "--version", version));
      assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
      System.out.printf("CliSshIT: deploy %s over SSH, whole process: %d ms%n", version, (System.nanoTime() - t) / 1_000_000);
    }
    assertThat(droplet.must("docker", "exec", StackNames.proxyContainer("cli-ssh-web"), "true").exitCode()).isZero();
    Cli.Result rollback = run(Map.of(), deployArgs(web, "rollback"));
    assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
    Cli.Result releases = run(Map.of(), deployArgs(web, "releases", "--json"));
    assertThat(releases.exitCode()).as(releases.toString()).isZero();
    JsonNode history = JSON.readTree(releases.out()).path("releases");
    assertThat(history.size()).as(releases.out()).isGreaterThanOrEqualTo(2);
    Cli.Result health = run(Map.of(), deployArgs(web, "health"));
    assertThat(health.exitCode()).as(health.toString()).isZero();
  }

  private List<String> deployArgs(Path stack, String... command) {
    List<String> args = new ArrayList<>(List.of("--host", address, "-f", stack.toString()));
    args.addAll(keys(droplet.knownHosts(), command));
    if (command[0].equals("deploy") || command[0].equals("rollback")) {
      args.addAll(List.of("--images", "local"));
    }
    return args;
  }

  @Test
  void statusWallTimeOverSshAgainstTheLocalEngine() throws Exception {
    Path local = stackFile("cli-ssh-local", null);
    long[] remote = new long[5];
    long[] here = new long[5];
    long[] start = new long[5];
    for (int i = 0; i < remote.length; i++) {
      long t0 = System.nanoTime();
      assertThat(onDroplet("status").exitCode()).isZero();
      remote[i] = (System.nanoTime() - t0) / 1_000_000;
      long t1 = System.nanoTime();
      assertThat(run(Map.of(), List.of("-f", local.toString(), "status")).exitCode()).isZero();
      here[i] = (System.nanoTime() - t1) / 1_000_000;
      long t2 = System.nanoTime();
      assertThat(run(Map.of(), List.of("--version")).exitCode()).isZero();
      start[i] = (System.nanoTime() - t2) / 1_000_000;
    }
    System.out.printf("CliSshIT: deploykit status whole process, median of 5 [min-max]: over SSH %s ms,"
        + " local engine %s ms; deploykit --version (the JVM's start alone) %s ms; load average %s%n",
        median(remote), median(here), median(start), Files.readString(Path.of("/proc/loadavg")).strip());
  }

  private static String median(long[] millis) {
    long[] sorted = millis.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2] + " [" + sorted[0] + "-" + sorted[sorted.length - 1] + "]";
  }
}
