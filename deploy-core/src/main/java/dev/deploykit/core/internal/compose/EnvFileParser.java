package dev.deploykit.core.internal.compose;

import dev.deploykit.core.StackFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The scanner behind {@link EnvFile}: one pass over the text, statement by statement, counting
 * lines so that every error names one. It follows compose-go's {@code dotenv} parser, statement
 * boundaries included: a quoted value may span lines, and whatever follows its closing quote is
 * read as the next statement (a {@code #} there starts a comment).
 */
final class EnvFileParser {
  private final String text;
  private final Path file;
  private final Function<String, @Nullable String> lookup;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Interpolation interpolation;
  private int at;
  private int line = 1;

  EnvFileParser(String text, Path file, Function<String, @Nullable String> lookup) {
    // Some editors start a file with a byte order mark; Compose skips it too.
    this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    this.file = file;
    this.lookup = lookup;
    // Compose resolves from the environment first, then from the entries above in the file.
    this.interpolation = new Interpolation(name -> {
      String value = lookup.apply(name);
      return value != null ? value : values.get(name);
    });
  }

  Map<String, String> parse() {
    while (skipToStatement()) {
      statement();
    }
    return values;
  }

  /** Skips blanks, line breaks and comment lines; false at the end of the text. */
  private boolean skipToStatement() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '\n') {
        line++;
        at++;
      } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        at++;
      } else if (c == '#') {
        int end = text.indexOf('\n', at);
        at = end < 0 ? text.length() : end;
      } else {
        return true;
      }
    }
    return false;
  }

  private void statement() {
    int statementLine = line;
    String source = currentLine();
    skipExport();
    int start = at;
    while (at < text.length() && "=:\n".indexOf(text.charAt(at)) < 0) {
      char c = text.charAt(at);
      if (!isBlank(c) && !isNameChar(c)) {
        throw error(statementLine, null, "unexpected character \"" + c + "\" in the variable name of \""
            + source + "\"; expected KEY=value");
      }
      at++;
    }
    String name = text.substring(start, at).strip();
    if (name.isEmpty()) {
      throw error(statementLine, null, "expected KEY=value, found \"" + source + "\"");
    }
    if (name.chars().anyMatch(c -> isBlank((char) c))) {
      throw error(statementLine, null, "a variable name cannot contain a space: \"" + source + "\"");
    }
    if (at >= text.length() || text.charAt(at) == '\n') {
      // A bare KEY passes the variable through from the environment; unknown there, it stays unset.
      String inherited = lookup.apply(name);
      if (inherited != null) {
        values.put(name, inherited);
      }
      return;
    }
    at++;
    while (at < text.length() && isBlank(text.charAt(at))) {
      at++;
    }
    values.put(name, value(name, statementLine));
  }

  private void skipExport() {
    if (text.startsWith("export", at) && at + 6 < text.length() && isBlank(text.charAt(at + 6))) {
      at += 6;
      while (at < text.length() && isBlank(text.charAt(at))) {
        at++;
      }
    }
  }

  private String value(String name, int statementLine) {
    char first = at < text.length() ? text.charAt(at) : 0;
    if (first == '\'' || first == '"') {
      return quoted(first, name, statementLine);
    }
    int end = text.indexOf('\n', at);
    String raw = text.substring(at, end < 0 ? text.length() : end);
    at = end < 0 ? text.length() : end;
    int comment = raw.indexOf(" #");
    return interpolate((comment < 0 ? raw : raw.substring(0, comment)).stripTrailing(), name, statementLine);
  }

  private String quoted(char quote, String name, int statementLine) {
    at++;
    StringBuilder out = new StringBuilder();
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '\n') {
        line++;
      }
      if (c == quote) {
        return quote == '"' ? interpolate(out.toString(), name, statementLine) : out.toString();
      }
      if (c != '\\' || at >= text.length()) {
        out.append(c);
        continue;
      }
      char next = text.charAt(at++);
      if (next == '\n') {
        line++;
      }
      if (next == quote) {
        out.append(quote);
      } else if (quote == '"') {
        out.append(doubleQuotedEscape(next));
      } else {
        out.append('\\').append(next);
      }
    }
    throw error(statementLine, name, "unterminated quoted value: the " + quote
        + " that opens it is never closed");
  }

  /**
   * What {@code \x} stands for inside double quotes, in interpolation's terms ({@code \$} is a
   * literal dollar, so {@code $$}); the backslash stays for any other character, as in Compose.
   */
  private String doubleQuotedEscape(char next) {
    return switch (next) {
      case 'n' -> "\n";
      case 'r' -> "\r";
      case 't' -> "\t";
      case 'a' -> "\u0007";
      case 'b' -> "\b";
      case 'f' -> "\f";
      case 'v' -> "\u000B";
      case '\\' -> "\\";
      case '$' -> "$$";
      case '0' -> octal();
      default -> "\\" + next;
    };
  }

  /** {@code \0ddd}: the character of the three octal digits after {@code \0}, else as written. */
  private String octal() {
    if (at + 3 <= text.length() && text.substring(at, at + 3).matches("[0-3][0-7][0-7]")) {
      char c = (char) Integer.parseInt(text.substring(at, at + 3), 8);
      at += 3;
      return String.valueOf(c);
    }
    return "\\0";
  }

  private String interpolate(String raw, String name, int statementLine) {
    return interpolation.apply(raw, problem -> error(statementLine, name, problem));
  }

  private String currentLine() {
    int end = text.indexOf('\n', at);
    return text.substring(at, end < 0 ? text.length() : end).strip();
  }

  private StackFileException error(int statementLine, @Nullable String name, String problem) {
    return new StackFileException(file, statementLine, name, problem);
  }

  /** A blank inside a line: not a line break. */
  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B' || c == '\u0085' || c == '\u00A0';
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || "_.-[]".indexOf(c) >= 0;
  }
}
