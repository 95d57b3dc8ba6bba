package io.matchledger.api.webhooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The subscriptions' signing secrets, encrypted with AES-256-GCM before they are stored: a receiver's secret must be
 * known to sign (so it cannot be hashed), but a copy of the database alone does not give it away. The key is
 * {@code ledger.webhooks.secret-key}, or on the embedded default a key file beside the data, made at the first start.
 */
@Component
@EnableConfigurationProperties(WebhookSettings.class)
public class WebhookSecrets {

    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<SecretKey> key;

    public WebhookSecrets(WebhookSettings settings) {
        this.key = keyOf(settings);
    }

    /** Whether webhooks can be used here: a key is configured (or kept beside the embedded data). */
    public boolean available() {
        return key.isPresent();
    }

    public String encrypt(String secret) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce).doFinal(secret.getBytes(StandardCharsets.UTF_8));
        byte[] stored = new byte[NONCE + sealed.length];
        System.arraycopy(nonce, 0, stored, 0, NONCE);
        System.arraycopy(sealed, 0, stored, NONCE, sealed.length);
        return Base64.getEncoder().encodeToString(stored);
    }

    public String decrypt(String stored) {
        byte[] bytes = Base64.getDecoder().decode(stored);
        byte[] nonce = java.util.Arrays.copyOf(bytes, NONCE);
        return new String(
                cipher(Cipher.DECRYPT_MODE, nonce).doFinal(bytes, NONCE, bytes.length - NONCE), StandardCharsets.UTF_8);
    }

    private Sealing cipher(int mode, byte[] nonce) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    mode,
                    key.orElseThrow(() -> new IllegalStateException("no ledger.webhooks.secret-key")),
                    new GCMParameterSpec(128, nonce));
            return new Sealing(cipher);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM", e);
        }
    }

    /** A cipher whose checked exceptions are failures of this service, not of the caller. */
    private record Sealing(Cipher cipher) {
        byte[] doFinal(byte[] input) {
            return doFinal(input, 0, input.length);
        }

        byte[] doFinal(byte[] input, int offset, int length) {
            try {
                return cipher.doFinal(input, offset, length);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("a webhook secret does not decrypt with this key", e);
            }
        }
    }

    private static Optional<SecretKey> keyOf(WebhookSettings settings) {
        if (settings.secretKey() != null && !settings.secretKey().isBlank()) {
            return Optional.of(
                    aes(Base64.getDecoder().decode(settings.secretKey().strip())));
        }
        if (settings.secretKeyFile() == null || settings.secretKeyFile().isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(settings.secretKeyFile());
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(
                        file,
                        Base64.getEncoder().encodeToString(fresh),
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.SYNC);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // a file system without POSIX permissions: the data directory's own protection applies
                }
            }
            return Optional.of(
                    aes(Base64.getDecoder().decode(Files.readString(file).strip())));
        } catch (IOException e) {
            throw new UncheckedIOException("ledger.webhooks.secret-key-file " + file, e);
        }
    }

    private static SecretKey aes(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException(
                    "ledger.webhooks.secret-key must be 32 bytes (base64), was " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }
}
