/**
 * An Ollama + GGUF model on RunPod serverless: {@link dev.deploykit.runpod.WorkerImage} builds
 * and pushes the worker image, {@link dev.deploykit.runpod.RunPodApi} manages templates,
 * endpoints (idempotent by name), workers and registry credentials through REST v2, and
 * {@link dev.deploykit.runpod.EndpointClient} runs jobs on an endpoint. Failures are
 * {@link dev.deploykit.runpod.RunPodException}s with one line; the API key is never shown.
 */
@NullMarked
package dev.deploykit.runpod;

import org.jspecify.annotations.NullMarked;
