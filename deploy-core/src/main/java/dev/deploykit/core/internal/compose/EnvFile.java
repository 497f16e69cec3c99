package dev.deploykit.core.internal.compose;

import dev.deploykit.core.StackFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A dotenv file as Compose reads it: {@code KEY=value} lines, {@code #} comments, blank lines, an
 * optional {@code export } prefix, single-quoted values taken literally, double-quoted values with
 * {@code \n}, {@code \t}, {@code \"} and {@code \\} escapes.
 */
public final class EnvFile {
  private EnvFile() {}

  /**
   * The file's variables in file order.
   *
   * @throws StackFileException naming the file and line of a malformed entry, or the missing file
   */
  public static Map<String, String> read(Path file, @Nullable Node reference) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw error(file, reference, "env file " + file + " does not exist");
    } catch (IOException e) {
      throw error(file, reference, "env file " + file + " cannot be read: " + e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      String key = (eq < 0 ? line : line.substring(0, eq)).strip();
      if (!key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
        throw new StackFileException(file, n + 1, null,
            "expected KEY=value, found \"" + lines.get(n).strip() + "\"");
      }
      if (eq < 0) {
        continue; // A bare KEY names a variable without a value: Compose leaves it unset.
      }
      values.put(key, value(line.substring(eq + 1).strip(), file, n + 1));
    }
    return values;
  }

  private static StackFileException error(Path file, @Nullable Node reference, String problem) {
    return reference == null ? new StackFileException(file, 0, null, problem) : reference.error(problem);
  }

  private static String value(String raw, Path file, int line) {
    if (raw.startsWith("'")) {
      int end = raw.indexOf('\'', 1);
      if (end < 0) {
        throw new StackFileException(file, line, null, "unclosed ' quote");
      }
      return raw.substring(1, end);
    }
    if (raw.startsWith("\"")) {
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\' && i + 1 < raw.length()) {
          char e = raw.charAt(++i);
          out.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            default -> e;
          });
        } else {
          out.append(c);
        }
      }
      throw new StackFileException(file, line, null, "unclosed \" quote");
    }
    int comment = raw.indexOf(" #");
    return (comment < 0 ? raw : raw.substring(0, comment)).strip();
  }
}
