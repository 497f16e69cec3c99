package dev.deploykit.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.llm.internal.GgufMetadata;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyModelTest {

  @Test
  void sameSeedGivesTheSameBytesAndAnotherSeedOtherWeights() {
    byte[] a = TinyModel.DEFAULT.toBytes();
    byte[] b = TinyModel.DEFAULT.toBytes();
    byte[] c = TinyModel.DEFAULT.withSeed(43).toBytes();
    assertThat(a).isEqualTo(b);
    assertThat(c).hasSameSizeAs(a).isNotEqualTo(a);
    assertThat(TinyModel.DEFAULT.sha256()).isEqualTo(TinyModel.DEFAULT.sha256()).hasSize(64);
  }

  @Test
  void isAboutHalfAMegabyteOfGgufV3WithTheMetadataLlamaCppNeeds() throws Exception {
    byte[] bytes = TinyModel.DEFAULT.toBytes();
    System.out.printf("tiny model: %d bytes, %d parameters, vocabulary %d%n", bytes.length,
        TinyModel.DEFAULT.parameterCount(), TinyModel.vocabulary().size());
    assertThat(bytes.length).isBetween(400_000, 600_000);
    assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GGUF");

    GgufMetadata m = GgufMetadata.read(new ByteArrayInputStream(bytes));
    assertThat(m.version()).isEqualTo(3);
    assertThat(m.architecture()).isEqualTo("llama");
    assertThat(m.contextLength()).contains(256L);
    assertThat(m.parameterCount()).isEqualTo(TinyModel.DEFAULT.parameterCount());
    assertThat(m.tensorCount()).isEqualTo(2 + 9 * 2 + 1);
    for (String key : List.of("llama.embedding_length", "llama.block_count",
        "llama.feed_forward_length", "llama.attention.head_count",
        "llama.attention.head_count_kv", "llama.attention.layer_norm_rms_epsilon")) {
      assertThat(m.values()).containsKey(key);
    }
    assertThat(m.string("tokenizer.ggml.model")).contains("llama");
  }

  @Test
  void vocabularyHoldsEveryByteTokenOnceWithTypeSix() throws Exception {
    GgufMetadata m = GgufMetadata.read(new ByteArrayInputStream(TinyModel.DEFAULT.toBytes()));
    List<String> tokens = m.tokens();
    assertThat(tokens).doesNotHaveDuplicates();
    for (int b = 0; b < 256; b++) {
      String token = String.format("<0x%02X>", b);
      int id = tokens.indexOf(token);
      assertThat(id).as(token).isNotNegative();
      assertThat(m.tokenTypes().get(id)).as(token).isEqualTo(6);
    }
  }

  @Test
  void writesAtomicallyToAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nested/tiny.gguf");
    TinyModel.DEFAULT.writeTo(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(TinyModel.DEFAULT.toBytes());
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing.toList()).containsExactly(file);
    }
  }

  @Test
  void rejectsAShapeLlamaCppCouldNotRun() {
    assertThatThrownBy(() -> new TinyModel("x", 1, 64, 2, 3, 1, 128, 256))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headCount");
    assertThatThrownBy(() -> new TinyModel("x", 1, 64, 2, 4, 3, 128, 256))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headCountKv");
    assertThatThrownBy(() -> new TinyModel("x", 1, 64, 0, 4, 2, 128, 256))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockCount");
  }
}
