package dev.deploykit.health.internal;

import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;

/** One-line reasons for docker-java failures. Stateless and thread-safe. */
public final class DockerFailures {
  private DockerFailures() {}

  /** Why a call to the Docker engine failed. */
  public static String describe(Throwable t) {
    if (t instanceof DockerException d) {
      return "Docker engine answered HTTP " + d.getHttpStatus() + ": " + firstLine(d.getMessage());
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof IOException) {
        return "Docker engine unreachable: " + Failures.describe(c);
      }
    }
    return "Docker engine call failed: " + Failures.describe(t);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
