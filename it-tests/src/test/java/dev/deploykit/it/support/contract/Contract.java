package dev.deploykit.it.support.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRule;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRules;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A published OpenAPI contract that the cloud fakes are held to: DigitalOcean's v2 document and
 * RunPod's REST v2 document, read from {@code ../shared/contracts} beside the repository at test
 * time (the failsafe property {@code deploykit.contracts}; the documents are never copied into
 * the repository). Each document is loaded once per JVM and shared.
 *
 * <p>The validator settings are the ones {@code contracts/README.md} worked out: no
 * {@code additionalProperties: false} injected into object schemas (it breaks every
 * {@code allOf}), DigitalOcean's float-exactness check waived, RunPod's {@code requestUrls}
 * templates waived in responses. Everything else the documents say is enforced.
 *
 * <p>{@link #check} validates one exchange and counts it; a {@link ContractLedger} keeps what one
 * fake saw and prints its count.
 */
public final class Contract {
  /** The failsafe property naming the contracts folder. */
  public static final String FOLDER_PROPERTY = "deploykit.contracts";

  private static final Map<String, Contract> LOADED = new ConcurrentHashMap<>();

  private final String file;
  private final OpenApiInteractionValidator validator;
  private final AtomicLong pairs = new AtomicLong();
  private final AtomicLong violations = new AtomicLong();

  private Contract(String file, OpenApiInteractionValidator validator) {
    this.file = file;
    this.validator = validator;
  }

  /** DigitalOcean API v2 ({@code digitalocean-v2.yaml}). */
  public static Contract digitalOcean() {
    // The validator reads a path parameter whose schema is a oneOf/anyOf as JSON, so the string
    // branch of {ssh_key_identifier} (an MD5 fingerprint, unquoted in the path) cannot be checked;
    // waived for that path and that message only. An integer id is still checked.
    WhitelistRule fingerprintInPath = (message, operation, request, response) -> request != null
        && request.getPath().matches("/v2/account/keys/([0-9a-f]{2}:){15}[0-9a-f]{2}");
    WhitelistRule reservedIpAction = (message, operation, request, response) -> request != null
        && request.getPath().matches("/v2/reserved_ips/[0-9.]+/actions");
    return load("digitalocean-v2.yaml", () -> ValidationErrorsWhitelist.create()
        .withRule("DO examples: prices and utilisations are not exact floats",
            WhitelistRules.messageHasKey("validation.response.body.schema.format.float"))
        .withRule("DO: a key fingerprint in the path is not JSON (validator reads anyOf parameters as JSON)",
            WhitelistRules.allOf(WhitelistRules.messageHasKey("validation.request.parameter.schema.invalidJson"),
                fingerprintInPath))
        // The reserved IP action body is an anyOf whose discriminator maps to allOf schemas that
        // carry the same discriminator: the validator matches no branch, even for the spec's own
        // example {"type":"assign","droplet_id":758604968}. Waived for that path and message only.
        .withRule("DO: the reserved IP action's discriminator is not resolved by the validator",
            WhitelistRules.allOf(WhitelistRules.messageHasKey("validation.request.body.schema.discriminator.anyOf.no_match_found"),
                reservedIpAction)));
  }

  /** RunPod REST API v2 ({@code runpod-v2.json}); the invocation API has no published document. */
  public static Contract runPod() {
    WhitelistRule underRequestUrls = (message, operation, request, response) -> message.getContext()
        .flatMap(ValidationReport.MessageContext::getPointers)
        .map(pointers -> pointers.getInstance().matches(".*/requestUrls(/.*)?"))
        .orElse(false);
    return load("runpod-v2.json", () -> ValidationErrorsWhitelist.create()
        .withRule("RunPod: requestUrls hold {job_id} templates, not URIs",
            WhitelistRules.allOf(WhitelistRules.isResponse(), underRequestUrls)));
  }

  /**
   * The contracts folder, checked: a suite run without it must fail loudly, not skip the checks.
   */
  public static Path folder() {
    String configured = System.getProperty(FOLDER_PROPERTY, "../shared/contracts");
    Path folder = Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isDirectory(folder)) {
      throw new IllegalStateException("the published API contracts are missing: " + folder
          + " is not a folder (expected ../shared/contracts beside the repository, or -D"
          + FOLDER_PROPERTY + "=DIR)");
    }
    return folder;
  }

  private static Contract load(String file, Supplier<ValidationErrorsWhitelist> whitelist) {
    return LOADED.computeIfAbsent(file, name -> {
      Path document = folder().resolve(name);
      if (!Files.isRegularFile(document)) {
        throw new IllegalStateException("the published API contract " + document + " is missing");
      }
      OpenApiInteractionValidator validator = OpenApiInteractionValidator
          .createForSpecificationUrl(document.toUri().toString())
          .withLevelResolver(LevelResolver.create()
              .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
              .build())
          .withWhitelist(whitelist.get())
          .build();
      return new Contract(name, validator);
    });
  }

  /**
   * Validates one exchange against the document and counts it.
   *
   * @return the violations, one line each ({@code METHOD /path -> status: [key] message}); empty
   *     when the exchange keeps the contract
   */
  public List<String> check(Exchange exchange) {
    SimpleRequest.Builder request = new SimpleRequest.Builder(
        Request.Method.valueOf(exchange.method().toUpperCase(Locale.ROOT)), exchange.path());
    exchange.requestHeaders().forEach(request::withHeader);
    queryParameters(exchange.query()).forEach(request::withQueryParam);
    if (exchange.requestBody() != null && !exchange.requestBody().isEmpty()) {
      request.withBody(exchange.requestBody(), StandardCharsets.UTF_8);
    }
    SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
    exchange.responseHeaders().forEach(response::withHeader);
    if (exchange.responseBody() != null && !exchange.responseBody().isEmpty()) {
      response.withBody(exchange.responseBody(), StandardCharsets.UTF_8);
    }
    ValidationReport report = validator.validate(request.build(), response.build());
    List<String> broken = new ArrayList<>();
    for (ValidationReport.Message message : report.getMessages()) {
      if (message.getLevel() == ValidationReport.Level.ERROR) {
        broken.add(exchange.line() + ": [" + message.getKey() + "] " + message.getMessage());
      }
    }
    pairs.incrementAndGet();
    if (!broken.isEmpty()) {
      violations.incrementAndGet();
    }
    return List.copyOf(broken);
  }

  /** The document's file name, {@code digitalocean-v2.yaml}. */
  public String file() {
    return file;
  }

  /** Exchanges checked against this document in this JVM so far. */
  public long pairsChecked() {
    return pairs.get();
  }

  /** Exchanges that broke this document in this JVM so far. */
  public long pairsBroken() {
    return violations.get();
  }

  private static Map<String, List<String>> queryParameters(String query) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return parameters;
  }
}
