package dev.deploykit.core.host;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A host's operating system as {@code /etc/os-release} names it.
 *
 * @param id {@code ID}, for example {@code debian}, {@code ubuntu}, {@code fedora}
 * @param idLike {@code ID_LIKE}, the distributions it derives from (may be empty)
 * @param versionId {@code VERSION_ID}, for example {@code 13} or {@code 24.04} (may be empty)
 * @param prettyName {@code PRETTY_NAME}, else {@code NAME}, else the id
 */
public record OsRelease(String id, List<String> idLike, String versionId, String prettyName) {

  public OsRelease {
    Objects.requireNonNull(id, "id");
    idLike = List.copyOf(idLike);
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(prettyName, "prettyName");
  }

  /** The release described by os-release's {@code KEY=value} variables. */
  public static OsRelease of(Map<String, String> variables) {
    String id = variables.getOrDefault("ID", "linux").toLowerCase(Locale.ROOT);
    String like = variables.getOrDefault("ID_LIKE", "").toLowerCase(Locale.ROOT);
    String name = variables.getOrDefault("PRETTY_NAME", variables.getOrDefault("NAME", id));
    return new OsRelease(id, like.isBlank() ? List.of() : Arrays.asList(like.strip().split("\\s+")),
        variables.getOrDefault("VERSION_ID", ""), name);
  }

  /** Whether bootstrap knows it: Debian, Ubuntu, or a distribution that says it is like them. */
  public boolean debianFamily() {
    return id.equals("debian") || id.equals("ubuntu") || idLike.contains("debian") || idLike.contains("ubuntu");
  }

  /** {@code Fedora Linux 41 (ID=fedora)}: how messages name it. */
  public String describe() {
    return prettyName + " (ID=" + id + ")";
  }
}
