package dev.deploykit.it.runpod;

import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.llm.TinyModel;
import dev.deploykit.runpod.WorkerImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/** The worker images the RunPod ITs build: the tiny generated GGUF on the Ollama base as the suite resolves it. */
final class RunPodImages {
  private RunPodImages() {}

  /** The engine, as deploy-core speaks to it (on Testcontainers' client). */
  static DockerHost host() {
    return DockerHost.of(DockerClientFactory.instance().client(), "local engine");
  }

  /** The official Ollama image, or its stand-in where it cannot be pulled. */
  static String ollamaBase() {
    return StandInImageSubstitutor.resolve(WorkerImage.DEFAULT_BASE_IMAGE);
  }

  /** The official Java runtime image the worker's JRE is copied from, or its stand-in. */
  static String javaRuntime() {
    return StandInImageSubstitutor.resolve(WorkerImage.DEFAULT_JAVA_IMAGE);
  }

  /** A GGUF file of the tiny model, seeded so that two seeds give two images. */
  static Path model(Path dir, String name, long seed) throws IOException {
    Path file = dir.resolve(name + ".gguf");
    Files.createDirectories(dir);
    TinyModel.DEFAULT.withSeed(seed).writeTo(file);
    return file;
  }
}
