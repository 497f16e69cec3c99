package dev.deploykit.health.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Renders {@link HealthReport}s as health+json and as a text table; stateless, thread-safe. */
public final class ReportRenderer {
  // Immutable once built; thread-safe to share.
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private ReportRenderer() {}

  /** See {@link HealthReport#toJson()}. */
  public static String json(HealthReport report) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("status", report.status().healthJsonValue());
      g.writeStringField("description", "deploykit health");
      g.writeStringField("time", report.startedAt().toString());
      g.writeNumberField("durationMs", millis(report.duration()));
      g.writeObjectFieldStart("checks");
      for (ComponentHealth c : report.checks()) {
        g.writeArrayFieldStart(c.name());
        g.writeStartObject();
        g.writeStringField("componentId", c.name());
        g.writeStringField("status", c.status().healthJsonValue());
        g.writeNumberField("observedValue", millis(c.result().latency()));
        g.writeStringField("observedUnit", "ms");
        g.writeStringField("time", c.observedAt().toString());
        if (c.status() != HealthStatus.UP) {
          g.writeStringField("output", c.result().detail());
        }
        g.writeBooleanField("critical", c.critical());
        g.writeStringField("detail", c.result().detail());
        if (!c.age().isZero()) {
          g.writeNumberField("ageMs", millis(c.age()));
        }
        if (!c.groups().isEmpty()) {
          g.writeArrayFieldStart("groups");
          for (String group : c.groups().stream().sorted().toList()) {
            g.writeString(group);
          }
          g.writeEndArray();
        }
        if (!c.result().data().isEmpty()) {
          g.writeObjectFieldStart("data");
          for (Map.Entry<String, Object> e : c.result().data().entrySet()) {
            writeValue(g, e.getKey(), e.getValue());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** See {@link HealthReport#toText()}. */
  public static String text(HealthReport report) {
    int nameWidth = "CHECK".length();
    for (ComponentHealth c : report.checks()) {
      nameWidth = Math.max(nameWidth, c.name().length() + (c.critical() ? 0 : 1));
    }
    String format = "%-" + nameWidth + "s  %-8s  %10s  %8s  %s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, format, "CHECK", "STATUS", "LATENCY", "AGE", "DETAIL"));
    for (ComponentHealth c : report.checks()) {
      sb.append(String.format(Locale.ROOT, format,
          c.name() + (c.critical() ? "" : "*"),
          c.status(),
          human(c.result().latency()),
          c.age().isZero() ? "-" : human(c.age()),
          c.result().detail()));
    }
    sb.append(String.format(Locale.ROOT, "overall: %s in %s (%d checks%s)%n", report.status(),
        human(report.duration()), report.checks().size(),
        report.checks().stream().anyMatch(c -> !c.critical()) ? "; * = not critical" : ""));
    return sb.toString();
  }

  /** A duration for people: {@code 850us}, {@code 12.3ms}, {@code 2.50s}, {@code 3m05s}. */
  public static String human(Duration d) {
    long nanos = d.toNanos();
    if (nanos < 1_000_000) {
      return (nanos / 1000) + "us";
    }
    if (nanos < 1_000_000_000) {
      return nanos % 1_000_000 == 0
          ? (nanos / 1_000_000) + "ms"
          : String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
    if (d.toSeconds() < 60) {
      return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }
    return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }

  private static BigDecimal millis(Duration d) {
    return BigDecimal.valueOf(d.toNanos()).movePointLeft(6).setScale(3, RoundingMode.HALF_UP);
  }

  private static void writeValue(JsonGenerator g, String key, Object value) throws IOException {
    switch (value) {
      case Integer i -> g.writeNumberField(key, i);
      case Long l -> g.writeNumberField(key, l);
      case Double x -> g.writeNumberField(key, x);
      case Float x -> g.writeNumberField(key, x);
      case BigDecimal x -> g.writeNumberField(key, x);
      case BigInteger x -> g.writeNumberField(key, x);
      case Number n -> g.writeNumberField(key, n.doubleValue());
      case Boolean b -> g.writeBooleanField(key, b);
      default -> g.writeStringField(key, value.toString());
    }
  }
}
