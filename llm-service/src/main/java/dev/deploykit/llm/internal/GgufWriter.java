package dev.deploykit.llm.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes GGUF version 3 files: a little-endian header, metadata key/value pairs, tensor
 * descriptions, then the tensor data from the next 32-byte boundary, each tensor padded to 32
 * bytes. Only what the tiny model needs: scalars, arrays, strings and F32 tensors.
 *
 * <p>Not thread-safe; one writer per file.
 */
public final class GgufWriter {
  private static final int ALIGNMENT = 32;
  private static final int UINT32 = 4;
  private static final int INT32 = 5;
  private static final int FLOAT32 = 6;
  private static final int BOOL = 7;
  private static final int STRING = 8;
  private static final int ARRAY = 9;
  private static final int GGML_TYPE_F32 = 0;

  private final Section metadata = new Section();
  private int metadataCount;
  private final List<Tensor> tensors = new ArrayList<>();

  private record Tensor(String name, long[] dims, float[] data) {}

  public void string(String key, String value) {
    key(key, STRING);
    metadata.string(value);
  }

  public void uint32(String key, int value) {
    key(key, UINT32);
    metadata.int32(value);
  }

  public void float32(String key, float value) {
    key(key, FLOAT32);
    metadata.float32(value);
  }

  public void bool(String key, boolean value) {
    key(key, BOOL);
    metadata.byte8(value ? 1 : 0);
  }

  public void stringArray(String key, List<String> values) {
    key(key, ARRAY);
    metadata.int32(STRING);
    metadata.int64(values.size());
    values.forEach(metadata::string);
  }

  public void float32Array(String key, float[] values) {
    key(key, ARRAY);
    metadata.int32(FLOAT32);
    metadata.int64(values.length);
    for (float v : values) {
      metadata.float32(v);
    }
  }

  public void int32Array(String key, int[] values) {
    key(key, ARRAY);
    metadata.int32(INT32);
    metadata.int64(values.length);
    for (int v : values) {
      metadata.int32(v);
    }
  }

  public void tensorF32(String name, long[] dims, float[] data) {
    tensors.add(new Tensor(name, dims.clone(), data));
  }

  public byte[] toBytes() {
    Section out = new Section();
    out.raw("GGUF".getBytes(StandardCharsets.US_ASCII));
    out.int32(3);
    out.int64(tensors.size());
    out.int64(metadataCount);
    out.raw(metadata.bytes());
    long offset = 0;
    for (Tensor t : tensors) {
      out.string(t.name());
      out.int32(t.dims().length);
      for (long d : t.dims()) {
        out.int64(d);
      }
      out.int32(GGML_TYPE_F32);
      out.int64(offset);
      offset = align(offset + 4L * t.data().length);
    }
    out.pad();
    for (Tensor t : tensors) {
      ByteBuffer buffer = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
      buffer.asFloatBuffer().put(t.data());
      out.raw(buffer.array());
      out.pad();
    }
    return out.bytes();
  }

  private void key(String key, int type) {
    metadata.string(key);
    metadata.int32(type);
    metadataCount++;
  }

  private static long align(long n) {
    return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  /** A growing little-endian byte buffer. */
  private static final class Section {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    void byte8(int v) {
      bytes.write(v);
    }

    void int32(int v) {
      scratch.clear();
      scratch.putInt(v);
      bytes.write(scratch.array(), 0, 4);
    }

    void int64(long v) {
      scratch.clear();
      scratch.putLong(v);
      bytes.write(scratch.array(), 0, 8);
    }

    void float32(float v) {
      int32(Float.floatToRawIntBits(v));
    }

    void string(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      int64(utf8.length);
      raw(utf8);
    }

    void raw(byte[] b) {
      bytes.write(b, 0, b.length);
    }

    void pad() {
      while (bytes.size() % ALIGNMENT != 0) {
        bytes.write(0);
      }
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }
}
