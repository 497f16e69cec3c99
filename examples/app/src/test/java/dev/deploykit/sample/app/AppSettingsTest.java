package dev.deploykit.sample.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppSettingsTest {

  @Test
  void faultsParseAsDocumented() {
    assertThat(Fault.parse(null)).isInstanceOf(Fault.None.class);
    assertThat(Fault.parse("")).isInstanceOf(Fault.None.class);
    assertThat(Fault.parse("exit-at-boot")).isInstanceOf(Fault.ExitAtBoot.class);
    assertThat(Fault.parse("never-healthy")).isInstanceOf(Fault.NeverHealthy.class);
    assertThat(Fault.parse("wrong-port")).isInstanceOf(Fault.WrongPort.class);
    assertThat(Fault.parse("unhealthy-after:10s")).isEqualTo(new Fault.UnhealthyAfter(Duration.ofSeconds(10)));
    assertThat(Fault.parse("unhealthy-after:500ms")).isEqualTo(new Fault.UnhealthyAfter(Duration.ofMillis(500)));
    assertThat(Fault.parse("unhealthy-after:1.5s")).isEqualTo(new Fault.UnhealthyAfter(Duration.ofMillis(1500)));
    assertThat(Fault.parse("unhealthy-after:PT2M")).isEqualTo(new Fault.UnhealthyAfter(Duration.ofMinutes(2)));
    assertThat(Fault.parse("slow-boot:2m")).isEqualTo(new Fault.SlowBoot(Duration.ofMinutes(2)));
  }

  @Test
  void aWrongFaultNamesTheAcceptedValues() {
    assertThatThrownBy(() -> Fault.parse("explode"))
        .hasMessageContaining("SAMPLE_FAULT=explode").hasMessageContaining("exit-at-boot")
        .hasMessageContaining("unhealthy-after:<duration>");
    assertThatThrownBy(() -> Fault.parse("unhealthy-after"))
        .hasMessageContaining("needs a duration");
    assertThatThrownBy(() -> Fault.parse("unhealthy-after:soon"))
        .hasMessageContaining("soon is not a duration");
  }

  @Test
  void readsTheEnvironmentWithDefaultsAndNeverShowsThePassword() {
    AppSettings s = AppSettings.fromEnvironment(Map.of("APP_VERSION", "v2",
        "DB_PASSWORD", "hunter2", "DB_URL", "jdbc:postgresql://db/app?password=hunter2"));
    assertThat(s.version()).isEqualTo("v2");
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.listenPort()).isEqualTo(8080);
    assertThat(s.dbUser()).isEqualTo("app");
    assertThat(s.fault()).isInstanceOf(Fault.None.class);
    assertThat(s.jdbcProperties().getProperty("password")).isEqualTo("hunter2");
    assertThat(s.toString()).doesNotContain("hunter2").contains("dbPassword=(set)");
  }

  @Test
  void wrongPortListensOneAbove() {
    AppSettings s = AppSettings.fromEnvironment(Map.of("PORT", "9000", "SAMPLE_FAULT", "wrong-port"));
    assertThat(s.listenPort()).isEqualTo(9001);
  }

  @Test
  void jsonQuotesWhatNeedsIt() {
    assertThat(Json.quote("a \"b\"\\\n\u0001é")).isEqualTo("\"a \\\"b\\\"\\\\\\n\\u0001é\"");
  }
}
