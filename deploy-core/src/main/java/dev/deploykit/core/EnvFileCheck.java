package dev.deploykit.core;

import dev.deploykit.core.internal.compose.EnvFile;
import dev.deploykit.core.internal.compose.VariableReferences;
import dev.deploykit.core.internal.compose.VariableReferences.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A dotenv file (such as {@code .env.production}) checked against the variables a Compose file
 * refers to, before it is used for a deploy:
 *
 * <ul>
 *   <li><b>missing</b>: referenced by the stack without a default ({@code ${VAR}}, {@code $VAR},
 *       {@code ${VAR:?message}}) and not set in the file; a {@code ${VAR:?message}} set to an
 *       empty value is missing too, since reading the stack would fail;
 *   <li><b>unknown</b>: set in the file but referenced nowhere in the stack (a typo, or a
 *       variable some other tool reads);
 *   <li><b>empty</b>: set in the file to an empty value.
 * </ul>
 *
 * A variable with a default ({@code ${VAR:-v1}}) or passed through by a bare {@code environment}
 * key is never missing. Only the names are held, never a value, so the result is safe to print.
 *
 * <pre>{@code
 * EnvFileCheck check = EnvFileCheck.of(Path.of("compose.yaml"), Path.of(".env.production"));
 * if (!check.complete()) {
 *   System.err.println("missing: " + String.join(", ", check.missing()));
 * }
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param missing names in the order the stack first refers to them
 * @param unknown names in file order
 * @param empty names in file order
 */
public record EnvFileCheck(List<String> missing, List<String> unknown, List<String> empty) {
  /** Copies the lists. */
  public EnvFileCheck {
    missing = List.copyOf(missing);
    unknown = List.copyOf(unknown);
    empty = List.copyOf(empty);
  }

  /**
   * Checks {@code envFile} against {@code composeFile}. The file is read as Compose reads a
   * dotenv file (see {@link ComposeFile}), with no other environment: a bare {@code KEY} line
   * counts as not set. Touches no host.
   *
   * @throws StackFileException for a missing or malformed env file or Compose file, naming the
   *     file and line
   */
  public static EnvFileCheck of(Path composeFile, Path envFile) {
    Objects.requireNonNull(composeFile, "composeFile");
    Objects.requireNonNull(envFile, "envFile");
    Map<String, String> variables = EnvFile.read(envFile, null, name -> null);
    List<Reference> references = VariableReferences.of(composeFile, variables);
    List<String> missing = new ArrayList<>();
    for (Reference r : references) {
      String value = variables.get(r.name());
      boolean isMissing = switch (r.need()) {
        case NONE -> false;
        case SET -> value == null;
        case NON_EMPTY -> value == null || value.isEmpty();
      };
      if (isMissing) {
        missing.add(r.name());
      }
    }
    Set<String> referenced = references.stream().map(Reference::name).collect(Collectors.toSet());
    List<String> unknown = variables.keySet().stream().filter(k -> !referenced.contains(k)).toList();
    List<String> empty = variables.entrySet().stream().filter(e -> e.getValue().isEmpty())
        .map(Map.Entry::getKey).toList();
    return new EnvFileCheck(missing, unknown, empty);
  }

  /** True when nothing is missing: the stack can be read with this file (unknown and empty are warnings). */
  public boolean complete() {
    return missing.isEmpty();
  }
}
