package dev.deploykit.cli;

import dev.deploykit.core.RegistrySettings;
import dev.deploykit.core.RunPodSettings;
import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.images.ImageSource;
import dev.deploykit.runpod.Endpoint;
import dev.deploykit.runpod.EndpointClient;
import dev.deploykit.runpod.EndpointHealth;
import dev.deploykit.runpod.EndpointSpec;
import dev.deploykit.runpod.EndpointWorkers;
import dev.deploykit.runpod.GgufFile;
import dev.deploykit.runpod.JobStatus;
import dev.deploykit.runpod.RunPodApi;
import dev.deploykit.runpod.RunPodException;
import dev.deploykit.runpod.Scaling;
import dev.deploykit.runpod.WorkerImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code deploykit runpod up|status|test|down}: the stack's LLM as a RunPod serverless endpoint,
 * from the stack file's {@code x-deploykit.runpod} (flags override it).
 */
@Command(name = "runpod", description = {
    "The stack's LLM on RunPod serverless: build, push, create, test, remove.",
    "up builds the Ollama + GGUF worker image, pushes it, creates (or updates) the template and the"
        + " endpoint, waits for a ready worker and sends a test prompt; status shows the endpoint,"
        + " its workers by state and its queue; test sends one prompt; down deletes the endpoint."
        + " Settings come from x-deploykit.runpod in the stack file; the API key from RUNPOD_API_KEY"
        + " (or the variable api_key_env names)."},
    subcommands = {RunPodCommand.Up.class, RunPodCommand.Status.class, RunPodCommand.Test.class,
        RunPodCommand.Down.class})
