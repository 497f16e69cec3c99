package dev.deploykit.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.llm.TinyModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

  @Test
  void namesFollowOllamasShortForm() {
    assertThat(ModelStore.normalize("tiny")).isEqualTo("tiny:latest");
    assertThat(ModelStore.normalize("registry.ollama.ai/library/tiny:1b")).isEqualTo("tiny:1b");
    assertThat(ModelStore.normalize("me/model")).isEqualTo("me/model:latest");
    assertThat(ModelStore.validName("me/model:v1")).isTrue();
    assertThat(ModelStore.validName("../escape")).isFalse();
    assertThat(ModelStore.validName("bad name")).isFalse();
  }

  @Test
  void holdsTheGgufFilesOfItsDirectoryAndIgnoresOtherFiles(@TempDir Path dir) throws Exception {
    TinyModel.DEFAULT.writeTo(dir.resolve("tiny.gguf"));
    Files.writeString(dir.resolve("notes.gguf"), "not a model");
    Files.writeString(dir.resolve("README"), "hello");
    ModelStore store = new ModelStore(dir);
    assertThat(store.list()).extracting(ModelStore.Entry::name).containsExactly("tiny:latest");
    assertThat(store.find("tiny")).get().extracting(ModelStore.Entry::digest).isEqualTo(TinyModel.DEFAULT.sha256());
    assertThat(store.find("notes")).isEmpty();
  }

  @Test
  void storesABlobOnlyWhenItsDigestMatchesAndCreatesModelsFromGgufBlobsOnly(@TempDir Path dir) throws Exception {
    ModelStore store = new ModelStore(dir);
    byte[] gguf = TinyModel.DEFAULT.withSeed(3).toBytes();
    String digest = "sha256:" + TinyModel.DEFAULT.withSeed(3).sha256();
    assertThat(store.putBlob("sha256:" + "1".repeat(64), new ByteArrayInputStream(gguf)))
        .isInstanceOf(ModelStore.BlobResult.Mismatch.class);
    assertThat(store.hasBlob("sha256:" + "1".repeat(64))).isFalse();
    assertThat(store.putBlob(digest, new ByteArrayInputStream(gguf))).isInstanceOf(ModelStore.BlobResult.Stored.class);
    ModelStore.Entry created = store.create("me/imported:v2", store.blob(digest).orElseThrow());
    assertThat(created.name()).isEqualTo("me/imported:v2");
    assertThat(store.find("me/imported:v2")).isPresent();
    assertThat(store.delete("me/imported:v2")).isTrue();
    assertThat(store.find("me/imported:v2")).isEmpty();

    byte[] text = "not gguf".getBytes();
    String textDigest = "sha256:" + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(text));
    store.putBlob(textDigest, new ByteArrayInputStream(text));
    assertThatThrownBy(() -> store.create("broken", store.blob(textDigest).orElseThrow()))
        .isInstanceOf(IOException.class).hasMessageContaining("not a GGUF file");
    assertThat(store.find("broken")).isEmpty();
  }
}
