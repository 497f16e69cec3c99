package dev.deploykit.core.internal.compose;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose's duration strings (Go's form): {@code 10s}, {@code 1m30s}, {@code 1.5s}, {@code 250ms}. */
public final class ComposeDurations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private ComposeDurations() {}

  public static Duration parse(Node node) {
    String text = node.string().strip();
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < text.length() && m.find(at) && m.start() == at) {
      BigDecimal amount = new BigDecimal(m.group(1));
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    if (at == 0 || at != text.length()) {
      throw node.error("expected a duration such as 30s, 1m30s or 500ms, found \"" + text + "\"");
    }
    return Duration.ofNanos(nanos.longValue());
  }
}
