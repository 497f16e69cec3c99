/**
 * deploykit deploy-runpod: an Ollama + GGUF worker image built and pushed, a RunPod serverless
 * endpoint created and scaled through the management API (REST v2), and the endpoint's
 * invocation API ({@code dev.deploykit.runpod}). The queue worker that runs in the image
 * ({@code dev.deploykit.runpod.worker}) and the implementation ({@code .internal}) are not
 * exported.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.deploykit.runpod {
  exports dev.deploykit.runpod;

  requires transitive dev.deploykit.core;
  requires transitive dev.deploykit.health;
  requires transitive okhttp3;
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.dockerjava.api;
  requires java.net.http;
  requires org.slf4j;
  requires static transitive org.jspecify;
}
