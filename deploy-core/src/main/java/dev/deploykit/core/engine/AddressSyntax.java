package dev.deploykit.core.engine;

import org.jspecify.annotations.Nullable;

/**
 * The parts of an engine address as the docker CLI writes them: {@code ssh://[user@]host[:port]},
 * {@code unix:///path} or {@code tcp://host:port}. Every problem is one sentence that quotes the
 * address and shows the expected form.
 *
 * @param scheme {@code ssh}, {@code unix} or {@code tcp}
 * @param user the SSH user, or null when the address names none
 * @param host the host name or address (IPv6 without brackets); for {@code unix}, the socket path
 * @param port the port, or -1 when the address names none
 */
record AddressSyntax(String scheme, @Nullable String user, String host, int port) {
  static final String FORMS = "ssh://[user@]host[:port], unix:///path/to/docker.sock or tcp://host:port";

  /**
   * Splits an address into its parts.
   *
   * @throws IllegalArgumentException naming the problem: no scheme, an unknown scheme, no host,
   *     a bad port, a path or query where none belongs
   */
  static AddressSyntax parse(String address) {
    String value = address.strip();
    int colon = value.indexOf("://");
    if (value.isEmpty()) {
      throw bad(address, "is empty");
    }
    if (colon < 0) {
      throw bad(address, "has no scheme");
    }
    String scheme = value.substring(0, colon);
    String rest = value.substring(colon + 3);
    return switch (scheme) {
      case "ssh" -> ssh(address, rest);
      case "tcp" -> tcp(address, rest);
      case "unix" -> unix(address, rest);
      default -> throw bad(address, "has an unknown scheme \"" + scheme + "\"");
    };
  }

  private static AddressSyntax ssh(String address, String rest) {
    if (rest.contains("/") || rest.contains("?") || rest.contains("#")) {
      throw bad(address, "holds a path or query; an SSH address names only user, host and port");
    }
    int at = rest.lastIndexOf('@');
    String user = at < 0 ? null : rest.substring(0, at);
    if (user != null && user.contains(":")) {
      throw bad(address, "holds a password; an SSH address takes none (give a key: --identity or DEPLOYKIT_SSH_KEY)");
    }
    if (user != null && (user.isEmpty() || user.chars().anyMatch(Character::isWhitespace))) {
      throw bad(address, "has a bad user \"" + user + "\"");
    }
    HostPort hp = hostPort(address, at < 0 ? rest : rest.substring(at + 1));
    return new AddressSyntax("ssh", user, hp.host(), hp.port());
  }

  private static AddressSyntax tcp(String address, String rest) {
    String authority = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
    if (authority.contains("/") || authority.contains("@")) {
      throw bad(address, "holds a path or user; a TCP address names only host and port");
    }
    HostPort hp = hostPort(address, authority);
    if (hp.port() < 0) {
      throw bad(address, "names no port");
    }
    return new AddressSyntax("tcp", null, hp.host(), hp.port());
  }

  private static AddressSyntax unix(String address, String rest) {
    if (!rest.startsWith("/") || rest.length() < 2 || rest.chars().anyMatch(Character::isWhitespace)) {
      throw bad(address, "names no absolute socket path");
    }
    return new AddressSyntax("unix", null, rest, -1);
  }

  private record HostPort(String host, int port) {}

  private static HostPort hostPort(String address, String authority) {
    String host;
    String port = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw bad(address, "has an unclosed [ in its IPv6 address");
      }
      host = authority.substring(1, close);
      String after = authority.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        throw bad(address, "has \"" + after + "\" after its IPv6 address");
      }
      port = after.isEmpty() ? null : after.substring(1);
    } else {
      if (authority.indexOf(':') != authority.lastIndexOf(':')) {
        throw bad(address, "holds an IPv6 address without brackets (write [::1]:22)");
      }
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? null : authority.substring(colon + 1);
    }
    if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      throw bad(address, "names no host");
    }
    return new HostPort(host, port == null ? -1 : port(address, port));
  }

  private static int port(String address, String text) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw bad(address, "has a bad port \"" + text + "\" (a number 1-65535)");
    }
    if (port < 1 || port > 65535) {
      throw bad(address, "has a bad port " + port + " (a number 1-65535)");
    }
    return port;
  }

  private static IllegalArgumentException bad(String address, String problem) {
    // A password in the address is a secret: never repeated.
    String shown = address.replaceFirst("(://[^/@:]*):[^/]*@", "$1:***@");
    return new IllegalArgumentException("\"" + shown + "\" " + problem + "; expected " + FORMS);
  }
}
