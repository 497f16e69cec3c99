package dev.deploykit.core.internal.compose;

import dev.deploykit.core.StackFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A dotenv file ({@code .env} beside the Compose file, or a service's {@code env_file}) read as
 * Compose reads it (compose-go's {@code dotenv} parser):
 *
 * <ul>
 *   <li>{@code KEY=value} (or {@code KEY: value}) statements, an optional {@code export } prefix,
 *       blank lines and {@code #} comment lines; an unquoted value ends at the line's end or at
 *       {@code " #"}, and loses its surrounding blanks;
 *   <li>a bare {@code KEY} takes its value from the lookup (the environment), and stays unset when
 *       the lookup does not know it;
 *   <li>{@code 'single quotes'} hold their text literally, newlines included ({@code \'} is a
 *       quote);
 *   <li>{@code "double quotes"} may span lines and understand {@code \n \r \t \a \b \f \v \\ \" \$}
 *       and {@code \0ddd} (octal); any other backslash stays as written;
 *   <li>unquoted and double-quoted values are interpolated ({@code $VAR}, {@code ${VAR}},
 *       {@code ${VAR:-default}}, ...; see {@link Interpolation}), from the lookup first and then
 *       from the entries above in the same file.
 * </ul>
 */
public final class EnvFile {
  private EnvFile() {}

  /**
   * The file's variables in file order.
   *
   * @param file the dotenv file
   * @param reference the Compose node that names the file ({@code env_file}), or null for the
   *     {@code .env} file beside the Compose file; a missing file is reported there
   * @param lookup the variables that win over the file's own entries when values are interpolated,
   *     and that a bare {@code KEY} takes its value from; null for an unset one
   * @throws StackFileException naming the file and line of a malformed entry, or the missing file
   */
  public static Map<String, String> read(Path file, @Nullable Node reference,
      Function<String, @Nullable String> lookup) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw error(file, reference, "env file " + file + " does not exist");
    } catch (IOException e) {
      throw error(file, reference, "env file " + file + " cannot be read: " + e.getMessage());
    }
    return parse(text, file, lookup);
  }

  /**
   * The variables of a dotenv text.
   *
   * @param file the file the text came from, for error messages
   * @throws StackFileException naming the file and line of a malformed entry
   */
  static Map<String, String> parse(String text, Path file, Function<String, @Nullable String> lookup) {
    return new EnvFileParser(text, file, lookup).parse();
  }

  private static StackFileException error(Path file, @Nullable Node reference, String problem) {
    return reference == null ? new StackFileException(file, 0, null, problem) : reference.error(problem);
  }
}
