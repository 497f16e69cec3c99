package dev.deploykit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.engine.HostAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HostOptionsTest {
  private static final String FILE = "ssh://deploy@file.example";
  @TempDir Path dir;

  private static HostOptions parse(String... args) {
    Deploykit root = new Deploykit();
    new CommandLine(root).parseArgs(args);
    return root.hostOptions;
  }

  private static UnaryOperator<@Nullable String> env(Map<String, String> values) {
    return values::get;
  }

  @Test
  void theHostOptionsAreTakenBeforeAndAfterTheCommand() {
    assertThat(parse("--host", "ssh://a@one", "status").host).isEqualTo("ssh://a@one");
    HostOptions after = parse("status", "--host", "ssh://a@two", "--identity", "k1", "--identity", "k2",
        "--known-hosts", "kh", "--accept-new-host-key");
    assertThat(after.host).isEqualTo("ssh://a@two");
    assertThat(after.identities).containsExactly(Path.of("k1"), Path.of("k2"));
    assertThat(after.knownHosts).isEqualTo(Path.of("kh"));
    assertThat(after.acceptNewHostKey).isTrue();
    assertThat(parse("logs", "app", "-f", "--host", "ssh://a@three").host).isEqualTo("ssh://a@three");
    assertThat(parse("status", "-i", "k3").identities).containsExactly(Path.of("k3"));
  }

  @Test
  void theOptionBeatsDockerHostWhichBeatsTheStackFileAndTheLineSaysWhich() {
    Path stack = Path.of("compose.yaml");
    HostAddress flag = parse("--host", "ssh://deploy@1.2.3.4", "status")
        .target(FILE, env(Map.of("DOCKER_HOST", "ssh://deploy@env.example")));
    assertThat(HostOptions.line(flag, stack)).isEqualTo("host ssh://deploy@1.2.3.4:22 (from --host)");
    HostAddress environment = parse("status").target(FILE, env(Map.of("DOCKER_HOST", "ssh://deploy@env.example:2200")));
    assertThat(HostOptions.line(environment, stack)).isEqualTo("host ssh://deploy@env.example:2200 (from DOCKER_HOST)");
    HostAddress file = parse("status").target(FILE, env(Map.of()));
    assertThat(HostOptions.line(file, stack))
        .isEqualTo("host ssh://deploy@file.example:22 (from x-deploykit.host in compose.yaml)");
    HostAddress none = parse("status").target(null, env(Map.of()));
    assertThat(none.remote()).isFalse();
    assertThat(HostOptions.line(none, stack)).isNull();
    assertThat(parse("status").target(null, env(Map.of("DOCKER_HOST", "unix:///run/docker.sock"))).remote()).isFalse();
  }

  @Test
  void aBadAddressIsBadInputNamingWhereItCameFrom() {
    assertThatThrownBy(() -> parse("--host", "ssh://", "status").target(null, env(Map.of())))
        .isInstanceOfSatisfying(UserError.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.BAD_INPUT))
        .hasMessageStartingWith("--host: \"ssh://\" names no host; expected ssh://[user@]host[:port]");
    assertThatThrownBy(() -> parse("status").target(null, env(Map.of("DOCKER_HOST", "ssh://deploy@host:99999"))))
        .hasMessageStartingWith("DOCKER_HOST: \"ssh://deploy@host:99999\" has a bad port 99999");
    assertThatThrownBy(() -> parse("--host", "https://host", "status").target(null, env(Map.of())))
        .hasMessageContaining("unknown scheme \"https\"");
  }

  @Test
  void sshOptionsWithoutAnSshHostAreBadInput() {
    assertThatThrownBy(() -> parse("--identity", "k", "--accept-new-host-key", "status").target(null, env(Map.of())))
        .isInstanceOf(UserError.class)
        .hasMessage("--identity and --accept-new-host-key apply to an ssh:// host, but the engine is"
            + " unix:///var/run/docker.sock (from default); name one with --host ssh://user@host");
  }

  @Test
  void aMissingKeyFileIsBadInputNamingIt() {
    HostOptions options = parse("--host", "ssh://deploy@host", "--identity", dir.resolve("nope").toString(), "status");
    HostAddress target = options.target(null, env(Map.of()));
    assertThatThrownBy(() -> options.open(target, env(Map.of())))
        .isInstanceOfSatisfying(UserError.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.BAD_INPUT))
        .hasMessageContaining(dir.resolve("nope").toString())
        .hasMessageContaining("--identity FILE");
  }

  @Test
  void aKeyFileAndAPassphraseFromTheEnvironmentBuildAHostWithoutConnecting() throws Exception {
    Path key = dir.resolve("id_test");
    Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
    HostOptions options = parse("--host", "ssh://deploy@host:2222", "--identity", key.toString(),
        "--known-hosts", dir.resolve("kh").toString(), "status");
    HostAddress target = options.target(null, env(Map.of()));
    try (var host = options.open(target, env(Map.of(HostOptions.PASSPHRASE_VARIABLE, "pw")))) {
      assertThat(host.describe()).isEqualTo("ssh://deploy@host:2222");
    }
  }

  @Test
  void aBadAddressOnTheCommandLineExitsWithBadInput() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, "name: x\nservices:\n  db:\n    image: postgres:18.1\n");
    assertThat(Main.execute("--host", "ssh://", "-f", file.toString(), "config")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Main.execute("--host", "ssh://deploy@host", "-f", file.toString(), "config")).isEqualTo(ExitCodes.OK);
  }

  @Test
  void theJsonDocumentGetsTheTargetField() {
    String doc = Json.withField(Json.write(Json.object("ok", true)), "target",
        Json.object("host", "ssh://deploy@h:22", "from", "--host"));
    assertThat(doc).contains("\"ok\" : true").contains("\"target\" : {").contains("\"from\" : \"--host\"");
    assertThat(Json.withField("[1]", "target", "x")).isEqualTo("[1]");
  }
}
