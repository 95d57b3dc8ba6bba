package io.matchledger.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks passwords against their stored hashes and remembers, for a few minutes, which ones it verified.
 * <p>
 * HTTP Basic sends the password with every request, and one BCrypt verification at strength 10 costs tens of
 * milliseconds of CPU: a game server recording matches would spend most of its time being recognised. A repeated
 * request with a password already verified against the same hash is answered from memory instead. Only successes
 * are remembered, so every wrong guess still pays for a full BCrypt check; an entry is a SHA-256 of hash and
 * password, never the password; a changed hash never matches an old entry.
 */
final class VerifiedPasswords implements PasswordEncoder {

    private final PasswordEncoder hashes;
    private final Duration remembered;
    private final int capacity;
    private final Clock clock;
    private final Map<String, Long> verifiedUntil = new ConcurrentHashMap<>();

    VerifiedPasswords(PasswordEncoder hashes, Duration remembered, int capacity, Clock clock) {
        this.hashes = hashes;
        this.remembered = remembered;
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return hashes.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        String key = digest(encodedPassword, rawPassword);
        long now = clock.millis();
        Long until = verifiedUntil.get(key);
        if (until != null && until > now) {
            return true;
        }
        if (!hashes.matches(rawPassword, encodedPassword)) {
            return false;
        }
        if (verifiedUntil.size() >= capacity) {
            verifiedUntil.values().removeIf(expiry -> expiry <= now);
            if (verifiedUntil.size() >= capacity) {
                verifiedUntil.clear(); // bounded memory matters more than a few BCrypt checks after a flood
            }
        }
        verifiedUntil.put(key, now + remembered.toMillis());
        return true;
    }

    /** The configured hashes are what they are; upgrading them belongs to whoever configures them. */
    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return false;
    }

    int size() {
        return verifiedUntil.size();
    }

    private static String digest(String encodedPassword, CharSequence rawPassword) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
