/**
 * deploykit images: the official images the suite and the demo use, or stand-ins built from
 * recipes when no registry is reachable. {@code dev.deploykit.images.internal} is not exported.
 *
 * <p>The programs that stand-ins carry (the LLM stand-in of deploykit-llm-service, the sample
 * app and worker) are read from the class path, not required here: they are programs without a
 * module descriptor whose recipes copy their class-path entries into images as they are, and a
 * reactor build hands them to the compiler as class folders, which cannot be named modules. The
 * compiler reads them with {@code --add-reads dev.deploykit.images=ALL-UNNAMED} (images' pom);
 * on a module path, the same option is needed at run time. The recipes' files are read through
 * the module's own classes ({@code Class.getResourceAsStream}), so no package is opened for them.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.deploykit.images {
  // The automatic modules required here (docker-java) name themselves in their
  // manifests (Automatic-Module-Name): their names are stable.
  exports dev.deploykit.images;

  // StandInImages takes the caller's DockerClient.
  requires transitive com.github.dockerjava.api;
  requires static transitive org.jspecify;

  requires com.github.dockerjava.core;
  requires org.slf4j;

  // docker-java-core is an automatic module: it declares no requires, so the explicit modules it
  // uses at run time are resolved only when some module requires them (as in deploy-core).
  requires com.google.common;
  requires org.apache.commons.compress;
  requires org.apache.commons.io;
  requires org.apache.commons.lang3;
  requires org.bouncycastle.pkix;
}
