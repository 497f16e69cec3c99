/**
 * deploykit deploy-core: the release engine ({@code dev.deploykit.core}) and the engine SPI, the
 * one interface to a Docker engine and the types it speaks ({@code dev.deploykit.core.engine}).
 * Nothing under {@code dev.deploykit.core.internal} is exported.
 *
 * <p>db-init is optional: {@code DatabaseStep.fromStack()} runs it when the module {@code
 * dev.deploykit.dbinit} is present (on a module path, resolve it with {@code --add-modules
 * dev.deploykit.dbinit} or a {@code requires} of the application's own) and refuses a stack that
 * asks for it otherwise. The host state is written and read as JSON trees built by hand, so no
 * package is opened to Jackson.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.deploykit.core {
  // The automatic modules required here (docker-java) name themselves in their
  // manifests (Automatic-Module-Name): their names are stable.
  exports dev.deploykit.core;
  exports dev.deploykit.core.engine;
  exports dev.deploykit.core.host;
  exports dev.deploykit.core.backup;
  exports dev.deploykit.core.swarm;

  // In the API: DockerHost.client() returns docker-java's DockerClient, Deployer.Builder takes
  // an OkHttpClient and health's TimeSource.
  requires transitive com.github.dockerjava.api;
  requires transitive dev.deploykit.health;
  requires transitive okhttp3;
  requires static transitive org.jspecify;

  requires com.fasterxml.jackson.databind;
  requires com.github.dockerjava.core;
  requires com.github.dockerjava.transport.zerodep;
  requires org.apache.commons.compress;
  requires org.slf4j;
  requires org.snakeyaml.engine.v2;
  requires com.hierynomus.sshj;
  requires static dev.deploykit.dbinit;

  // docker-java-core is an automatic module: it declares no requires, so the explicit modules it
  // uses at run time are resolved only when some module requires them. Required here so that
  // deploy-core starts on a plain module path (java -p ... --add-modules dev.deploykit.core);
  // deploy-core itself does not use them.
  requires com.google.common;
  requires org.apache.commons.io;
  requires org.apache.commons.lang3;
  requires org.bouncycastle.pkix;
}
