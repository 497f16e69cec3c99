package dev.deploykit.core.internal.ssh;

import com.hierynomus.sshj.common.KeyDecryptionFailedException;
import dev.deploykit.core.DeployException;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;
import org.jspecify.annotations.Nullable;

/**
 * The private keys to offer, read and decrypted once, before any connection: a wrong passphrase
 * or an unreadable file fails here, on this machine, with its own message. Reconnections reuse
 * the decrypted keys; the passphrase's copy is wiped once every key is read.
 *
 * <p>Thread safety: immutable once loaded.
 */
final class SshKeys {
  /** One loaded key: where it came from, its public key's fingerprint, the provider. */
  record Key(String origin, String fingerprint, KeyProvider provider) {}

  private final List<Key> keys;

  private SshKeys(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  /**
   * Reads and decrypts every identity of {@code settings}.
   *
   * @throws DeployException ({@link DeployException.Reason#AUTHENTICATION_FAILED}) naming the key
   *     that cannot be read or decrypted
   */
  static SshKeys load(SshSettings settings, Config config) {
    char @Nullable [] passphrase = settings.passphraseCopy();
    try {
      List<Key> keys = new ArrayList<>();
      for (SshIdentity identity : settings.identities()) {
        keys.add(load(identity, config, passphrase));
      }
      return new SshKeys(keys);
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, '\0');
      }
    }
  }

  private static Key load(SshIdentity identity, Config config, char @Nullable [] passphrase) {
    try {
      FileKeyProvider provider = provider(identity, config, passphrase);
      PublicKey publicKey = provider.getPublic();
      // Decrypts now: a wrong passphrase is an error here, not an opaque refusal by the host.
      provider.getPrivate();
      return new Key(identity.origin(), HostKeys.sha256(publicKey), provider);
    } catch (KeyDecryptionFailedException e) {
      throw SshFailures.keyNotDecrypted(identity.origin(), passphrase != null, e);
    } catch (IOException | RuntimeException e) {
      if (passphrase == null && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("encrypt")) {
        throw SshFailures.keyNotDecrypted(identity.origin(), false, e);
      }
      throw SshFailures.keyUnreadable(identity.origin(), e);
    }
  }

  private static FileKeyProvider provider(SshIdentity identity, Config config, char @Nullable [] passphrase)
      throws IOException {
    PasswordFinder finder = passphrase == null ? null : new PasswordFinder() {
      @Override
      public char[] reqPassword(Resource<?> resource) {
        // sshj wipes the array it is given: hand out a copy each time.
        return passphrase.clone();
      }

      @Override
      public boolean shouldRetry(Resource<?> resource) {
        return false;
      }
    };
    return switch (identity) {
      case SshIdentity.KeyFile file -> {
        FileKeyProvider provider = create(config, KeyProviderUtil.detectKeyFileFormat(file.path().toFile()));
        provider.init(file.path().toFile(), finder);
        yield provider;
      }
      case SshIdentity.KeyText text -> {
        FileKeyProvider provider = create(config, KeyProviderUtil.detectKeyFileFormat(text.text(), false));
        provider.init(text.text(), null, finder);
        yield provider;
      }
    };
  }

  private static FileKeyProvider create(Config config, KeyFormat format) throws IOException {
    FileKeyProvider provider = Factory.Named.Util.create(config.getFileKeyProviderFactories(), format.toString());
    if (provider == null) {
      throw new IOException("its format (" + format + ") is not one sshj reads");
    }
    return provider;
  }

  /** The keys, in the order given. */
  List<Key> keys() {
    return keys;
  }

  /** One public-key authentication per key, in order. */
  List<AuthMethod> methods() {
    return keys.stream().<AuthMethod>map(k -> new AuthPublickey(k.provider())).toList();
  }
}
