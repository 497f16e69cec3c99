package dev.deploykit.it.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.it.support.contract.Contract;
import dev.deploykit.it.support.contract.ContractLedger;
import dev.deploykit.it.support.contract.Exchange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract check the cloud fakes rely on: the published documents load from
 * {@code ../shared/contracts}, a good exchange passes, and a body that breaks the document is
 * caught (otherwise "0 violations" in the fakes' ITs would prove nothing).
 */
class ContractCheckIT {
  private static final Map<String, List<String>> JSON_REQUEST = Map.of(
      "Content-Type", List.of("application/json"), "Authorization", List.of("Bearer dop_v1_test"));
  private static final Map<String, List<String>> JSON_RESPONSE =
      Map.of("Content-Type", List.of("application/json"));
  private static final String ACCOUNT = """
      {"account":{"droplet_limit":25,"floating_ip_limit":5,"email":"ops@example.com",
      "uuid":"b6fr89dbf6d9156cace5f3c78dc9851d957381ef","email_verified":true,"status":"active",
      "status_message":""}}""";

  @Test
  void aGoodDigitalOceanExchangeKeepsTheContract() {
    ContractLedger ledger = new ContractLedger(Contract.digitalOcean());
    ledger.record(new Exchange("GET", "/v2/account", null, JSON_REQUEST, null, 200, JSON_RESPONSE, ACCOUNT));
    ledger.record(new Exchange("GET", "/v2/droplets", "tag_name=deploykit&page=1&per_page=200",
        JSON_REQUEST, null, 200, JSON_RESPONSE, """
        {"droplets":[],"links":{},"meta":{"total":0}}"""));

    assertThat(ledger.violations()).isEmpty();
    assertThat(ledger.pairs()).isEqualTo(2);
    ledger.assertKept();
  }

  @Test
  void aBrokenBodyAMissingTokenAndAStringIdAreCaught() {
    ContractLedger ledger = new ContractLedger(Contract.digitalOcean());
    ledger.record(new Exchange("POST", "/v2/droplets", null, JSON_REQUEST, """
        {"name":"web-1","size":1}""", 422, JSON_RESPONSE, """
        {"id":"unprocessable_entity","message":"request payload validation failed"}"""));
    ledger.record(new Exchange("GET", "/v2/account", null,
        Map.of("Content-Type", List.of("application/json")), null, 200, JSON_RESPONSE, ACCOUNT));
    ledger.record(new Exchange("GET", "/v2/droplets/7", null, JSON_REQUEST, null, 200, JSON_RESPONSE, """
        {"droplet":{"id":"seven"}}"""));

    assertThat(ledger.violations())
        .anySatisfy(line -> assertThat(line).startsWith("POST /v2/droplets -> 422").contains("validation.request.body"))
        .anySatisfy(line -> assertThat(line).contains("validation.request.security.missing"))
        .anySatisfy(line -> assertThat(line).startsWith("GET /v2/droplets/7 -> 200").contains("validation.response.body"));
    assertThatThrownBy(ledger::assertKept).isInstanceOf(AssertionError.class).hasMessageContaining("3 exchanges broke digitalocean-v2.yaml");
  }

  @Test
  void runPodUnknownTopLevelPropertiesAreRefused() {
    ContractLedger ledger = new ContractLedger(Contract.runPod());
    ledger.record(new Exchange("POST", "/v2/serverless", null, JSON_RESPONSE, """
        {"name":"llm","templateId":"tpl1","flavour":"spicy"}""", 400, JSON_RESPONSE, """
        {"error":"bad request"}"""));

    assertThat(ledger.violations()).anySatisfy(line -> assertThat(line).contains("unevaluated"));
  }
}
