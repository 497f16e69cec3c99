package dev.deploykit.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.health.wait.FakeTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DigitalOceanTest {
  private static final String TOKEN = "dop_v1_secret_token_value";
  private static final String DROPLET = """
      {"id":3169590176,"name":"web-1","status":"active","locked":false,"size_slug":"s-1vcpu-1gb",
       "image":{"id":1,"slug":"debian-12-x64"},"region":{"slug":"nyc3"},"tags":["deploykit","deploykit:shop"],
       "networks":{"v4":[{"ip_address":"10.0.0.2","type":"private"},{"ip_address":"203.0.113.7","type":"public"}]}}""";

  private final ScriptedApi server = new ScriptedApi();
  private final FakeTimeSource time = new FakeTimeSource();
  private final List<ApiEvent> events = new ArrayList<>();

  @AfterEach
  void stop() {
    server.close();
  }

  private DigitalOcean client() {
    return DigitalOcean.builder(TOKEN.toCharArray()).baseUrl(server.url()).timeSource(time)
        .events(events::add).random(new java.util.Random(1)).build();
  }

  @Test
  void readsADropletWithALongIdAndItsPublicAddressWhateverTheOrder() {
    server.reply("GET", "/v2/droplets/3169590176", 200, "{\"droplet\":" + DROPLET + "}");
    Droplet d = client().droplet(3169590176L).orElseThrow();
    assertThat(d.id()).isEqualTo(3169590176L);
    assertThat(d.publicIpv4()).isEqualTo("203.0.113.7");
    assertThat(d.privateIpv4()).isEqualTo("10.0.0.2");
    assertThat(server.got.get(0).authorization()).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void followsLinksPagesNextOnItsOwnBaseUrlKeepingTheFilter() {
    server.reply("GET", "/v2/droplets", 200, "{\"droplets\":[" + DROPLET + "],\"links\":{\"pages\":{\"next\":"
        + "\"https://api.digitalocean.com/v2/droplets?page=2&per_page=1&tag_name=deploykit%3Ashop\"}},\"meta\":{\"total\":2}}");
    server.reply("GET", "/v2/droplets", 200, "{\"droplets\":[" + DROPLET.replace("3169590176", "42") + "],\"links\":{},\"meta\":{\"total\":2}}");
    List<Droplet> all = client().dropletsByTag("deploykit:shop");
    assertThat(all).extracting(Droplet::id).containsExactly(3169590176L, 42L);
    assertThat(server.got.get(0).query()).contains("tag_name=deploykit%3Ashop").contains("per_page=200");
    assertThat(server.got.get(1).query()).contains("page=2").contains("tag_name=deploykit%3Ashop");
  }

  @Test
  void waitsTheRetryAfterOfA429AndSaysSo() {
    server.reply("GET", "/v2/account", 429, Map.of("retry-after", "7", "ratelimit-remaining", "0",
        "ratelimit-reset", Long.toString(time.now().getEpochSecond() + 3600)),
        "{\"id\":\"too_many_requests\",\"message\":\"API Rate limit exceeded.\"}");
    server.reply("GET", "/v2/account", 200, Map.of("ratelimit-remaining", "4999"),
        "{\"account\":{\"email\":\"a@b.c\",\"droplet_limit\":25,\"status\":\"active\"}}");
    DigitalOcean api = client();
    long before = time.nanoTime();
    assertThat(api.account().dropletLimit()).isEqualTo(25);
    assertThat(Duration.ofNanos(time.nanoTime() - before)).as("retry-after, not the spent budget's reset")
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(api.retries()).isEqualTo(1);
    assertThat(api.rateLimited()).isEqualTo(1);
    assertThat(events).filteredOn(e -> e instanceof ApiEvent.RateLimited).first()
        .extracting(ApiEvent::message).asString().contains("waiting 7 s");
  }

  @Test
  void retriesAGetAfterA5xxButNotA501() {
    server.reply("GET", "/v2/account", 503, "{\"id\":\"server_error\",\"message\":\"Unexpected server-side error\"}");
    server.reply("GET", "/v2/account", 200, "{\"account\":{\"email\":\"a@b.c\",\"droplet_limit\":25,\"status\":\"active\"}}");
    assertThat(client().account().status()).isEqualTo("active");
    server.reply("GET", "/v2/account", 501, "{\"id\":\"not_implemented\",\"message\":\"no\"}");
    assertThatThrownBy(() -> client().account()).isInstanceOf(DigitalOceanException.class)
        .hasMessageContaining("501");
  }

  @Test
  void aCreateThatFailedWith5xxIsLookedUpByNameAndTagInsteadOfSentAgain() {
    server.reply("POST", "/v2/droplets", 500, "{\"id\":\"server_error\",\"message\":\"Unexpected server-side error\"}");
    server.reply("GET", "/v2/droplets", 200, "{\"droplets\":[" + DROPLET + "],\"links\":{},\"meta\":{\"total\":1}}");
    DigitalOcean.Created created = client().createDroplet(new DigitalOcean.DropletRequest("web-1", "nyc3", "s-1vcpu-1gb",
        "debian-12-x64", List.of("aa:bb"), List.of("deploykit", "deploykit:shop"), "#cloud-config\n"), "deploykit:shop");
    assertThat(created.found()).isTrue();
    assertThat(created.droplet().id()).isEqualTo(3169590176L);
    assertThat(server.got).extracting(ScriptedApi.Got::method).containsExactly("POST", "GET");
  }

  @Test
  void aCreateNotFoundAfterA5xxIsSentOnceMore() {
    server.reply("POST", "/v2/droplets", 502, "");
    server.reply("GET", "/v2/droplets", 200, "{\"droplets\":[],\"links\":{},\"meta\":{\"total\":0}}");
    server.reply("POST", "/v2/droplets", 202, "{\"droplet\":" + DROPLET.replace("\"active\"", "\"new\"")
        + ",\"links\":{\"actions\":[{\"id\":3169590177,\"rel\":\"create\",\"href\":\"x\"}]}}");
    DigitalOcean.Created created = client().createDroplet(new DigitalOcean.DropletRequest("web-1", "nyc3", "s-1vcpu-1gb",
        "debian-12-x64", List.of(), List.of("deploykit:shop"), null), "deploykit:shop");
    assertThat(created.found()).isFalse();
    assertThat(created.actionId()).isEqualTo(3169590177L);
    assertThat(server.got).extracting(ScriptedApi.Got::method).containsExactly("POST", "GET", "POST");
  }

  @Test
  void errorsCarryIdMessageAndRequestIdButNeverTheToken() {
    server.reply("GET", "/v2/account", 401, "{\"id\":\"unauthorized\",\"message\":\"Unable to authenticate you.\",\"request_id\":\"r-1\"}");
    assertThatThrownBy(() -> client().account()).isInstanceOfSatisfying(DigitalOceanException.class, e -> {
      assertThat(e.kind()).isEqualTo(DigitalOceanException.Kind.UNAUTHORIZED);
      assertThat(e.errorId()).isEqualTo("unauthorized");
      assertThat(e.requestId()).isEqualTo("r-1");
      assertThat(e.getMessage()).contains("Unable to authenticate you.").doesNotContain(TOKEN);
    });
    assertThat(client().toString()).doesNotContain(TOKEN);
    assertThat(DigitalOcean.builder(TOKEN.toCharArray()).toString()).doesNotContain(TOKEN);
  }

  @Test
  void deletingADropletWithoutTheTagIsRefused() {
    server.reply("GET", "/v2/droplets/3169590176", 200, "{\"droplet\":" + DROPLET.replace("\"deploykit\",\"deploykit:shop\"", "\"web\"") + "}");
    assertThatThrownBy(() -> client().deleteDroplet(3169590176L, "deploykit:shop"))
        .isInstanceOfSatisfying(DigitalOceanException.class, e -> assertThat(e.kind()).isEqualTo(DigitalOceanException.Kind.CONFLICT));
    assertThat(server.got).extracting(ScriptedApi.Got::method).containsExactly("GET");
  }

  @Test
  void aKeyAlreadyInUseIsReadBack() {
    String key = "{\"ssh_key\":{\"id\":289794,\"fingerprint\":\"3b:16\",\"public_key\":\"ssh-ed25519 AAAA x\",\"name\":\"k\"}}";
    server.reply("GET", "/v2/account/keys/3b:16", 404, "{\"id\":\"not_found\",\"message\":\"The resource you requested could not be found.\"}");
    server.reply("POST", "/v2/account/keys", 422, "{\"id\":\"unprocessable_entity\",\"message\":\"SSH Key is already in use on your account\"}");
    server.reply("GET", "/v2/account/keys/3b:16", 200, key);
    var result = client().ensureKey("k", "ssh-ed25519 AAAA x", "3b:16");
    assertThat(result.getKey().id()).isEqualTo(289794L);
    assertThat(result.getValue()).isFalse();
  }

  @Test
  void anErroredActionFailsAndAPendingEventIsWaitedOut() {
    server.reply("POST", "/v2/reserved_ips/45.55.96.47/actions", 422, "{\"id\":\"unprocessable_entity\",\"message\":\"Droplet already has a pending event\"}");
    server.reply("POST", "/v2/reserved_ips/45.55.96.47/actions", 201, "{\"action\":{\"id\":3169590178,\"status\":\"in-progress\",\"type\":\"assign_ip\",\"resource_id\":1,\"resource_type\":\"reserved_ip\"}}");
    server.reply("GET", "/v2/actions/3169590178", 200, "{\"action\":{\"id\":3169590178,\"status\":\"errored\",\"type\":\"assign_ip\",\"resource_id\":1,\"resource_type\":\"reserved_ip\"}}");
    assertThatThrownBy(() -> client().assignReservedIp("45.55.96.47", 1, Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(DigitalOceanException.class, e -> {
          assertThat(e.kind()).isEqualTo(DigitalOceanException.Kind.ACTION_ERRORED);
          assertThat(e.getMessage()).contains("assign_ip").contains("errored");
        });
    assertThat(server.pending()).isZero();
  }
}
