/**
 * The server's implementation: GGUF reading and writing, the model store, the llama.cpp runners,
 * the HTTP routes and the image's main class. Not an API: it changes without notice.
 */
@NullMarked
package dev.deploykit.llm.internal;

import org.jspecify.annotations.NullMarked;
