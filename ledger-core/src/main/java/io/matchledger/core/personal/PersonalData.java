package io.matchledger.core.personal;

import io.matchledger.core.api.SealedName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens players' names under their own keys (ADR 0019). AES-256 in GCM mode from the JDK: a random 96-bit
 * IV per name, a 128-bit tag, and the player's id as associated data, so a sealed name opens only on its own player's
 * ledger. Erasing a player destroys their key: every name sealed under it stays in the events, and opens no more.
 */
public final class PersonalData {

    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final PlayerKeys keys;
    private final SecureRandom random = new SecureRandom();

    public PersonalData(PlayerKeys keys) {
        this.keys = keys;
    }

    /** The name sealed under the player's key, which is made now (in the caller's transaction) if there is none. */
    public SealedName seal(String playerId, String name) {
        return seal(playerId, name, keys.findOrStore(playerId, newKey()));
    }

    /** The name sealed under {@code key}: the upgrade seals the names of the first version with it. */
    public SealedName seal(String playerId, String name, byte[] key) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, iv, playerId);
            byte[] sealed = cipher.doFinal(name.getBytes(StandardCharsets.UTF_8));
            byte[] ivAndSealed = ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv)
                    .put(sealed)
                    .array();
            return new SealedName(SealedName.SEALED + Base64.getEncoder().encodeToString(ivAndSealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a name", e);
        }
    }

    /**
     * The name, while the player's key exists; empty once they were erased. A name of the first version that a store
     * still holds in plain text opens without a key.
     *
     * @throws IllegalStateException when the player has a key and the name does not open with it: the event or the
     *                               key was altered, which must not pass for an erasure
     */
    public Optional<String> open(String playerId, SealedName name) {
        if (name.isPlain()) {
            return Optional.of(name.value().substring(SealedName.PLAIN.length()));
        }
        return keys.find(playerId).map(key -> open(playerId, name, key));
    }

    /** Whether the player still has a key: false once erased, or for a player of the first version on Axon Server. */
    public boolean hasKey(String playerId) {
        return keys.find(playerId).isPresent();
    }

    /** Destroys the player's key, in the caller's transaction: every name sealed under it is erased. */
    public void erase(String playerId) {
        keys.destroy(playerId);
    }

    /** A new random key, as {@link #seal(String, String)} makes one. */
    public byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    private static String open(String playerId, SealedName name, byte[] key) {
        byte[] ivAndSealed;
        try {
            ivAndSealed = Base64.getDecoder().decode(name.value().substring(SealedName.SEALED.length()));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalStateException("the sealed name of player " + playerId + " is not base64", notBase64);
        }
        if (ivAndSealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("the sealed name of player " + playerId + " is too short");
        }
        try {
            byte[] iv = java.util.Arrays.copyOfRange(ivAndSealed, 0, IV_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, iv, playerId);
            byte[] plain = cipher.doFinal(ivAndSealed, IV_BYTES, ivAndSealed.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "the sealed name of player " + playerId + " does not open with their key: altered", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, String playerId) throws GeneralSecurityException {
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("a player's key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        Cipher cipher = Cipher.getInstance(CIPHER);
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(playerId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
