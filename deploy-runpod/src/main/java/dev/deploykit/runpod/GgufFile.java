package dev.deploykit.runpod;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Checks that a file is a GGUF model before anything is built from it: the magic {@code GGUF}
 * and a version llama.cpp reads (1 to 3).
 */
public final class GgufFile {
  private GgufFile() {}

  /**
   * Checks {@code file}.
   *
   * @return the GGUF version
   * @throws RunPodException with {@link RunPodException.Reason#BAD_INPUT} naming the file and
   *     what was found when it is missing, unreadable, or not GGUF
   */
  public static int check(Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(8);
    } catch (NoSuchFileException e) {
      throw new RunPodException(RunPodException.Reason.BAD_INPUT, "The model file " + file
          + " does not exist: name a .gguf file (x-deploykit.runpod.model or --model)");
    } catch (IOException e) {
      throw new RunPodException(RunPodException.Reason.BAD_INPUT, "The model file " + file
          + " cannot be read: " + e.getMessage());
    }
    if (Files.isDirectory(file)) {
      throw new RunPodException(RunPodException.Reason.BAD_INPUT, "The model file " + file
          + " is a directory: name a .gguf file");
    }
    if (head.length < 8 || head[0] != 'G' || head[1] != 'G' || head[2] != 'U' || head[3] != 'F') {
      throw new RunPodException(RunPodException.Reason.BAD_INPUT, "The model file " + file
          + " is not a GGUF file: it starts with " + describe(head)
          + " where a GGUF file starts with \"GGUF\"; convert it (llama.cpp's convert_hf_to_gguf.py)"
          + " or name the .gguf file");
    }
    int version = (head[4] & 0xff) | (head[5] & 0xff) << 8 | (head[6] & 0xff) << 16
        | (head[7] & 0xff) << 24;
    if (version < 1 || version > 3) {
      throw new RunPodException(RunPodException.Reason.BAD_INPUT, "The model file " + file
          + " is GGUF version " + Integer.toUnsignedString(version)
          + ", which llama.cpp does not read (versions 1 to 3)");
    }
    return version;
  }

  private static String describe(byte[] head) {
    if (head.length == 0) {
      return "nothing (the file is empty)";
    }
    StringBuilder text = new StringBuilder();
    for (byte b : head) {
      text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
    }
    return "bytes " + HexFormat.ofDelimiter(" ").formatHex(head) + " (\"" + text + "\")";
  }
}
