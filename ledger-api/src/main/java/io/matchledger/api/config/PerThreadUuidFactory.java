package io.matchledger.api.config;

import org.axonframework.common.IdentifierFactory;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for Axon's message and event identifiers, from one strong generator per thread. Axon's
 * default calls {@link UUID#randomUUID()}, whose single shared generator is behind a lock: three messages per match,
 * plus one per handled event in every projection, had command threads queueing on it under load (JFR: seconds of
 * parking per run). Installed through {@code META-INF/services}, as Axon looks it up.
 */
public final class PerThreadUuidFactory extends IdentifierFactory {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(PerThreadUuidFactory::generator);

    @Override
    public String generateIdentifier() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xff);
            low = (low << 8) | (bytes[i + 8] & 0xff);
        }
        return new UUID(high, low).toString();
    }

    private static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG"); // seeded from the system once, then no shared state
        } catch (NoSuchAlgorithmException noDrbg) {
            return new SecureRandom();
        }
    }
}
