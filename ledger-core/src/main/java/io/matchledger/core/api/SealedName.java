package io.matchledger.core.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A player's name as events hold it: sealed under the player's own key (ADR 0019), so that destroying the key erases
 * the name from every event that holds it without changing a byte of them. In JSON a plain string,
 * {@code "A256GCM:<base64 of iv, ciphertext and tag>"}; {@code io.matchledger.core.personal.PersonalData} seals and
 * opens it. {@code "plain:<name>"} is a name of the first version, never sealed, as an upcaster hands it on from a
 * store that the upgrade could not rewrite (Axon Server): it opens without a key.
 */
public record SealedName(@JsonValue String value) {

    public static final String SEALED = "A256GCM:";
    public static final String PLAIN = "plain:";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public SealedName {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(SEALED) && !value.startsWith(PLAIN)) {
            throw new IllegalArgumentException("not a sealed name: it starts with neither " + SEALED + " nor " + PLAIN);
        }
    }

    /** A name of the first version, which a store still holds in plain text. */
    public static SealedName plain(String name) {
        return new SealedName(PLAIN + name);
    }

    public boolean isPlain() {
        return value.startsWith(PLAIN);
    }

    /** Never the value: a plain name would end up in log lines and failure reports. */
    @Override
    public String toString() {
        return isPlain() ? "SealedName[plain]" : "SealedName[" + value + "]";
    }
}
