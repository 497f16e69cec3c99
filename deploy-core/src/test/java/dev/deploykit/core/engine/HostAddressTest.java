package dev.deploykit.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.engine.HostAddress.Origin;
import org.junit.jupiter.api.Test;

class HostAddressTest {
  private static final String FILE = "ssh://deploy@file.example";
  private static final String ENV = "ssh://deploy@env.example";
  private static final String FLAG = "ssh://deploy@flag.example";

  @Test
  void theOptionBeatsTheEnvironmentWhichBeatsTheStackFile() {
    assertThat(HostAddress.resolve(FLAG, ENV, FILE)).isEqualTo(new HostAddress(FLAG, Origin.OPTION));
    assertThat(HostAddress.resolve(null, ENV, FILE)).isEqualTo(new HostAddress(ENV, Origin.ENVIRONMENT));
    assertThat(HostAddress.resolve(null, null, FILE)).isEqualTo(new HostAddress(FILE, Origin.STACK_FILE));
    assertThat(HostAddress.resolve(null, null, null))
        .isEqualTo(new HostAddress("unix:///var/run/docker.sock", Origin.DEFAULT));
  }

  @Test
  void anEmptyDockerHostCountsAsUnsetAsTheDockerCliReadsIt() {
    assertThat(HostAddress.resolve(null, "", FILE).origin()).isEqualTo(Origin.STACK_FILE);
  }

  @Test
  void anSshAddressIsNormalisedToNameItsUserAndPort() {
    HostAddress a = HostAddress.resolve("ssh://deploy@203.0.113.7", null, null);
    assertThat(a.address()).isEqualTo("ssh://deploy@203.0.113.7:22");
    assertThat(a.remote()).isTrue();
    assertThat(a.describe()).isEqualTo("ssh://deploy@203.0.113.7:22 (from --host)");
    assertThat(new HostAddress("ssh://example.org:2222", Origin.OPTION).address())
        .isEqualTo("ssh://" + System.getProperty("user.name") + "@example.org:2222");
    assertThat(new HostAddress("ssh://root@[2001:db8::1]:2200", Origin.OPTION).address())
        .isEqualTo("ssh://root@[2001:db8::1]:2200");
  }

  @Test
  void theSshBuilderTakesUserHostAndPortFromTheAddress() {
    HostAddress a = new HostAddress("ssh://deploy@[2001:db8::1]:2200", Origin.ENVIRONMENT);
    assertThat(a.ssh().toString()).startsWith("SshHost.Builder[deploy@2001:db8::1:2200");
  }

  @Test
  void unixAndTcpAddressesAreReachedDirectly() {
    HostAddress unix = HostAddress.resolve(null, "unix:///run/user/1000/docker.sock", null);
    assertThat(unix.remote()).isFalse();
    assertThat(unix.address()).isEqualTo("unix:///run/user/1000/docker.sock");
    assertThat(new HostAddress("tcp://127.0.0.1:2375/", Origin.ENVIRONMENT).address()).isEqualTo("tcp://127.0.0.1:2375");
    assertThatThrownBy(unix::ssh).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> HostAddress.resolve(FLAG, null, null).direct()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aBadAddressSaysWhatIsWrongAndWhereItCameFrom() {
    assertProblem("ssh://", "--host: \"ssh://\" names no host; expected ssh://[user@]host[:port]");
    assertProblem("ssh://deploy@", "names no host");
    assertProblem("ssh://deploy@host:abc", "has a bad port \"abc\" (a number 1-65535)");
    assertProblem("ssh://deploy@host:0", "has a bad port 0");
    assertProblem("ssh://deploy@host:65536", "has a bad port 65536");
    assertProblem("ssh://deploy@host/path", "holds a path or query");
    assertProblem("ssh://2001:db8::1", "IPv6 address without brackets");
    assertProblem("http://host", "unknown scheme \"http\"");
    assertProblem("deploy@host", "has no scheme");
    assertProblem("", "is empty");
    assertProblem("tcp://host", "names no port");
    assertProblem("unix://", "names no absolute socket path");
    assertThatThrownBy(() -> HostAddress.resolve(null, "ssh://:22", null))
        .hasMessageStartingWith("DOCKER_HOST: \"ssh://:22\" names no host");
    assertThatThrownBy(() -> HostAddress.resolve(null, null, "ssh://"))
        .hasMessageStartingWith("x-deploykit.host: \"ssh://\" names no host");
  }

  @Test
  void aPasswordInTheAddressIsRefusedAndNeverRepeated() {
    assertThatThrownBy(() -> HostAddress.resolve("ssh://deploy:s3cret@host", null, null))
        .hasMessageStartingWith("--host: \"ssh://deploy:***@host\" holds a password")
        .hasMessageNotContaining("s3cret");
  }

  private static void assertProblem(String address, String problem) {
    assertThatThrownBy(() -> HostAddress.resolve(address, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--host: \"" + address + "\"")
        .hasMessageContaining(problem);
  }
}
