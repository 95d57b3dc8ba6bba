package io.matchledger.api.config;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.axonframework.common.IdentifierFactory;

/**
 * Time-ordered (version 7, RFC 9562) UUIDs for Axon's message and event identifiers: 48 bits of Unix milliseconds,
 * then 74 random bits, from one strong generator per thread.
 * <p>
 * Time-ordered because the event table keeps a unique index on the identifier. With random (version 4) identifiers
 * every event landed on a random leaf of that index, and H2 writes each page a commit changed (its store is
 * copy-on-write): serialising dirty pages was half of a command's CPU. Identifiers of one millisecond share the
 * rightmost leaves instead. One generator per thread because {@link UUID#randomUUID()} shares one behind a lock,
 * which had command threads queueing on it under load. Installed through {@code META-INF/services}, as Axon looks it
 * up.
 */
public final class TimeOrderedUuidFactory extends IdentifierFactory {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(TimeOrderedUuidFactory::generator);

    private final LongSupplier clock;

    public TimeOrderedUuidFactory() {
        this(System::currentTimeMillis);
    }

    TimeOrderedUuidFactory(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public String generateIdentifier() {
        byte[] random = new byte[10];
        RANDOM.get().nextBytes(random);
        long high = clock.getAsLong() << 16 // unix_ts_ms, 48 bits
                | 0x7000L // version 7
                | ((random[0] & 0x0fL) << 8)
                | (random[1] & 0xffL); // rand_a, 12 bits
        long low = 0x8000_0000_0000_0000L | ((random[2] & 0x3fL) << 56); // IETF variant, then rand_b, 62 bits
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xffL) << (8 * (9 - i));
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
