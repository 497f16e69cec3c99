package dev.deploykit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code --json} documents: plain maps and lists turned into JSON. Records become objects of
 * their components, durations are seconds, instants ISO-8601. Callers redact secrets before.
 */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(plain(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write JSON", e);
    }
  }

  /** A JSON document (one a library wrote, a health report) as maps and lists, to nest in another. */
  static @Nullable Object parse(String document) {
    try {
      return MAPPER.readValue(document, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read JSON", e);
    }
  }

  /** The value as maps, lists, strings, numbers and booleans. */
  static @Nullable Object plain(@Nullable Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Duration d) {
      return d.toNanos() / 1e9;
    }
    if (value instanceof Instant || value instanceof URI || value instanceof Path || value instanceof Enum<?>) {
      return value.toString();
    }
    if (value instanceof Optional<?> o) {
      return plain(o.orElse(null));
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>();
      c.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (value instanceof Record r) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        try {
          out.put(rc.getName(), plain(rc.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("Cannot read " + rc, e);
        }
      }
      return out;
    }
    return value.toString();
  }

  /**
   * The document with one more top-level field (a document that is not an object is returned as
   * it is; a field it already has is kept).
   */
  static String withField(String document, String name, Object value) {
    try {
      if (!(MAPPER.readTree(document) instanceof com.fasterxml.jackson.databind.node.ObjectNode object)
          || object.has(name)) {
        return document;
      }
      object.set(name, MAPPER.valueToTree(plain(value)));
      return MAPPER.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      return document;
    }
  }

  /** A map with these keys and values, in order (values may be null). */
  static Map<String, @Nullable Object> object(@Nullable Object... keysAndValues) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
    }
    return out;
  }
}
