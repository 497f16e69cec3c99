package dev.deploykit.sample.common;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The samples' log: one line on standard output per event, after the instant it happened. */
public final class Console {
  private Console() {}

  /** Prints {@code line} after the current instant. */
  public static void log(String line) {
    System.out.println(Instant.now() + " " + line);
  }

  /** An exception's message on one line, for the log ({@code no message} when it has none). */
  public static String oneLine(@Nullable String message) {
    return message == null ? "no message" : message.strip().replaceAll("\\s*\\n\\s*", " ");
  }
}
