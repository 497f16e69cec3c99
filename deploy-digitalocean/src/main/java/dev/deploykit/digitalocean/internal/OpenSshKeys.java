package dev.deploykit.digitalocean.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SSH keys in OpenSSH's formats, made with the JDK: an ed25519 host key pair (the private half in
 * {@code openssh-key-v1}, unencrypted, as cloud-init's {@code ssh_keys} takes it) and the
 * fingerprints DigitalOcean (MD5) and OpenSSH (SHA256) print.
 */
public final class OpenSshKeys {
  private static final String TYPE = "ssh-ed25519";

  private OpenSshKeys() {}

  /**
   * An ed25519 key pair.
   *
   * @param publicLine {@code ssh-ed25519 AAAA... comment}
   * @param privatePem the {@code -----BEGIN OPENSSH PRIVATE KEY-----} block
   */
  public record HostKey(String publicLine, String privatePem) {
    /** Never the private half. */
    @Override
    public String toString() {
      return "HostKey[" + publicLine + "]";
    }
  }

  /** A fresh ed25519 key pair commented {@code comment}. */
  public static HostKey ed25519(String comment) {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] x509 = pair.getPublic().getEncoded();
      byte[] pub = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
      byte[] pkcs8 = pair.getPrivate().getEncoded();
      byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
      byte[] blob = publicBlob(pub);
      String publicLine = TYPE + " " + Base64.getEncoder().encodeToString(blob) + " " + comment;

      ByteArrayOutputStream priv = new ByteArrayOutputStream();
      int check = new SecureRandom().nextInt();
      uint32(priv, check);
      uint32(priv, check);
      string(priv, TYPE.getBytes(StandardCharsets.US_ASCII));
      string(priv, pub);
      byte[] secret = new byte[64];
      System.arraycopy(seed, 0, secret, 0, 32);
      System.arraycopy(pub, 0, secret, 32, 32);
      string(priv, secret);
      string(priv, comment.getBytes(StandardCharsets.UTF_8));
      for (int pad = 1; priv.size() % 8 != 0; pad++) {
        priv.write(pad);
      }
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.writeBytes("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
      string(file, "none".getBytes(StandardCharsets.US_ASCII));
      string(file, "none".getBytes(StandardCharsets.US_ASCII));
      string(file, new byte[0]);
      uint32(file, 1);
      string(file, blob);
      string(file, priv.toByteArray());
      Arrays.fill(secret, (byte) 0);
      String body = Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(file.toByteArray());
      return new HostKey(publicLine, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----\n");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make ed25519 keys", e);
    }
  }

  /**
   * The MD5 fingerprint DigitalOcean gives an account key ({@code 3b:16:e4:...}).
   *
   * @throws IllegalArgumentException when {@code publicLine} is not an OpenSSH public key line
   */
  public static String md5Fingerprint(String publicLine) {
    byte[] digest = digest("MD5", blob(publicLine));
    return HexFormat.ofDelimiter(":").formatHex(digest);
  }

  /** The SHA256 fingerprint as {@code ssh-keygen -l} prints it ({@code SHA256:...}). */
  public static String sha256Fingerprint(String publicLine) {
    byte[] digest = digest("SHA-256", blob(publicLine));
    return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
  }

  /** {@code type base64} of a public key line, without its comment. */
  public static String typeAndKey(String publicLine) {
    String[] parts = parts(publicLine);
    return parts[0] + " " + parts[1];
  }

  private static byte[] blob(String publicLine) {
    try {
      return Base64.getDecoder().decode(parts(publicLine)[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an OpenSSH public key (its key is not base64): " + shorten(publicLine));
    }
  }

  private static String[] parts(String publicLine) {
    String[] parts = publicLine.strip().split("\\s+");
    if (parts.length < 2 || !parts[0].matches("(ssh|ecdsa|sk)-[a-z0-9@.-]+")) {
      throw new IllegalArgumentException("not an OpenSSH public key line (expected 'ssh-ed25519 AAAA... comment'): "
          + shorten(publicLine));
    }
    return parts;
  }

  private static String shorten(String s) {
    String line = s.strip();
    return line.length() > 40 ? line.substring(0, 40) + "..." : line;
  }

  private static byte[] publicBlob(byte[] pub) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    string(out, TYPE.getBytes(StandardCharsets.US_ASCII));
    string(out, pub);
    return out.toByteArray();
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }

  private static void uint32(ByteArrayOutputStream out, int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private static void string(ByteArrayOutputStream out, byte[] value) {
    uint32(out, value.length);
    out.writeBytes(value);
  }
}
