package dev.deploykit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes of the command line that need no Docker engine. */
class MainTest {
  @TempDir Path dir;

  @Test
  void helpAndVersionExitZero() {
    assertThat(Main.execute("--help")).isEqualTo(ExitCodes.OK);
    assertThat(Main.execute("--version")).isEqualTo(ExitCodes.OK);
    assertThat(Main.execute("deploy", "--help")).isEqualTo(ExitCodes.OK);
  }

  @Test
  void unknownCommandOrOptionIsBadInput() {
    assertThat(Main.execute("deplyo")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Main.execute("deploy", "--verison", "2")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Main.execute()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Main.execute("lock", "steal")).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void anUnknownCommandBesideHelpIsBadInputNotTheRootHelp() {
    assertThat(Main.execute("frob", "--help")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Main.execute("--help", "frob")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(Main.execute("status", "--help")).isEqualTo(ExitCodes.OK);
  }

  @Test
  void missingOrBrokenStackFileIsBadInput() throws Exception {
    assertThat(Main.execute("-f", dir.resolve("none.yaml").toString(), "status")).isEqualTo(ExitCodes.BAD_INPUT);
    Path broken = dir.resolve("compose.yaml");
    Files.writeString(broken, "services:\n  app: [unclosed\n");
    assertThat(Main.execute("config", "-f", broken.toString())).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void fileOptionWorksBeforeAndAfterTheCommandAndImagesIgnoreCase() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, "name: x\nservices:\n  db:\n    image: postgres:18.1\n");
    assertThat(Main.execute("-f", file.toString(), "config")).isEqualTo(ExitCodes.OK);
    assertThat(Main.execute("config", "--file", file.toString(), "--json")).isEqualTo(ExitCodes.OK);
    assertThat(Main.execute("config", "-f", dir.resolve("other.yaml").toString())).isEqualTo(ExitCodes.BAD_INPUT);
  }
}
