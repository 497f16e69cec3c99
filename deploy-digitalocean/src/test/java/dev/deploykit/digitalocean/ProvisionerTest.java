package dev.deploykit.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.digitalocean.internal.OpenSshKeys;
import dev.deploykit.health.wait.FakeTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionerTest {
  private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPZcO2Wrng4OoEPdkD7LLRCfQANAVC4ndHm6SU9iI3Ky me";
  private static final String DROPLET = """
      {"id":3169590176,"name":"shop-1","status":"active","locked":false,"size_slug":"s-1vcpu-1gb",
       "image":{"id":1,"slug":"debian-12-x64"},"region":{"slug":"nyc3"},"tags":["deploykit","deploykit:shop"],
       "networks":{"v4":[{"ip_address":"203.0.113.7","type":"public"}]}}""";

  @TempDir Path dir;
  private final ScriptedApi server = new ScriptedApi();

  @AfterEach
  void stop() {
    server.close();
  }

  private Provisioner provisioner() {
    DigitalOcean api = DigitalOcean.builder("t".toCharArray()).baseUrl(server.url()).timeSource(new FakeTimeSource()).build();
    return Provisioner.builder(api).stateDir(dir.resolve("state")).knownHosts(dir.resolve("known_hosts"))
        .timeSource(new FakeTimeSource()).build();
  }

  private static DropletPlan plan() {
    return new DropletPlan("shop", "shop-1", "nyc3", "s-1vcpu-1gb", "debian-12-x64", "deploy", KEY, null,
        List.of("198.51.100.4/32"), false, 8080, null, Duration.ofSeconds(5), false);
  }

  private void accountRegionsSizesKey() {
    server.reply("GET", "/v2/account", 200, "{\"account\":{\"email\":\"a@b.c\",\"droplet_limit\":25,\"status\":\"active\"}}");
    server.reply("GET", "/v2/regions", 200, "{\"regions\":[{\"slug\":\"nyc3\",\"name\":\"New York 3\",\"available\":true,"
        + "\"sizes\":[\"s-1vcpu-1gb\"]}],\"links\":{},\"meta\":{\"total\":1}}");
    server.reply("GET", "/v2/sizes", 200, "{\"sizes\":[{\"slug\":\"s-1vcpu-1gb\",\"available\":true,\"regions\":[\"nyc3\"]}],"
        + "\"links\":{},\"meta\":{\"total\":1}}");
    server.reply("GET", "/v2/account/keys/", 200, "{\"ssh_key\":{\"id\":1,\"fingerprint\":\"x\",\"public_key\":\"" + KEY + "\",\"name\":\"k\"}}");
  }

  @Test
  void aFirewallOfTheSameNameThatDeploykitDidNotMakeIsNotTakenOver() throws Exception {
    Files.createDirectories(dir.resolve("state"));
    Files.writeString(provisioner().hostKeyFile("shop", "shop-1"), KEY + "\n");
    accountRegionsSizesKey();
    server.reply("GET", "/v2/droplets", 200, "{\"droplets\":[" + DROPLET + "],\"links\":{},\"meta\":{\"total\":1}}");
    server.reply("GET", "/v2/firewalls", 200, "{\"firewalls\":[{\"id\":\"fw-1\",\"name\":\"deploykit-shop\",\"status\":\"succeeded\","
        + "\"inbound_rules\":[],\"tags\":[\"web\"],\"droplet_ids\":[]}],\"links\":{},\"meta\":{\"total\":1}}");
    assertThatThrownBy(() -> provisioner().up(plan())).isInstanceOfSatisfying(DigitalOceanException.class, e -> {
      assertThat(e.kind()).isEqualTo(DigitalOceanException.Kind.CONFLICT);
      assertThat(e.getMessage()).contains("deploykit-shop").contains("did not create");
    });
    assertThat(server.got).extracting(ScriptedApi.Got::method).doesNotContain("PUT", "POST", "DELETE");
    assertThat(Files.readString(dir.resolve("known_hosts"))).contains("203.0.113.7 ssh-ed25519 ");
  }

  @Test
  void aDropletWhosePinnedKeyIsMissingIsRefusedRatherThanTrustedOnFirstUse() {
    accountRegionsSizesKey();
    server.reply("GET", "/v2/droplets", 200, "{\"droplets\":[" + DROPLET + "],\"links\":{},\"meta\":{\"total\":1}}");
    assertThatThrownBy(() -> provisioner().up(plan())).isInstanceOfSatisfying(DigitalOceanException.class, e -> {
      assertThat(e.kind()).isEqualTo(DigitalOceanException.Kind.CONFLICT);
      assertThat(e.getMessage()).contains("host key").contains("do down");
    });
    assertThat(Files.exists(dir.resolve("known_hosts"))).isFalse();
  }

  @Test
  void anUnknownRegionIsRefusedBeforeAnythingIsMade() {
    server.reply("GET", "/v2/account", 200, "{\"account\":{\"email\":\"a@b.c\",\"droplet_limit\":25,\"status\":\"active\"}}");
    server.reply("GET", "/v2/regions", 200, "{\"regions\":[{\"slug\":\"nyc3\",\"name\":\"New York 3\",\"available\":true,"
        + "\"sizes\":[]},{\"slug\":\"nyc1\",\"name\":\"New York 1\",\"available\":true,\"sizes\":[]}],\"links\":{},\"meta\":{\"total\":2}}");
    DropletPlan bad = new DropletPlan("shop", "shop-1", "nyc9", "s-1vcpu-1gb", "debian-12-x64", "deploy", KEY, null,
        List.of("198.51.100.4/32"), false, 8080, null, Duration.ofSeconds(5), false);
    assertThatThrownBy(() -> provisioner().up(bad)).hasMessageContaining("region 'nyc9' does not exist; closest: nyc1, nyc3");
    assertThat(server.got).extracting(ScriptedApi.Got::method).containsOnly("GET");
  }

  /** An address of the loopback range where nothing listens on 22: SSH is refused at once. */
  private static final String SILENT = "127.0.0.254";

  private DropletPlan planWithIdentity(boolean cleanup) throws Exception {
    Path identity = dir.resolve("id_ed25519");
    Files.writeString(identity, OpenSshKeys.ed25519("me").privatePem());
    return new DropletPlan("shop", "shop-1", "nyc3", "s-1vcpu-1gb", "debian-12-x64", "deploy", KEY, identity,
        List.of("198.51.100.4/32"), false, 8080, null, Duration.ofSeconds(3), cleanup);
  }

  /** Up to the create: account, regions, sizes, key, no droplet yet, the create answered 202. */
  private void createAnswered() {
    accountRegionsSizesKey();
    server.reply("GET", "/v2/droplets", 200, "{\"droplets\":[],\"links\":{},\"meta\":{\"total\":0}}");
    server.reply("POST", "/v2/droplets", 202, "{\"droplet\":" + DROPLET.replace("\"active\"", "\"new\"")
        .replace("203.0.113.7", SILENT) + ",\"links\":{\"actions\":[{\"id\":77,\"rel\":\"create\",\"href\":\"x\"}]}}");
  }

  private void createCompletesButSshNeverAnswers() {
    createAnswered();
    server.reply("GET", "/v2/actions/77", 200, action("completed"));
    server.reply("GET", "/v2/droplets/3169590176", 200, "{\"droplet\":" + DROPLET.replace("203.0.113.7", SILENT) + "}");
    server.reply("GET", "/v2/firewalls", 200, "{\"firewalls\":[],\"links\":{},\"meta\":{\"total\":0}}");
    server.reply("POST", "/v2/firewalls", 202, "{\"firewall\":{\"id\":\"fw-1\",\"name\":\"deploykit-shop\","
        + "\"status\":\"waiting\",\"inbound_rules\":[],\"tags\":[\"deploykit:shop\"],\"droplet_ids\":[]}}");
  }

  private static String action(String status) {
    return "{\"action\":{\"id\":77,\"status\":\"" + status + "\",\"type\":\"create\",\"resource_id\":3169590176,"
        + "\"resource_type\":\"droplet\"}}";
  }

  @Test
  void sshThatNeverAnswersSaysWhatWasTriedAndKeepsTheDropletWithHowToDestroyIt() throws Exception {
    createCompletesButSshNeverAnswers();
    DropletPlan plan = planWithIdentity(false);
    assertThatThrownBy(() -> provisioner().up(plan)).isInstanceOfSatisfying(DigitalOceanException.class, e -> {
      assertThat(e.kind()).isEqualTo(DigitalOceanException.Kind.TIMED_OUT);
      assertThat(e.getMessage()).doesNotContain("\n")
          .contains("SSH to deploy@" + SILENT + ":22").contains("within 3 s").contains("last: ")
          .contains("droplet 3169590176 (shop-1) is kept").contains("deploykit do down --yes");
    });
    assertThat(server.got).extracting(ScriptedApi.Got::method).doesNotContain("DELETE");
    assertThat(server.pending()).isZero();
    assertThat(Files.readString(dir.resolve("known_hosts"))).as("kept, so a rerun connects").contains(SILENT + " ssh-ed25519 ");
  }

  @Test
  void sshThatNeverAnswersWithCleanupOnFailureDestroysTheDropletItMade() throws Exception {
    createCompletesButSshNeverAnswers();
    server.reply("GET", "/v2/droplets/3169590176", 200, "{\"droplet\":" + DROPLET.replace("203.0.113.7", SILENT) + "}");
    server.reply("DELETE", "/v2/droplets/3169590176", 204, "");
    DropletPlan plan = planWithIdentity(true);
    assertThatThrownBy(() -> provisioner().up(plan)).isInstanceOfSatisfying(DigitalOceanException.class, e -> {
      assertThat(e.kind()).isEqualTo(DigitalOceanException.Kind.TIMED_OUT);
      assertThat(e.getMessage()).contains("SSH to deploy@" + SILENT + ":22")
          .contains("droplet 3169590176 was destroyed (--cleanup-on-failure)").doesNotContain("is kept");
    });
    assertThat(server.got).extracting(g -> g.method() + " " + g.path()).contains("DELETE /v2/droplets/3169590176");
    assertThat(server.pending()).isZero();
    assertThat(Files.readString(dir.resolve("known_hosts"))).doesNotContain(SILENT);
    assertThat(provisioner().hostKeyFile("shop", "shop-1")).doesNotExist();
  }

  @Test
  void aCreateActionThatEndsErroredSaysSoAndKeepsTheDropletWithHowToDestroyIt() throws Exception {
    createAnswered();
    server.reply("GET", "/v2/actions/77", 200, action("in-progress"));
    server.reply("GET", "/v2/actions/77", 200, action("errored"));
    DropletPlan plan = planWithIdentity(false);
    assertThatThrownBy(() -> provisioner().up(plan)).isInstanceOfSatisfying(DigitalOceanException.class, e -> {
      assertThat(e.kind()).isEqualTo(DigitalOceanException.Kind.ACTION_ERRORED);
      assertThat(e.getMessage()).doesNotContain("\n").contains("create action 77").contains("ended errored")
          .contains("droplet 3169590176 (shop-1) is kept").contains("deploykit do down --yes");
    });
    assertThat(server.got).extracting(ScriptedApi.Got::method).doesNotContain("DELETE", "PUT");
    assertThat(server.got).extracting(ScriptedApi.Got::path).as("no firewall for a droplet that never came up")
        .doesNotContain("/v2/firewalls");
    assertThat(server.pending()).isZero();
  }

  @Test
  void aCreateActionThatEndsErroredWithCleanupOnFailureDestroysTheDroplet() throws Exception {
    createAnswered();
    server.reply("GET", "/v2/actions/77", 200, action("errored"));
    server.reply("GET", "/v2/droplets/3169590176", 200, "{\"droplet\":" + DROPLET.replace("\"active\"", "\"new\"") + "}");
    server.reply("DELETE", "/v2/droplets/3169590176", 204, "");
    DropletPlan plan = planWithIdentity(true);
    assertThatThrownBy(() -> provisioner().up(plan)).isInstanceOfSatisfying(DigitalOceanException.class, e -> {
      assertThat(e.kind()).isEqualTo(DigitalOceanException.Kind.ACTION_ERRORED);
      assertThat(e.getMessage()).contains("ended errored").contains("was destroyed (--cleanup-on-failure)");
    });
    assertThat(server.pending()).isZero();
  }
}
