package dev.deploykit.runpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
  @TempDir Path dir;

  @Test
  void aGgufHeaderIsAccepted() throws Exception {
    Path f = dir.resolve("m.gguf");
    Files.write(f, new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1, 2});
    assertThat(GgufFile.check(f)).isEqualTo(3);
  }

  @Test
  void anythingElseIsRefusedWithWhatWasFound() throws Exception {
    Path f = dir.resolve("model.safetensors");
    Files.writeString(f, "{\"__metadata__\":{}}");
    assertThatThrownBy(() -> GgufFile.check(f)).isInstanceOfSatisfying(RunPodException.class, e -> {
      assertThat(e.reason()).isEqualTo(RunPodException.Reason.BAD_INPUT);
      assertThat(e.getMessage()).contains("is not a GGUF file").contains("7b 22 5f 5f")
          .contains("{\"__meta");
    });
    assertThatThrownBy(() -> GgufFile.check(dir.resolve("missing.gguf"))).hasMessageContaining("does not exist");
    Path empty = Files.createFile(dir.resolve("empty.gguf"));
    assertThatThrownBy(() -> GgufFile.check(empty)).hasMessageContaining("the file is empty");
  }
}
