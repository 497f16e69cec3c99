package dev.deploykit.llm;

import dev.deploykit.llm.internal.GgufWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny LLaMA-architecture model with seeded random weights, written as a GGUF v3 file that
 * llama.cpp loads in milliseconds. Its text is noise, but the inference that produces it is real.
 *
 * <pre>{@code
 * TinyModel.DEFAULT.writeTo(Path.of("models/tiny.gguf"));   // about 0.5 MB, same bytes every time
 * }</pre>
 *
 * <p>The vocabulary holds the control tokens {@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte
 * tokens {@code <0x00>}..{@code <0xFF>} (so any UTF-8 prompt tokenizes; without them llama.cpp
 * aborts the JVM on an unknown character) and a few SentencePiece pieces. Generation is
 * deterministic: the same shape and seed give the same bytes.
 *
 * @param name the model's {@code general.name}
 * @param seed the seed of the weights
 * @param embeddingLength the width of the hidden state ({@code llama.embedding_length})
 * @param blockCount the number of transformer blocks
 * @param headCount the number of attention heads
 * @param headCountKv the number of key/value heads (grouped-query attention when fewer)
 * @param feedForwardLength the width of the feed-forward layer
 * @param contextLength the context the model was "trained" for ({@code llama.context_length})
 *
 * <p>Thread safety: immutable.
 */
public record TinyModel(
    String name,
    long seed,
    int embeddingLength,
    int blockCount,
    int headCount,
    int headCountKv,
    int feedForwardLength,
    int contextLength) {

  /** The model baked into the image: 64 wide, 2 blocks, 4 heads / 2 KV heads, context 256. */
  public static final TinyModel DEFAULT = new TinyModel("deploykit-tiny", 42, 64, 2, 4, 2, 128, 256);

  /** Token id of {@code <unk>}, {@code <s>} and {@code </s>} (llama.cpp's defaults). */
  static final int UNK = 0;
  static final int BOS = 1;
  static final int EOS = 2;

  private static final int TYPE_NORMAL = 1;
  private static final int TYPE_UNKNOWN = 2;
  private static final int TYPE_CONTROL = 3;
  private static final int TYPE_BYTE = 6;
  private static final String SPACE = "\u2581";
  private static final List<String> WORDS = List.of(
      "the", "and", "deploy", "kit", "model", "server", "health", "release", "stack", "worker",
      "data", "base", "java", "llama", "ollama", "token", "hello", "world", "zero", "down", "time",
      "is", "to", "of", "in", "it", "on", "for", "with");

  /**
   * Validates the shape.
   *
   * @throws IllegalArgumentException naming the first invalid field
   */
  public TinyModel {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    positive(embeddingLength, "embeddingLength");
    positive(blockCount, "blockCount");
    positive(headCount, "headCount");
    positive(headCountKv, "headCountKv");
    positive(feedForwardLength, "feedForwardLength");
    positive(contextLength, "contextLength");
    if (embeddingLength % headCount != 0) {
      throw new IllegalArgumentException("embeddingLength " + embeddingLength
          + " must be a multiple of headCount " + headCount);
    }
    if (headCount % headCountKv != 0) {
      throw new IllegalArgumentException("headCount " + headCount
          + " must be a multiple of headCountKv " + headCountKv);
    }
  }

  /** A copy with another seed. */
  public TinyModel withSeed(long newSeed) {
    return new TinyModel(name, newSeed, embeddingLength, blockCount, headCount, headCountKv,
        feedForwardLength, contextLength);
  }

  /** The vocabulary, in token-id order. */
  public static List<String> vocabulary() {
    List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
    for (int b = 0; b < 256; b++) {
      tokens.add(String.format(Locale.ROOT, "<0x%02X>", b));
    }
    tokens.add(SPACE);
    for (char c = 'a'; c <= 'z'; c++) {
      tokens.add(String.valueOf(c));
      tokens.add(SPACE + c);
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      tokens.add(String.valueOf(c));
    }
    for (char c = '0'; c <= '9'; c++) {
      tokens.add(String.valueOf(c));
    }
    for (String w : WORDS) {
      tokens.add(SPACE + w);
    }
    return List.copyOf(tokens);
  }

  /** The number of weights (every tensor element). */
  public long parameterCount() {
    return tensors().values().stream().mapToLong(TinyModel::elements).sum();
  }

  /**
   * Writes the model to {@code file} (atomically: a reader never sees half a file).
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public void writeTo(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, ".tiny-model-", ".tmp");
      try {
        Files.write(temp, toBytes());
        if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
          // Readable like any model file (a temporary file starts as owner-only).
          Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the tiny model to " + file, e);
    }
  }

  /** The GGUF v3 file content. */
  public byte[] toBytes() {
    List<String> vocab = vocabulary();
    GgufWriter gguf = new GgufWriter();
    gguf.string("general.architecture", "llama");
    gguf.string("general.name", name);
    gguf.string("general.description", "Random weights (seed " + seed + "): real inference, noise text");
    gguf.uint32("general.file_type", 0);
    gguf.uint32("llama.context_length", contextLength);
    gguf.uint32("llama.embedding_length", embeddingLength);
    gguf.uint32("llama.block_count", blockCount);
    gguf.uint32("llama.feed_forward_length", feedForwardLength);
    gguf.uint32("llama.attention.head_count", headCount);
    gguf.uint32("llama.attention.head_count_kv", headCountKv);
    gguf.uint32("llama.rope.dimension_count", embeddingLength / headCount);
    gguf.float32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    gguf.string("tokenizer.ggml.model", "llama");
    gguf.stringArray("tokenizer.ggml.tokens", vocab);
    float[] scores = new float[vocab.size()];
    int[] types = new int[vocab.size()];
    for (int i = 0; i < vocab.size(); i++) {
      // SentencePiece merges prefer higher scores: longer pieces win over their parts.
      scores[i] = i < 259 ? 0f : vocab.get(i).length() - 1f;
      types[i] = switch (i) {
        case UNK -> TYPE_UNKNOWN;
        case BOS, EOS -> TYPE_CONTROL;
        default -> i < 259 ? TYPE_BYTE : TYPE_NORMAL;
      };
    }
    gguf.float32Array("tokenizer.ggml.scores", scores);
    gguf.int32Array("tokenizer.ggml.token_type", types);
    gguf.uint32("tokenizer.ggml.unknown_token_id", UNK);
    gguf.uint32("tokenizer.ggml.bos_token_id", BOS);
    gguf.uint32("tokenizer.ggml.eos_token_id", EOS);
    gguf.bool("tokenizer.ggml.add_bos_token", true);

    SplittableRandom random = new SplittableRandom(seed);
    for (Map.Entry<String, long[]> tensor : tensors().entrySet()) {
      long[] dims = tensor.getValue();
      float[] data = new float[Math.toIntExact(elements(dims))];
      if (tensor.getKey().endsWith("norm.weight")) {
        java.util.Arrays.fill(data, 1f);
      } else {
        // Scaled like an initialised network (std 1/sqrt(fan-in)) so activations stay finite.
        double std = 1.0 / Math.sqrt(dims[0]);
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) (gaussian(random) * std);
        }
      }
      gguf.tensorF32(tensor.getKey(), dims, data);
    }
    return gguf.toBytes();
  }

  /** The SHA-256 of {@link #toBytes()}, hex encoded. */
  public String sha256() {
    try {
      return HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(toBytes()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }

  /** Tensor names and dimensions (contiguous dimension first), in file order. */
  private Map<String, long[]> tensors() {
    int vocab = vocabulary().size();
    int headDim = embeddingLength / headCount;
    Map<String, long[]> t = new LinkedHashMap<>();
    t.put("token_embd.weight", new long[] {embeddingLength, vocab});
    for (int b = 0; b < blockCount; b++) {
      String p = "blk." + b + ".";
      t.put(p + "attn_norm.weight", new long[] {embeddingLength});
      t.put(p + "attn_q.weight", new long[] {embeddingLength, (long) headCount * headDim});
      t.put(p + "attn_k.weight", new long[] {embeddingLength, (long) headCountKv * headDim});
      t.put(p + "attn_v.weight", new long[] {embeddingLength, (long) headCountKv * headDim});
      t.put(p + "attn_output.weight", new long[] {(long) headCount * headDim, embeddingLength});
      t.put(p + "ffn_norm.weight", new long[] {embeddingLength});
      t.put(p + "ffn_gate.weight", new long[] {embeddingLength, feedForwardLength});
      t.put(p + "ffn_up.weight", new long[] {embeddingLength, feedForwardLength});
      t.put(p + "ffn_down.weight", new long[] {feedForwardLength, embeddingLength});
    }
    t.put("output_norm.weight", new long[] {embeddingLength});
    t.put("output.weight", new long[] {embeddingLength, vocab});
    return t;
  }

  private static long elements(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /** Box-Muller on the seeded generator: the same numbers on every JVM. */
  private static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  private static void positive(int value, String field) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, was " + value);
    }
  }
}