final class RunPodCommand extends CommandGroup {
  /** The management API's base, as runpod-python's variable names it. */
  static final String API_URL_VARIABLE = "RUNPOD_API_BASE_URL";
  /** The invocation API's base ({@code https://api.runpod.ai}). */
  static final String ENDPOINT_URL_VARIABLE = "RUNPOD_ENDPOINT_BASE_URL";

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
      description = "Show this help message and exit.")
  boolean help;

  @Option(scope = ScopeType.INHERIT, names = "--model", paramLabel = "FILE", description = "The GGUF model file (x-deploykit.runpod.model).")
  @Nullable Path model;

  @Option(scope = ScopeType.INHERIT, names = "--image", paramLabel = "REPOSITORY",
      description = "The worker image's repository, without a tag (x-deploykit.runpod.image).")
  @Nullable String image;

  @Option(scope = ScopeType.INHERIT, names = "--endpoint", paramLabel = "NAME", description = "The endpoint's name (default: STACK-llm).")
  @Nullable String endpoint;

  @Option(scope = ScopeType.INHERIT, names = "--gpu-pool", paramLabel = "POOL", description = "A GPU pool id, repeatable (ADA_24, ...).")
  @Nullable List<String> gpuPools;

  @Option(scope = ScopeType.INHERIT, names = "--workers-min", paramLabel = "N", description = "Always-on workers.")
  @Nullable Integer workersMin;

  @Option(scope = ScopeType.INHERIT, names = "--workers-max", paramLabel = "N", description = "The most workers.")
  @Nullable Integer workersMax;

  @Option(scope = ScopeType.INHERIT, names = "--idle-timeout", paramLabel = "SECONDS", description = "Seconds an idle worker stays.")
  @Nullable Integer idleTimeout;

  @Option(scope = ScopeType.INHERIT, names = "--api-url", paramLabel = "URL",
      description = "The management API (default: $" + API_URL_VARIABLE + ", else https://api.runpod.io).")
  @Nullable URI apiUrl;

  @Option(scope = ScopeType.INHERIT, names = "--endpoint-url", paramLabel = "URL",
      description = "The invocation API (default: $" + ENDPOINT_URL_VARIABLE + ", else https://api.runpod.ai).")
  @Nullable URI endpointUrl;

  @Override
  String missingCommand() {
    return "Missing command: deploykit runpod up, status, test \"PROMPT\" or down";
  }

  /** The stack's runpod settings with the flags on top. */
  Resolved resolve(boolean needImage) {
    RunPodSettings s = null;
    String stackName = "deploykit";
    if (Files.isRegularFile(root.stackFile())) {
      Stack stack = root.loadStack();
      s = stack.settings().runpod();
      stackName = stack.name();
    }
    Path m = model != null ? model : s == null ? null : s.model();
    String img = image != null ? image : s == null ? null : s.image();
    if (needImage && (m == null || img == null)) {
      throw UserError.badInput("deploykit runpod up needs a model file and an image repository: set"
          + " x-deploykit.runpod.model and .image in " + root.stackFile() + ", or give --model FILE"
          + " --image REPOSITORY");
    }
    String name = endpoint != null ? endpoint : s != null && s.endpoint() != null ? s.endpoint() : stackName + "-llm";
    String keyVariable = s == null ? RunPodSettings.DEFAULT_API_KEY_ENV : s.apiKeyEnv();
    String key = root.environment.apply(keyVariable);
    if (key == null || key.isBlank()) {
      throw UserError.badInput("The RunPod API key comes from the environment variable " + keyVariable
          + ", which is " + (key == null ? "not set" : "empty") + ": export it (a key from RunPod's"
          + " console, Settings > API Keys) and run again");
    }
    return new Resolved(s, m, img, name, key.strip(), url(apiUrl, API_URL_VARIABLE, RunPodApi.DEFAULT_BASE),
        url(endpointUrl, ENDPOINT_URL_VARIABLE, EndpointClient.DEFAULT_BASE));
  }

  private URI url(@Nullable URI flag, String variable, URI fallback) {
    if (flag != null) {
      return flag;
    }
    String v = root.environment.apply(variable);
    return v == null || v.isBlank() ? fallback : URI.create(v.strip());
  }

  record Resolved(@Nullable RunPodSettings settings, @Nullable Path model, @Nullable String image,
      String endpointName, String apiKey, URI apiUrl, URI endpointUrl) {
    @Override
    public String toString() {
      return "Resolved[" + endpointName + ", apiKey=***]";
    }
  }

  RunPodApi api(Resolved r, Console console) {
    return RunPodApi.builder(r.apiKey()).baseUrl(r.apiUrl()).notices(console::hint).build();
  }

  EndpointClient client(Resolved r, String endpointId, Console console) {
    return EndpointClient.builder(endpointId, r.apiKey()).baseUrl(r.endpointUrl()).notices(console::hint).build();
  }

  /** The GPU pools: the flags, else the stack file, else ADA_24. */
  List<String> gpuPools(Resolved r) {
    RunPodSettings s = r.settings();
    return gpuPools != null && !gpuPools.isEmpty() ? gpuPools : s == null ? List.of("ADA_24") : s.gpuPools();
  }

  EndpointSpec spec(Resolved r, String pushedImage, @Nullable String registryId, String modelName) {
    RunPodSettings s = r.settings();
    Map<String, String> env = new LinkedHashMap<>(s == null ? Map.of() : s.env());
    env.put("DEPLOYKIT_MODEL", modelName);
    int min = workersMin != null ? workersMin : s == null ? 0 : s.workersMin();
    int max = workersMax != null ? workersMax : s == null ? 3 : s.workersMax();
    int idle = idleTimeout != null ? idleTimeout : s == null ? 10 : (int) s.idleTimeout().toSeconds();
    List<String> pools = gpuPools(r);
    Scaling scaling = s == null ? Scaling.queueDelay(4) : s.scaler().equals(Scaling.REQUEST_COUNT)
        ? Scaling.requestCount((int) s.scalerValue()) : Scaling.queueDelay(s.scalerValue());
    try {
      return new EndpointSpec(r.endpointName(), pushedImage, registryId, env, pools,
          s == null ? 1 : s.gpuCount(), min, max, idle, scaling,
          s != null && s.flashboot() ? "FLASHBOOT" : "OFF", s == null ? 300_000 : s.timeout().toMillis());
    } catch (IllegalArgumentException e) {
      throw UserError.badInput("Bad RunPod setting: " + e.getMessage());
    }
  }

  static UserError failure(RunPodException e) {
    int code = switch (e.reason()) {
      case BAD_INPUT, REFUSED, NOT_FOUND -> ExitCodes.BAD_INPUT;
      case UNAUTHORIZED, UNREACHABLE, RATE_LIMITED, IMAGE -> ExitCodes.ENVIRONMENT;
      case INTERRUPTED -> ExitCodes.INTERRUPTED;
      case NOT_READY, JOB_FAILED, FAILED -> ExitCodes.FAILED;
    };
    return new UserError(code, e.getMessage(), e);
  }

  /** What status, test and down do with the management API. */
  @FunctionalInterface
  interface ApiCall {
    int run(Console console, Resolved r, RunPodApi api);
  }

  /**
   * Resolves the settings (no image needed), opens the management API for {@code call} and turns
   * a RunPod failure into the command's one line.
   */
  int withApi(ApiCall call) {
    Console console = root.console();
    Resolved r = resolve(false);
    try (RunPodApi api = api(r, console)) {
      return call.run(console, r, api);
    } catch (RunPodException e) {
      throw failure(e);
    }
  }

  static Endpoint find(RunPodApi api, String name) {
    return api.findEndpoint(name).orElseThrow(() -> UserError.badInput("RunPod has no endpoint named "
        + name + ": create it with deploykit runpod up (or name another with --endpoint)"));
  }

  /** Sends one prompt; prints the answer and its latency. */
  static Map<String, @Nullable Object> prompt(EndpointClient client, String prompt, Console console) {
    return prompt(client, prompt, console, Duration.ofMinutes(3), null);
  }

  static Map<String, @Nullable Object> prompt(EndpointClient client, String prompt, Console console,
      Duration deadline, java.util.function.@Nullable Supplier<RunPodException> notReady) {
    long t0 = System.nanoTime();
    JobStatus job = client.runSync(Map.of("prompt", prompt), deadline);
    if (!job.isFinal() && notReady != null) {
      try {
        client.cancel(job.id());
      } catch (RunPodException e) {
        // The job ends with the endpoint's TTL anyway.
      }
      throw failure(notReady.get());
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (job.status().equals("FAILED")) {
      throw new UserError(ExitCodes.FAILED, "The test prompt failed in the worker: " + job.error());
    }
    if (!job.isCompleted()) {
      throw new UserError(ExitCodes.FAILED, "The test prompt did not complete within "
          + deadline.toSeconds() + " s (job "
          + job.id() + " is " + job.status() + "): deploykit runpod status shows the workers");
    }
    String answer = job.output() == null ? "" : job.output().path("response").asText(job.output().toString());
    // A model's text may hold control characters: never sent raw to a terminal.
    console.line("answer: " + answer.strip().replaceAll("\\R", " ").replaceAll("\\p{Cntrl}", "\uFFFD"));
    console.line(String.format(Locale.ROOT, "latency: %d ms (queue %d ms, worker %d ms, worker %s)", ms,
        job.delayMillis(), job.executionMillis(), job.workerId()));
    return Json.object("answer", answer, "latencyMs", ms, "delayMs", job.delayMillis(),
        "executionMs", job.executionMillis(), "workerId", job.workerId(), "jobId", job.id());
  }

  @Command(name = "up", description = {
      "Build and push the worker image, create or update the endpoint, wait for a worker, test it.",
      "Checks the model is GGUF, builds the Ollama + GGUF + worker image (tagged by its content),"
          + " pushes it to x-deploykit.runpod.registry, creates (or patches: never a second one) the"
          + " template and the endpoint, waits for a ready worker, sends a test prompt and prints the"
          + " answer and its latency."})
  static final class Up implements Callable<Integer> {
    @ParentCommand RunPodCommand runpod;

    @Option(names = "--images", paramLabel = "SOURCE", defaultValue = "auto",
        description = "The Ollama and Java runtime images where they cannot be pulled: auto (the stand-in), official, local.")
    ImageSource images = ImageSource.AUTO;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "600",
        description = "How long to wait for a ready worker. Default: ${DEFAULT-VALUE}.")
    int readyTimeout;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "Say OK",
        description = "The test prompt. Default: ${DEFAULT-VALUE}.")
    String prompt;

    @Override
    public Integer call() {
      Console console = runpod.root.console();
      Resolved r = runpod.resolve(true);
      try {
        GgufFile.check(r.model());
        RunPodSettings s = r.settings();
        WorkerImage.Builder builder = WorkerImage.builder(r.model(), r.image());
        if (s != null && s.modelName() != null) {
          builder.modelName(s.modelName());
        }
        RegistryAuth auth = null;
        RegistrySettings registry = s == null ? null : s.registry();
        if (registry != null) {
          auth = registry.credentials(runpod.root.environment::apply);
        }
        Map<String, @Nullable Object> doc = new LinkedHashMap<>();
        try (DockerHost host = runpod.root.connect(); RunPodApi api = runpod.api(r, console)) {
          // Before anything is built, pushed or registered: a pool RunPod does not know changes nothing.
          api.checkGpuPools(runpod.gpuPools(r));
          StackImages resolver = new StackImages(host, images, console);
          builder.baseImage(resolver.resolve(WorkerImage.DEFAULT_BASE_IMAGE))
              .javaImage(resolver.resolve(WorkerImage.DEFAULT_JAVA_IMAGE));
          WorkerImage image = builder.build();
          WorkerImage.Built built;
          try (Console.Progress p = console.progress("image " + r.image() + " (build)")) {
            built = image.build(host);
          }
          console.step("image " + built.reference() + (built.reused() ? " (unchanged, not rebuilt)"
              : String.format(Locale.ROOT, " built in %.1f s", built.buildTime().toMillis() / 1000.0))
              + String.format(Locale.ROOT, ", %.0f MB", built.sizeBytes() / 1e6));
          long t0 = System.nanoTime();
          String digest;
          try (Console.Progress p = console.progress("push " + built.reference())) {
            digest = WorkerImage.push(host, built, auth, Duration.ofMinutes(30));
          }
          console.step(String.format(Locale.ROOT, "pushed %s in %.1f s", digest, (System.nanoTime() - t0) / 1e9));
          String registryId = null;
          if (auth != null) {
            registryId = api.ensureRegistry("deploykit-" + auth.server().replaceAll("[^A-Za-z0-9]", "-")
                + "-" + auth.user(), auth.user(), auth.password()).id();
          }
          EndpointSpec spec = runpod.spec(r, built.reference(), registryId, image.modelName());
          RunPodApi.Ensured ensured = api.ensureEndpoint(spec);
          Endpoint e = ensured.endpoint();
          console.step("endpoint " + e.name() + " (" + e.id() + ") " + (ensured.created() ? "created" : "updated")
              + ": workers " + spec.workersMin() + ".." + spec.workersMax() + ", idle " + spec.idleTimeoutSeconds()
              + " s, " + spec.scaling().type().toLowerCase(Locale.ROOT) + " " + spec.scaling().value()
              + ", GPU pools " + String.join(",", spec.gpuPools()));
          Duration deadline = Duration.ofSeconds(readyTimeout);
          if (spec.workersMin() > 0) {
            EndpointWorkers ready;
            try (Console.Progress p = console.progress("waiting for a ready worker")) {
              ready = api.awaitReadyWorker(e.id(), deadline, w -> console.step("workers: " + w));
            }
            console.step("ready: " + ready.describe());
          } else {
            console.step("workers min is 0: the test prompt starts a worker (a cold start)");
          }
          try (EndpointClient client = runpod.client(r, e.id(), console);
              Console.Progress p = console.progress("test prompt")) {
            doc.putAll(prompt(client, prompt, console, deadline, () -> api.notReady(e.id(), deadline)));
          }
          console.line("OLLAMA_HOST for the app: " + r.endpointUrl().toString().replaceAll("/+$", "")
              + "/v2/" + e.id() + "/openai/v1 (OpenAI API, the RunPod key as its key)");
          doc.put("endpointId", e.id());
          doc.put("endpoint", e.name());
          doc.put("created", ensured.created());
          doc.put("image", built.reference());
          doc.put("digest", digest);
        }
        if (console.json()) {
          Map<String, @Nullable Object> out = Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok");
          out.putAll(doc);
          console.json(Json.write(out));
        }
        return ExitCodes.OK;
      } catch (RunPodException e) {
        throw failure(e);
      }
    }
  }

  @Command(name = "status", description = {"The endpoint, its workers by state and its queue.",
      "Shows the endpoint's settings, each worker's state (and why one is not ready: its last log"
          + " lines), and the queue from /health. Exit 1 when a worker is unhealthy and none is"
          + " ready, or jobs wait with no worker."})
  static final class Status implements Callable<Integer> {
    @ParentCommand RunPodCommand runpod;

    @Override
    public Integer call() {
      return runpod.withApi((console, r, api) -> {
        Endpoint e = find(api, r.endpointName());
        EndpointWorkers workers = api.workers(e.id());
        EndpointHealth health;
        try (EndpointClient client = runpod.client(r, e.id(), console)) {
          health = client.health();
        }
        List<Map<String, @Nullable Object>> ws = new ArrayList<>();
        console.line("endpoint " + e.name() + " (" + e.id() + "): image " + e.image());
        console.line("  workers " + e.workersMin() + ".." + e.workersMax() + ", idle "
            + e.idleTimeoutSeconds() + " s, scaling " + (e.scaling() == null ? "?" : e.scaling().type()
            + " " + e.scaling().value()) + ", GPU pools " + String.join(",", e.gpuPools()));
        console.line("  workers now: " + workers.describe());
        for (EndpointWorkers.Worker w : workers.workers()) {
          List<String> logs = w.status().equals("IDLE") || w.status().equals("RUNNING")
              ? List.of() : api.workerLogs(e.id(), w.id(), 5);
          console.line("    " + w.id() + " " + w.status() + (w.stale() ? " (stale)" : "")
              + (logs.isEmpty() ? "" : ": " + String.join(" | ", logs)));
          ws.add(Json.object("id", w.id(), "status", w.status(), "stale", w.stale(), "image", w.image(),
              "lastLogLines", logs));
        }
        console.line("  queue: " + health.jobs("inQueue") + " queued, " + health.jobs("inProgress")
            + " in progress, " + health.jobs("completed") + " completed, " + health.jobs("failed") + " failed");
        // No worker at all is how an idle endpoint with workers min 0 looks: healthy. Unhealthy
        // workers, or jobs waiting with no worker to take them, are not.
        int unhealthy = workers.summary().getOrDefault("unhealthy", 0);
        boolean ready = workers.ready() > 0
            || (unhealthy == 0 && (health.jobs("inQueue") == 0 || workers.summary().getOrDefault("initializing", 0) > 0));
        if (!ready) {
          console.line("  no healthy worker" + (unhealthy > 0
              ? ": the unhealthy workers' last log lines say why" : " while jobs wait in the queue"));
        }
        int code = ready ? ExitCodes.OK : ExitCodes.NOT_DEPLOYED;
        if (console.json()) {
          console.json(Json.write(Json.object("ok", ready, "exitCode", code, "status", ready ? "ok" : "no_healthy_worker",
              "endpointId", e.id(), "endpoint", e.name(), "image", e.image(), "workers", ws,
              "summary", workers.summary(), "jobs", health.jobs())));
        }
        return code;
      });
    }
  }

  @Command(name = "test", description = {"Send one prompt to the endpoint; print the answer and its latency."})
  static final class Test implements Callable<Integer> {
    @ParentCommand RunPodCommand runpod;

    @Parameters(paramLabel = "PROMPT", defaultValue = "Say OK", description = "The prompt.")
    String prompt;

    @Override
    public Integer call() {
      return runpod.withApi((console, r, api) -> {
        Endpoint e = find(api, r.endpointName());
        try (EndpointClient client = runpod.client(r, e.id(), console)) {
          Map<String, @Nullable Object> doc = prompt(client, prompt, console);
          if (console.json()) {
            Map<String, @Nullable Object> out = Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
                "endpointId", e.id());
            out.putAll(doc);
            console.json(Json.write(out));
          }
        }
        return ExitCodes.OK;
      });
    }
  }

  @Command(name = "down", description = {"Delete the endpoint (and its template); its jobs are cancelled."})
  static final class Down implements Callable<Integer> {
    @ParentCommand RunPodCommand runpod;

    @Override
    public Integer call() {
      return runpod.withApi((console, r, api) -> {
        Optional<Endpoint> e = api.findEndpoint(r.endpointName());
        if (e.isEmpty()) {
          console.line("RunPod has no endpoint named " + r.endpointName() + ": nothing to do");
        } else {
          api.deleteEndpoint(e.get().id());
          console.line("endpoint " + r.endpointName() + " (" + e.get().id() + ") deleted");
        }
        if (console.json()) {
          console.json(Json.write(Json.object("ok", true, "exitCode", ExitCodes.OK, "status", "ok",
              "endpoint", r.endpointName(), "deleted", e.isPresent())));
        }
        return ExitCodes.OK;
      });
    }
  }
}
