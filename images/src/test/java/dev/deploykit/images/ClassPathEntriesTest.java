package dev.deploykit.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPathEntriesTest {

  @Test
  void identityFollowsContentOnlySoUnchangedCodeIsNotRebuilt(@TempDir Path dir) throws Exception {
    Path classes = dir.resolve("svc/target/classes");
    Files.createDirectories(classes.resolve("a/b"));
    Files.writeString(classes.resolve("a/b/C.class"), "bytes of C");
    Path jar = dir.resolve("lib-1.0.jar");
    Files.writeString(jar, "jar bytes");
    RecipeInput input = RecipeInput.classPath("lib", () -> List.of(classes, jar));

    String before = input.identity();
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(input.identity()).as("timestamps are not content").isEqualTo(before);

    Files.writeString(classes.resolve("a/b/C.class"), "other bytes of C");
    String changedClass = input.identity();
    assertThat(changedClass).isNotEqualTo(before);
    Files.writeString(jar, "other jar bytes");
    assertThat(input.identity()).isNotEqualTo(changedClass);
  }

  @Test
  void writesJarsAndPacksClassFoldersReproducibly(@TempDir Path dir) throws Exception {
    Path classes = dir.resolve("svc/target/classes");
    Files.createDirectories(classes.resolve("a"));
    Files.writeString(classes.resolve("a/C.class"), "C");
    Files.writeString(classes.resolve("res.txt"), "resource");
    Path jar = dir.resolve("lib-1.0.jar");
    Files.writeString(jar, "jar bytes");
    RecipeInput input = RecipeInput.classPath("lib", () -> List.of(classes, jar));

    Path first = Files.createDirectories(dir.resolve("ctx1"));
    Path second = Files.createDirectories(dir.resolve("ctx2"));
    input.writeTo(first);
    Thread.sleep(10);
    input.writeTo(second);

    assertThat(Files.readString(first.resolve("lib/lib-1.0.jar"))).isEqualTo("jar bytes");
    Path packed = first.resolve("lib/svc-classes.jar");
    try (JarFile j = new JarFile(packed.toFile())) {
      assertThat(j.stream().map(e -> e.getName()).toList()).containsExactly("a/C.class", "res.txt");
    }
    assertThat(Files.readAllBytes(packed)).isEqualTo(Files.readAllBytes(second.resolve("lib/svc-classes.jar")));
  }

  @Test
  void namesAMissingEntry(@TempDir Path dir) {
    RecipeInput input = RecipeInput.classPath("lib", () -> List.of(dir.resolve("missing.jar")));
    assertThatThrownBy(input::identity).isInstanceOf(ImageBuildException.class)
        .hasMessageContaining("missing.jar").hasMessageContaining("build it first");
  }
}
