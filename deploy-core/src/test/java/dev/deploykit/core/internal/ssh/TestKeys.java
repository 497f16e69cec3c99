package dev.deploykit.core.internal.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;

/** Public keys written by ssh-keygen, with the fingerprints ssh-keygen -lf printed for them. */
final class TestKeys {
  static final String ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIN41ljFDaX/RvdqNDTbbxY/ynLWBiYX8MvwNzADeexEJ";
  static final String ED25519_SHA256 = "SHA256:xAE82VG0PAq7Eqa4PThCQqGzQlf8dRUvn5RRaIvNVlI";
  static final String OTHER_ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAICSlhflMU3UBDXGNUaO3AR4Sez4v1iINX7FcQWreEtth";
  static final String OTHER_ED25519_SHA256 = "SHA256:CbYVzM+pyqj2H+jWCW+o4AveI24XuIoqMNoTd7+Qyag";
  static final String ECDSA = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBO47p6ojx9kaBCKrcLxBLNJoyCr"
      + "FRdOTU5fro4MCEoFD36dBOKFfKLl/0Jrilj4feVJNX/tJeuYCdnna+ttDvBc=";
  static final String ECDSA_SHA256 = "SHA256:BZOhVYiK0Z+ePIAQbUPbFE8gM7SeZIi97TbAv1k+f0o";

  /** ssh-keygen -H of "[droplet.example]:2222 ssh-ed25519 ED25519" and "droplet.example ecdsa... ECDSA". */
  static final String HASHED_ED25519_PORT_2222 =
      "|1|UNwwtQu/4chl3RFt6jeoVGyZbRE=|Pf83EK8X/Du7YH4sOrCjs7Fsr2g= ssh-ed25519 " + ED25519;
  static final String HASHED_ECDSA_PORT_22 =
      "|1|jUh/2kxWCD8ztwfB3ygrJmrR7s8=|jlvdNxUuNZAQ7me8PF5Agsp7Qi0= ecdsa-sha2-nistp256 " + ECDSA;

  private TestKeys() {}

  static PublicKey key(String base64) {
    try {
      return new Buffer.PlainBuffer(Base64.getDecoder().decode(base64)).readPublicKey();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
