package dev.deploykit.images;

import dev.deploykit.images.internal.DebianRootfs;
import dev.deploykit.images.internal.Digests;
import dev.deploykit.images.internal.JarFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Something a recipe puts into its build context besides its own files: a file from the class
 * path (a Maven artifact's content), a file on disk (a jar built by this project), a set of
 * class-path entries (the jars of a Java program, as a folder of jars), or a Debian root file
 * system made by debootstrap.
 *
 * <p>{@link #identity()} says what the input is for the recipe's input hash: an image whose inputs
 * have the same identities is not built again.
 */
public sealed interface RecipeInput {

  /** The file name inside the build context. */
  String contextName();

  /** A stable description of the input's content, for the recipe's input hash. */
  String identity();

  /**
   * Writes the input into the build context directory.
   *
   * @throws ImageBuildException naming the input when it cannot be produced
   */
  void writeTo(Path contextDirectory);

  /**
   * A resource on the class path, typically the content of a Maven artifact that the caller
   * depends on.
   *
   * @param contextName the file name in the build context
   * @param resource the class-path resource name, for example {@code postgres-linux-x86_64.txz}
   * @param artifact the Maven coordinates that carry it, named in the error when it is missing
   */
  static RecipeInput classpathResource(String contextName, String resource, String artifact) {
    return new ClasspathResource(contextName, resource, artifact);
  }

  /** A file on disk, for example a jar that the build produced. */
  static RecipeInput file(String contextName, Path file) {
    return new LocalFile(contextName, file);
  }

  /**
   * A Debian root file system made by {@code debootstrap --variant=minbase}, as a tar file.
   *
   * @param suite the Debian release, for example {@code trixie}
   * @param packages packages to include beyond minbase
   */
  static RecipeInput debianRootfs(String contextName, String suite, List<String> packages) {
    return new DebianRootfsInput(contextName, suite, List.copyOf(packages));
  }

  /**
   * Class-path entries (jars, or class folders such as {@code target/classes}, which are packed
   * into a jar with fixed timestamps) copied into the folder {@code contextName} of the build
   * context: the way an image receives a Java program that this JVM can already run. Its identity
   * is the content hash of every entry, so unchanged code never causes a rebuild.
   *
   * @param contextName the folder in the build context, for example {@code lib}
   * @param entries yields the entries when the image is resolved (not when the recipe is made)
   */
  static RecipeInput classPath(String contextName, Supplier<List<Path>> entries) {
    return new ClassPathEntries(contextName, entries);
  }

  /** See {@link RecipeInput#classpathResource}. */
  record ClasspathResource(String contextName, String resource, String artifact)
      implements RecipeInput {
    public ClasspathResource {
      Objects.requireNonNull(contextName, "contextName");
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(artifact, "artifact");
    }

    @Override
    public String identity() {
      try (InputStream in = open()) {
        return "classpath:" + resource + ":" + Digests.sha256(in);
      } catch (IOException e) {
        throw new ImageBuildException("Could not read " + resource + " from " + artifact, e);
      }
    }

    @Override
    public void writeTo(Path contextDirectory) {
      try (InputStream in = open()) {
        Files.copy(in, contextDirectory.resolve(contextName), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new ImageBuildException("Could not copy " + resource + " from " + artifact
            + " into the build context", e);
      }
    }

    private InputStream open() {
      InputStream in = Thread.currentThread().getContextClassLoader() != null
          ? Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)
          : null;
      if (in == null) {
        in = RecipeInput.class.getClassLoader().getResourceAsStream(resource);
      }
      if (in == null) {
        throw new ImageBuildException("The class-path resource " + resource
            + " is missing: add the Maven artifact " + artifact + " to the class path");
      }
      return in;
    }
  }

  /** See {@link RecipeInput#file}. */
  record LocalFile(String contextName, Path file) implements RecipeInput {
    public LocalFile {
      Objects.requireNonNull(contextName, "contextName");
      Objects.requireNonNull(file, "file");
    }

    @Override
    public String identity() {
      try (InputStream in = Files.newInputStream(file)) {
        return "file:" + contextName + ":" + Digests.sha256(in);
      } catch (IOException e) {
        throw new ImageBuildException("Could not read " + file + ": build it first", e);
      }
    }

    @Override
    public void writeTo(Path contextDirectory) {
      try {
        Files.copy(file, contextDirectory.resolve(contextName), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new ImageBuildException("Could not copy " + file + " into the build context", e);
      }
    }
  }

  /** See {@link RecipeInput#classPath}. */
  record ClassPathEntries(String contextName, Supplier<List<Path>> entries) implements RecipeInput {
    public ClassPathEntries {
      Objects.requireNonNull(contextName, "contextName");
      Objects.requireNonNull(entries, "entries");
    }

    @Override
    public String identity() {
      MessageDigest digest = Digests.newSha256();
      for (Path entry : resolved()) {
        digest.update((JarFolder.jarName(entry) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
          digest.update(JarFolder.contentHash(entry).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new ImageBuildException("Could not read the class-path entry " + entry, e);
        }
      }
      return "classpath-entries:" + contextName + ":" + HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void writeTo(Path contextDirectory) {
      Path folder = contextDirectory.resolve(contextName);
      for (Path entry : resolved()) {
        try {
          Files.createDirectories(folder);
          JarFolder.copyAsJar(entry, folder.resolve(JarFolder.jarName(entry)));
        } catch (IOException e) {
          throw new ImageBuildException("Could not copy the class-path entry " + entry
              + " into the build context", e);
        }
      }
    }

    private List<Path> resolved() {
      List<Path> list = new ArrayList<>(entries.get());
      if (list.isEmpty()) {
        throw new ImageBuildException("No class-path entries for " + contextName);
      }
      for (Path p : list) {
        if (!Files.exists(p)) {
          throw new ImageBuildException("The class-path entry " + p + " does not exist: build it first");
        }
      }
      return list;
    }
  }

  /** See {@link RecipeInput#debianRootfs}. */
  record DebianRootfsInput(String contextName, String suite, List<String> packages)
      implements RecipeInput {
    public DebianRootfsInput {
      Objects.requireNonNull(contextName, "contextName");
      Objects.requireNonNull(suite, "suite");
      packages = List.copyOf(packages);
    }

    @Override
    public String identity() {
      return "debootstrap:minbase:" + suite + ":" + String.join(",", packages) + ":" + DebianRootfs.MIRROR;
    }

    @Override
    public void writeTo(Path contextDirectory) {
      DebianRootfs.build(suite, packages, contextDirectory.resolve(contextName));
    }
  }
}
