package dev.deploykit.core.internal.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.deploykit.core.StackFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dotenv files as compose-go's dotenv parser reads them (its test cases are the reference). */
class EnvFileTest {
  private static final Path FILE = Path.of("app.env");

  @Test
  void plainStatementsCommentsAndBlankLines() {
    assertThat(parse("""
        # a comment
        A=1

          B = 2\t
        C=
        D=a value with spaces
        export E=5
        export\tF=6
        exportG=7
        H: yaml style
        I=foo=bar:baz
        VAR.WITH.DOTS-AND-DASHES=ok
        """)).containsExactly(entry("A", "1"), entry("B", "2"), entry("C", ""),
        entry("D", "a value with spaces"), entry("E", "5"), entry("F", "6"), entry("exportG", "7"),
        entry("H", "yaml style"), entry("I", "foo=bar:baz"), entry("VAR.WITH.DOTS-AND-DASHES", "ok"));
  }

  @Test
  void anUnquotedValueEndsAtSpaceHashAndKeepsItsBackslashes() {
    assertThat(parse("A=bar # a comment\nB=123#not-a-comment\nC=a\\tb\nD=bar #")).containsExactly(
        entry("A", "bar"), entry("B", "123#not-a-comment"), entry("C", "a\\tb"), entry("D", "bar"));
  }

  @Test
  void singleQuotesAreLiteralAndMaySpanLines() {
    assertThat(parse("""
        A='$HOME \\n ${X:-y}'
        B='first line
        second line'
        C='Let\\'s go!'
        D='#not a comment' # a comment
        E=''
        """)).containsExactly(entry("A", "$HOME \\n ${X:-y}"), entry("B", "first line\nsecond line"),
        entry("C", "Let's go!"), entry("D", "#not a comment"), entry("E", ""));
  }

  @Test
  void doubleQuotesUnderstandEscapesAndMaySpanLines() {
    assertThat(parse("""
        A="hi\\nthere\\tand \\"quoted\\" \\\\ back"
        B="line one
        line two"
        C="Z\\aZ\\bZ\\fZ\\rZ\\vZ\\0123Z"
        D="\\x07 \\u12e4 \\q"
        E="bar#baz" # a comment
        F="cost: \\$5, \\${NOT}"
        """)).containsExactly(entry("A", "hi\nthere\tand \"quoted\" \\ back"),
        entry("B", "line one\nline two"), entry("C", "Z\u0007Z\bZ\fZ\rZ\u000BZSZ"),
        entry("D", "\\x07 \\u12e4 \\q"), entry("E", "bar#baz"), entry("F", "cost: $5, ${NOT}"));
  }

  @Test
  void valuesInterpolateFromTheEnvironmentFirstThenEarlierLines() {
    Map<String, String> env = Map.of("FROM_ENV", "env", "BOTH", "env-wins");
    assertThat(parse("""
        HOST=db
        BOTH=file
        URL=postgres://${HOST}:5432/$FROM_ENV
        QUOTED="${HOST}-${BOTH}"
        SINGLE='${HOST}'
        EMPTY=
        DEFAULT=${UNSET:-fallback}/${EMPTY:-empty-too}/${EMPTY-kept}
        MISSING=[$UNSET]
        DOLLAR=$$HOST
        """, env)).contains(entry("URL", "postgres://db:5432/env"), entry("QUOTED", "db-env-wins"),
        entry("SINGLE", "${HOST}"), entry("DEFAULT", "fallback/empty-too/"),
        entry("MISSING", "[]"), entry("DOLLAR", "$HOST"))
        .as("the environment wins when the file's own values are interpolated, not over them")
        .contains(entry("BOTH", "file"));
  }

  @Test
  void aBareKeyTakesItsValueFromTheEnvironmentOrStaysUnset() {
    assertThat(parse("A=1\nFROM_ENV\nNOT_IN_ENV\nexport ALSO_FROM_ENV\nLAST_AT_END", Map.of(
        "FROM_ENV", "env", "ALSO_FROM_ENV", "also", "LAST_AT_END", "end")))
        .containsExactly(entry("A", "1"), entry("FROM_ENV", "env"), entry("ALSO_FROM_ENV", "also"),
            entry("LAST_AT_END", "end"));
  }

  @Test
  void windowsLineEndsAndAByteOrderMarkAreRead() {
    assertThat(parse("\uFEFFA=1\r\nB=\"two\"\r\n# c\r\nC=3\r\n")).containsExactly(
        entry("A", "1"), entry("B", "two"), entry("C", "3"));
  }

  @Test
  void anUnterminatedQuoteNamesTheFileAndTheLineItStartsOn() {
    assertError("A=1\n\nB=\"never closed\nC=3\n", 3, "B", "unterminated quoted value");
    assertError("A='open", 1, "A", "unterminated quoted value");
    assertError("A=\"ends with an escaped quote\\\"", 1, "A", "unterminated quoted value");
  }

  @Test
  void linesAreCountedAcrossMultiLineValues() {
    assertError("A=\"one\ntwo\nthree\"\nB='x\ny'\nBAD KEY=1\n", 6, null, "cannot contain a space");
  }

  @Test
  void malformedStatementsAreErrorsWithTheirLine() {
    assertError("A=1\nlol$wut\n", 2, null, "unexpected character \"$\"");
    assertError("=value\n", 1, null, "expected KEY=value");
    assertError("A=1\nB=${REQUIRED:?set REQUIRED}\n", 2, "B", "required variable REQUIRED is not set: set REQUIRED");
    assertError("A=cost $5\n", 1, "A", "write $$ for a literal $");
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> EnvFile.read(dir.resolve("nope.env"), null, name -> null))
        .isInstanceOf(StackFileException.class).hasMessageContaining("nope.env does not exist");
  }

  @Test
  void readsAFileAsUtf8(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("app.env"), "GREETING=\"grüß dich\"\n");
    assertThat(EnvFile.read(file, null, name -> null)).containsExactly(entry("GREETING", "grüß dich"));
  }

  private static Map<String, String> parse(String text) {
    return parse(text, Map.of());
  }

  private static Map<String, String> parse(String text, Map<String, String> environment) {
    return EnvFile.parse(text, FILE, environment::get);
  }

  private static void assertError(String text, int line, String key, String message) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOfSatisfying(StackFileException.class, e -> {
          assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
          assertThat(e.key().orElse(null)).as(e.getMessage()).isEqualTo(key);
          assertThat(e.file()).contains(FILE);
          assertThat(e.getMessage()).startsWith("app.env:" + line + ": ").contains(message);
        });
  }
}
