package dev.deploykit.llm.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata of a GGUF file (the key/value pairs of its header), read without loading the
 * tensors: what {@code /api/show} reports and what the server checks before handing a file to
 * llama.cpp (which reports a bad file only as "could not load model").
 *
 * @param version the GGUF version
 * @param tensorCount the number of tensors
 * @param parameterCount the number of weights (elements of every tensor)
 * @param values the key/value pairs in file order; arrays are lists
 */
public record GgufMetadata(
    int version, long tensorCount, long parameterCount, Map<String, Object> values) {
  private static final int MAGIC = 0x46554747; // "GGUF" read little-endian

  public GgufMetadata {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * Reads the header of {@code file}.
   *
   * @throws IOException when the file cannot be read or is not GGUF v2/v3
   */
  public static GgufMetadata read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    }
  }

  /** Reads a GGUF header from a stream (only the header is consumed). */
  public static GgufMetadata read(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
    try {
      int magic = Integer.reverseBytes(in.readInt());
      if (magic != MAGIC) {
        throw new IOException("not a GGUF file (bad magic)");
      }
      int version = Integer.reverseBytes(in.readInt());
      if (version < 2 || version > 3) {
        throw new IOException("unsupported GGUF version " + version);
      }
      long tensors = Long.reverseBytes(in.readLong());
      long count = Long.reverseBytes(in.readLong());
      if (count < 0 || count > 100_000 || tensors < 0) {
        throw new IOException("corrupt GGUF header");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      for (long i = 0; i < count; i++) {
        String key = string(in);
        int type = Integer.reverseBytes(in.readInt());
        values.put(key, value(in, type));
      }
      long parameters = 0;
      for (long t = 0; t < tensors; t++) {
        string(in);
        int dims = Integer.reverseBytes(in.readInt());
        if (dims < 0 || dims > 8) {
          throw new IOException("corrupt GGUF tensor description");
        }
        long elements = 1;
        for (int d = 0; d < dims; d++) {
          elements *= Long.reverseBytes(in.readLong());
        }
        in.readInt(); // type
        in.readLong(); // offset
        parameters += elements;
      }
      return new GgufMetadata(version, tensors, parameters, values);
    } catch (EOFException e) {
      throw new IOException("truncated GGUF file", e);
    }
  }

  /** A string value, if present. */
  public Optional<String> string(String key) {
    return values.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** A numeric value, if present. */
  public Optional<Long> number(String key) {
    return values.get(key) instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
  }

  /** {@code general.architecture}, or {@code unknown}. */
  public String architecture() {
    return string("general.architecture").orElse("unknown");
  }

  /** The architecture's context length, if declared. */
  public Optional<Long> contextLength() {
    return number(architecture() + ".context_length");
  }

  /** The vocabulary ({@code tokenizer.ggml.tokens}), empty when absent. */
  public List<String> tokens() {
    if (values.get("tokenizer.ggml.tokens") instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /** The token types ({@code tokenizer.ggml.token_type}), empty when absent. */
  public List<Integer> tokenTypes() {
    if (values.get("tokenizer.ggml.token_type") instanceof List<?> list) {
      return list.stream().map(o -> ((Number) o).intValue()).toList();
    }
    return List.of();
  }

  private static Object value(DataInputStream in, int type) throws IOException {
    return switch (type) {
      case 0 -> in.readUnsignedByte();
      case 1 -> (int) in.readByte();
      case 2 -> Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
      case 3 -> (int) Short.reverseBytes(in.readShort());
      case 4 -> Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
      case 5 -> Integer.reverseBytes(in.readInt());
      case 6 -> Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
      case 7 -> in.readUnsignedByte() != 0;
      case 8 -> string(in);
      case 9 -> {
        int elementType = Integer.reverseBytes(in.readInt());
        long n = Long.reverseBytes(in.readLong());
        if (n < 0 || n > 10_000_000) {
          throw new IOException("corrupt GGUF array length " + n);
        }
        List<Object> list = new ArrayList<>((int) Math.min(n, 1 << 16));
        for (long i = 0; i < n; i++) {
          list.add(value(in, elementType));
        }
        yield List.copyOf(list);
      }
      case 10 -> Long.reverseBytes(in.readLong());
      case 11 -> Long.reverseBytes(in.readLong());
      case 12 -> Double.longBitsToDouble(Long.reverseBytes(in.readLong()));
      default -> throw new IOException("unknown GGUF value type " + type);
    };
  }

  private static String string(DataInputStream in) throws IOException {
    long n = Long.reverseBytes(in.readLong());
    if (n < 0 || n > 64 << 20) {
      throw new IOException("corrupt GGUF string length " + n);
    }
    return new String(in.readNBytes((int) n), StandardCharsets.UTF_8);
  }
}
