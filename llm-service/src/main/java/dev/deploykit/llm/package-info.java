/**
 * An Ollama-API-compatible server running real llama.cpp inference, and the tiny generated model
 * it serves in deploykit's suite and demo.
 *
 * <p>Entry points: {@link dev.deploykit.llm.OllamaServer} (in-process server) and
 * {@link dev.deploykit.llm.TinyModel} (the seeded GGUF generator). The image
 * {@code deploykit.local/ollama} runs {@code dev.deploykit.llm.internal.Main}.
 */
@NullMarked
package dev.deploykit.llm;

import org.jspecify.annotations.NullMarked;
