package dev.deploykit.it.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AuthConfig;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.SlackWebhookFake;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.it.support.TestDroplet;
import dev.deploykit.it.support.TestRegistry;
import dev.deploykit.it.support.runpod.FakeRunPod;
import dev.deploykit.llm.TinyModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.testcontainers.DockerClientFactory;

/**
 * The deploy workflow proven, not only validated: the {@code run:} steps of
 * {@code .github/workflows/deploy.yml}'s deploy and rollback jobs run here with bash as a runner
 * runs them ({@code bash --noprofile --norc -eo pipefail}), with the same variable names, the
 * secrets supplied by the test, the built {@code deploykit} on PATH, against a test droplet over
 * SSH, the RunPod fake (its management API checked against the published contract, its workers real
 * containers of the pushed image) with a real registry, and a Slack webhook fake. A step whose {@code if:} is {@code success()} or
 * {@code failure()} runs when that holds; {@code setup-cli} (the Maven build of the command) is
 * the one step left out, since the suite has built it already.
 *
 * <p>The same droplet then runs every command block that the documents mark as tested
 * ({@code <!-- tested: local -->} or {@code <!-- tested: droplet -->} on the line before a
 * {@code ```bash} fence), so that a documented command that no longer works fails the build.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class DeployWorkflowIT {
  static final Path ROOT = Path.of(System.getProperty("deploykit.repository.root",
      Path.of("..").toAbsolutePath().normalize().toString())).toAbsolutePath().normalize();
  private static final Path WORKFLOW = ROOT.resolve(".github/workflows/deploy.yml");
  private static final List<Path> DOCUMENTS = List.of(ROOT.resolve("docs/DEPLOYMENT_GUIDE.md"),
      ROOT.resolve("docs/SECRETS_MANAGEMENT.md"), ROOT.resolve("docs/DATABASE_MANAGEMENT.md"), ROOT.resolve("README.md"));
  private static final Pattern TESTED_BLOCK = Pattern.compile(
      "<!-- tested: (local|droplet) -->\\n([ ]*)```bash\\n(.*?)\\n[ ]*```", Pattern.DOTALL);
  private static final int PROXY_PORT = 8090;
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ENDPOINT = "workflow-llm";

  private TestDroplet droplet;
  private SlackWebhookFake slack;
  private TestRegistry registry;
  private FakeRunPod runPod;
  private Path work;
  private Path stackFile;

  /** One step of a job, as the workflow writes it. */
  record Step(String id, String condition, String script, Map<String, String> env) {}

  /** How a job's run went: the steps that ran and their outcome, with what each printed. */
  record JobRun(Map<String, Integer> exitCodes, Map<String, String> outputs, Map<String, Long> millis,
      Path runnerTemp) {
    boolean succeeded() {
      return exitCodes.values().stream().allMatch(c -> c == 0);
    }

    /** The whole log, step by step. */
    String output() {
      StringBuilder s = new StringBuilder();
      outputs.forEach((id, out) -> s.append("--- step ").append(id).append(" exit ").append(exitCodes.get(id))
          .append('\n').append(out));
      return s.toString();
    }

    /** What one step printed (empty when it did not run). */
    String output(String step) {
      return outputs.getOrDefault(step, "");
    }
  }

  @BeforeAll
  void start() throws Exception {
    // The RunPod side starts beside the droplet, whose boot is mostly waiting.
    ExecutorService side = Executors.newSingleThreadExecutor();
    Future<?> runPodSide = side.submit(() -> {
      registry = TestRegistry.start();
      runPod = FakeRunPod.start();
      seedRegistry();
      return null;
    });
    try {
      startDroplet();
    } catch (Exception | Error e) {
      try {
        runPodSide.get(5, TimeUnit.MINUTES); // so that stop() finds what it has to remove
      } catch (Exception late) {
        e.addSuppressed(late);
      }
      throw e;
    } finally {
      side.shutdown();
    }
    runPodSide.get(5, TimeUnit.MINUTES);
    TinyModel.DEFAULT.withSeed(16).writeTo(stackFile.getParent().resolve("tiny.gguf"));
    writeStackFile();
  }

  /**
   * Gives the registry the Ollama base image's layers, as a registry that served earlier deploys
   * holds them: the RunPod step still builds and pushes its own layers (the model, the worker and
   * its runtime) and mounts the base's instead of sending 600 MB again. Same tags, same stand-in as
   * {@code runpod up --images auto} resolves.
   */
  private void seedRegistry() throws InterruptedException {
    DockerClient docker = DockerClientFactory.instance().client();
    String base = StandInImageSubstitutor.images().build(Recipes.OLLAMA);
    String repository = registry.server() + "/llm/workflow-base";
    docker.tagImageCmd(base, repository, "seed").exec();
    docker.pushImageCmd(repository).withTag("seed").withAuthConfig(new AuthConfig()
        .withRegistryAddress(registry.server()).withUsername(TestRegistry.USER).withPassword(registry.password()))
        .start().awaitCompletion(5, TimeUnit.MINUTES);
  }

  private void startDroplet() throws Exception {
    droplet = TestDroplet.start(PROXY_PORT);
    slack = new SlackWebhookFake("workflow-secret-path");
    droplet.loadImages(StandInImageSubstitutor.images().build(Recipes.HAPROXY_3_0),
        StandInImageSubstitutor.images().build(Recipes.DEBIAN_TRIXIE),
        StandInImageSubstitutor.images().build(Recipes.BUSYBOX));
    work = Files.createDirectories(droplet.folder().resolve("workflow"));
    Path stackDir = Files.createDirectories(work.resolve("stack"));
    stackFile = stackDir.resolve("compose.yaml");
  }

  private void writeStackFile() throws Exception {
    Files.writeString(stackFile, """
        name: workflow-web
        x-deploykit:
          proxy_port: %d
          retain: 3
          runpod:
            model: ./tiny.gguf
            image: %s/llm/workflow-tiny
            registry:
              server: %s
              user: %s
              password_env: REGISTRY_PASSWORD
            endpoint: %s
            gpu_pools: [ADA_24]
            workers: {min: 0, max: 1, idle_timeout: 60s}
        services:
          web:
            image: deploykit.local/busybox:trixie
            command: [sh, -c, "mkdir -p /www && echo ${GREETING:?set GREETING} > /www/up && exec httpd -f -p 8080 -h /www"]
            ports: ["8080"]
            stop_grace_period: 1s
            x-deploykit:
              role: web
              health_path: /up
              drain_timeout: 1s
              watch_window: 2s
        """.formatted(PROXY_PORT, registry.server(), registry.server(), TestRegistry.USER, ENDPOINT));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      FakeRunPod.closeWithRegistry(runPod, registry);
    } finally {
      if (slack != null) {
        slack.close();
      }
      if (droplet != null) {
        droplet.close();
      }
    }
  }

  /**
   * Where RunPod is on this machine: the fake's two APIs. The workflow names no such variable (on
   * GitHub deploykit's defaults, api.runpod.io and api.runpod.ai, are right), so they come as the
   * runner's own environment, as a self-hosted runner's would, not as one of the workflow's.
   */
  private Map<String, String> runPodLocation() {
    return Map.of("RUNPOD_API_BASE_URL", runPod.managementUrl().toString(),
        "RUNPOD_ENDPOINT_BASE_URL", runPod.invocationUrl().toString());
  }

  /** The variables the workflow's env blocks name, with the values a GitHub environment would hold. */
  private Map<String, String> secrets(String version, String productionEnv) throws Exception {
    Map<String, String> s = new HashMap<>();
    s.put("ENVIRONMENT", "staging");
    s.put("VERSION", version);
    s.put("STACK_FILE", stackFile.toString());
    s.put("DEPLOY_HOST", "127.0.0.1");
    s.put("DEPLOY_PORT", String.valueOf(droplet.port()));
    s.put("DEPLOY_USER", TestDroplet.USER);
    s.put("DEPLOY_OPTIONS", "--images local"); // no registry here: the stand-ins already on the droplet
    s.put("DEPLOYKIT_SSH_KEY", Files.readString(droplet.userKey()));
    s.put("DEPLOY_KNOWN_HOSTS", droplet.knownHostsLine());
    s.put("SLACK_WEBHOOK_URL", slack.url().toString());
    s.put("NO_COLOR", "1");
    s.put("PRODUCTION_ENV", productionEnv);
    s.put("RUNPOD_API_KEY", runPod.apiKey());
    s.put("REGISTRY_PASSWORD", registry.password());
    return s;
  }

  @Test
  @Order(1)
  void theDeployJobDeploysChecksHealthAndTellsSlackThenTheRollbackJobRollsBack() throws Exception {
    long t0 = System.nanoTime();
    JobRun v1 = runJob("deploy", secrets("v1", "GREETING=hello-v1"), Map.of());
    assertThat(v1.succeeded()).as(v1.output()).isTrue();
    assertThat(v1.exitCodes().keySet()).containsExactly("known-hosts", "env-file", "deploy", "runpod",
        "health", "notify-success");
    JsonNode health = JSON.readTree(Files.readString(v1.runnerTemp().resolve("health.json")));
    assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("pass");
    assertThat(health.path("checks").has("runpod:" + ENDPOINT)).as(health.toString()).isTrue();
    assertThat(served()).isEqualTo("hello-v1");
    // The RunPod step really ran: image built and pushed, the endpoint made, the test prompt answered.
    assertThat(v1.output("runpod")).as(v1.output()).contains("created", "answer: ", "latency: ")
        .doesNotContain("No RUNPOD_API_KEY");
    assertThat(runPod.endpointsNamed(ENDPOINT)).isEqualTo(1);
    assertThat(slack.texts()).containsExactly("deploykit: v1 is live on staging (127.0.0.1)");
    System.out.printf("DeployWorkflowIT: deploy job v1 in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    JobRun v2 = runJob("deploy", secrets("v2", "GREETING=hello-v2"), Map.of());
    assertThat(v2.succeeded()).as(v2.output()).isTrue();
    assertThat(served()).isEqualTo("hello-v2");
    assertThat(v2.output("runpod")).as(v2.output()).contains("unchanged, not rebuilt", "updated", "answer: ");
    assertThat(runPod.endpointsNamed(ENDPOINT)).as("a second deploy updates the endpoint").isEqualTo(1);
    for (JobRun run : List.of(v1, v2)) {
      System.out.printf("DeployWorkflowIT: runpod step in %d ms: %s%n", run.millis().get("runpod"),
          run.output("runpod").lines().filter(l -> l.matches(".*(image .*(built|rebuilt)|pushed|endpoint .*(created|updated)|latency).*"))
              .map(String::strip).collect(java.util.stream.Collectors.joining("; ")));
    }

    long t1 = System.nanoTime();
    JobRun rollback = runJob("rollback", secrets("", ""), Map.of("OUTCOME", "success"));
    assertThat(rollback.succeeded()).as(rollback.output()).isTrue();
    assertThat(rollback.exitCodes().keySet()).containsExactly("known-hosts", "rollback", "notify");
    assertThat(served()).isEqualTo("hello-v1");
    assertThat(slack.texts()).last().isEqualTo("deploykit: rollback on staging (127.0.0.1): success");
    System.out.printf("DeployWorkflowIT: rollback job in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
    for (String secret : List.of(Files.readString(droplet.userKey()).strip(), "hello-v2", runPod.apiKey(),
        registry.password())) {
      assertThat(v1.output() + v2.output() + rollback.output()).as("no secret in the log")
          .doesNotContain(secret.lines().skip(1).findFirst().orElse(secret));
    }
  }

  @Test
  @Order(2)
  void aBrokenStepFailsTheJobSkipsTheRestAndSlackHearsOfIt() throws Exception {
    int before = slack.texts().size();
    // The environment file lacks GREETING, which the stack requires: the check step fails.
    JobRun broken = runJob("deploy", secrets("v3", "GRETING=typo"), Map.of());
    assertThat(broken.succeeded()).isFalse();
    assertThat(broken.exitCodes()).containsEntry("env-file", 2).doesNotContainKeys("deploy", "health", "notify-success");
    assertThat(broken.exitCodes()).containsEntry("notify-failure", 0);
    assertThat(broken.output()).contains("missing  GREETING", "unknown  GRETING");
    assertThat(slack.texts()).hasSize(before + 1).last().asString()
        .isEqualTo("deploykit: deploying v3 to staging (127.0.0.1) FAILED; see the run's log");
    assertThat(served()).as("the live release is untouched").isEqualTo("hello-v1");

    // And a deploy step that breaks (here: a host key that is not the droplet's) fails the job too.
    Map<String, String> wrongKey = secrets("v3", "GREETING=hello-v3");
    wrongKey.put("DEPLOY_KNOWN_HOSTS", "[127.0.0.1]:" + droplet.port()
        + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHKHhJqZZqfgjkIXvtjv5wD04LWS7Gm76rs8yN2EwUnG");
    JobRun refused = runJob("deploy", wrongKey, Map.of());
    assertThat(refused.exitCodes()).containsKey("deploy").containsEntry("notify-failure", 0);
    assertThat(refused.exitCodes().get("deploy")).isNotZero();
    assertThat(served()).isEqualTo("hello-v1");
  }

  @Test
  @Order(3)
  void aRunPodStepThatFailsFailsTheJobSkipsTheRestAndSlackHearsOfIt() throws Exception {
    int before = slack.texts().size();
    int templates = runPod.templateCount();
    String wrongKey = "rpa_NOT_THE_WORKFLOW_KEY";
    Map<String, String> secrets = secrets("v4", "GREETING=hello-v4");
    secrets.put("RUNPOD_API_KEY", wrongKey);
    JobRun refused = runJob("deploy", secrets, Map.of());
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.exitCodes()).as(refused.output()).containsEntry("deploy", 0).containsEntry("runpod", 4)
        .doesNotContainKeys("health", "notify-success").containsEntry("notify-failure", 0);
    assertThat(refused.output("runpod")).contains("refused the API key");
    assertThat(refused.output()).doesNotContain(wrongKey).doesNotContain(runPod.apiKey());
    assertThat(slack.texts()).hasSize(before + 1).last().asString()
        .isEqualTo("deploykit: deploying v4 to staging (127.0.0.1) FAILED; see the run's log");
    assertThat(runPod.endpointsNamed(ENDPOINT)).as("the endpoint is untouched").isEqualTo(1);
    assertThat(runPod.templateCount()).isEqualTo(templates);
    // The web release the deploy step made stands: the step that failed came after it.
    assertThat(served()).isEqualTo("hello-v4");
  }

  @Test
  @Order(4)
  void everyTestedBlockOfTheDocumentsRuns() throws Exception {
    List<String[]> blocks = new ArrayList<>();
    for (Path doc : DOCUMENTS) {
      long marks = Pattern.compile("<!-- tested: (local|droplet) -->").matcher(Files.readString(doc)).results().count();
      assertThat(TESTED_BLOCK.matcher(Files.readString(doc)).results().count())
          .as("every tested mark in %s is followed by a ```bash block", doc).isEqualTo(marks);
      Matcher m = TESTED_BLOCK.matcher(Files.readString(doc));
      while (m.find()) {
        String indent = m.group(2);
        String body = m.group(3).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
            .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        blocks.add(new String[] {doc.getFileName() + ":" + lineOf(Files.readString(doc), m.start()), m.group(1), body});
      }
    }
    assertThat(blocks).as("tested blocks in the documents").isNotEmpty();
    Path home = Files.createDirectories(work.resolve("home/.ssh")).getParent();
    Files.writeString(home.resolve(".ssh/known_hosts"), droplet.knownHostsLine() + "\n");
    long t0 = System.nanoTime();
    for (String[] block : blocks) {
      Path dir = block[1].equals("droplet") ? stackFile.getParent() : localFolder();
      Map<String, String> env = baseEnv(home);
      // Java takes ~ from the passwd entry, not HOME: the test's home holds the droplet's known_hosts line.
      env.put("DEPLOYKIT_JAVA_OPTS", "-Duser.home=" + home);
      if (block[1].equals("droplet")) {
        env.put("DOCKER_HOST", "ssh://" + TestDroplet.USER + "@127.0.0.1:" + droplet.port());
        env.put("DEPLOYKIT_SSH_KEY", Files.readString(droplet.userKey()));
        // The stack has an x-deploykit.runpod block: its health includes the endpoint, read with
        // the key an operator exports (SECRETS_MANAGEMENT.md).
        env.put("RUNPOD_API_KEY", runPod.apiKey());
        env.putAll(runPodLocation());
      }
      Map.Entry<Integer, String> r = bash(block[2], env, dir);
      assertThat(r.getKey()).as("the tested block at %s (%s) fails:%n%s%n--- output%n%s", block[0], block[1],
          block[2], r.getValue()).isZero();
    }
    System.out.printf("DeployWorkflowIT: %d tested document blocks (%d local, %d droplet) ran in %d ms%n",
        blocks.size(), blocks.stream().filter(b -> b[1].equals("local")).count(),
        blocks.stream().filter(b -> b[1].equals("droplet")).count(), (System.nanoTime() - t0) / 1_000_000);
  }

  /** A fresh folder as an operator's checkout would look: the sample stack and the env template. */
  private Path localFolder() throws Exception {
    Path dir = Files.createTempDirectory(work, "local-");
    Files.createSymbolicLink(dir.resolve("examples"), ROOT.resolve("examples"));
    Files.copy(ROOT.resolve(".env.production.example"), dir.resolve(".env.production.example"));
    return dir;
  }

  private static int lineOf(String text, int offset) {
    return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
  }

  private String served() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + droplet.publishedPort(PROXY_PORT) + "/up"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return r.body().strip();
  }

  /** Runs a job's run: steps in order, as a runner would: a failed step skips the rest but failure() ones. */
  private JobRun runJob(String job, Map<String, String> secrets, Map<String, String> extra) throws Exception {
    Map<String, Object> jobNode = jobs().get(job);
    assertThat(jobNode).as("job " + job + " in " + WORKFLOW).isNotNull();
    Path runnerTemp = Files.createTempDirectory(work, "runner-");
    Map<String, String> values = new HashMap<>(secrets);
    values.putAll(extra);
    Map<String, Integer> codes = new LinkedHashMap<>();
    Map<String, String> outputs = new LinkedHashMap<>();
    Map<String, Long> millis = new LinkedHashMap<>();
    boolean failed = false;
    for (Step step : steps(jobNode)) {
      if (step.id().equals("setup-cli")) {
        continue;
      }
      boolean runs = switch (step.condition()) {
        case "", "success()" -> !failed;
        case "failure()" -> failed;
        case "always()" -> true;
        default -> throw new AssertionError("step " + step.id() + ": condition " + step.condition()
            + " is not one this test knows how to judge");
      };
      if (!runs) {
        continue;
      }
      Map<String, String> env = baseEnv(work.resolve("home"));
      env.put("RUNNER_TEMP", runnerTemp.toString());
      env.put("GITHUB_WORKSPACE", ROOT.toString());
      env.putAll(runPodLocation());
      for (String name : step.env().keySet()) {
        assertThat(values).as("the test supplies %s, which step %s of job %s reads", name, step.id(), job)
            .containsKey(name);
        env.put(name, values.get(name));
      }
      long t0 = System.nanoTime();
      Map.Entry<Integer, String> r = bash(step.script(), env, ROOT);
      millis.put(step.id(), (System.nanoTime() - t0) / 1_000_000);
      codes.put(step.id(), r.getKey());
      outputs.put(step.id(), r.getValue());
      failed |= r.getKey() != 0;
    }
    return new JobRun(codes, outputs, millis, runnerTemp);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> jobs() throws Exception {
    Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(WORKFLOW));
    return (Map<String, Map<String, Object>>) doc.get("jobs");
  }

  /** The job's run: steps, each with the job's env and its own (names only: the values are GitHub's). */
  @SuppressWarnings("unchecked")
  static List<Step> steps(Map<String, Object> job) {
    Map<String, Object> jobEnv = (Map<String, Object>) job.getOrDefault("env", Map.of());
    List<Step> steps = new ArrayList<>();
    for (Map<String, Object> s : (List<Map<String, Object>>) job.get("steps")) {
      if (!s.containsKey("run")) {
        continue;
      }
      String script = (String) s.get("run");
      String id = String.valueOf(s.get("id"));
      assertThat(script).as("step %s reads only environment variables, no ${{ }} expression", id).doesNotContain("${{");
      Map<String, String> env = new LinkedHashMap<>();
      jobEnv.keySet().forEach(k -> env.put(k, ""));
      ((Map<String, Object>) s.getOrDefault("env", Map.of())).keySet().forEach(k -> env.put(k, ""));
      steps.add(new Step(id, String.valueOf(s.getOrDefault("if", "")).strip(), script, env));
    }
    return steps;
  }

  private static Map<String, String> baseEnv(Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", ROOT + ":" + System.getenv("PATH"));
    env.put("HOME", home.toString());
    env.put("NO_COLOR", "1");
    for (String keep : List.of("JAVA_HOME", "TESTCONTAINERS_HOST_OVERRIDE", "LANG")) {
      if (System.getenv(keep) != null) {
        env.put(keep, System.getenv(keep));
      }
    }
    return env;
  }

  /** Runs a script as a GitHub runner runs a run: step; stdout and stderr together. */
  private static Map.Entry<Integer, String> bash(String script, Map<String, String> env, Path dir) throws Exception {
    Path file = Files.createTempFile("step-", ".sh");
    Path log = Files.createTempFile("step-", ".log");
    try {
      Files.writeString(file, script);
      ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", file.toString())
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("a step did not finish within " + STEP_TIMEOUT + ":\n" + script
            + "\n--- output\n" + Files.readString(log));
      }
      return Map.entry(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(log);
    }
  }

}
