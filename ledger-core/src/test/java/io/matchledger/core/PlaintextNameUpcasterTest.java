package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.SealedName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/**
 * Names of the first version in a store the upgrade could not rewrite (Axon Server): they load as plain names, which
 * open without a key; sealed ones pass through as they are.
 */
class PlaintextNameUpcasterTest {

    private final JacksonSerializer serializer = LedgerFixture.serializer();

    @Test
    void aRegistrationOfTheFirstVersionLoadsWithItsNameAsAPlainName() {
        Object loaded = load(PlayerRegistered.class, null, """
                {"playerId":"lubien","name":"Lubien"}
                """);

        assertThat(loaded).isEqualTo(new PlayerRegistered("lubien", SealedName.plain("Lubien")));
        assertThat(TestNames.PERSONAL.open("lubien", ((PlayerRegistered) loaded).name()))
                .contains("Lubien");
    }

    @Test
    void aRenameOfTheFirstVersionToo() {
        assertThat(load(PlayerRenamed.class, "1", """
                        {"playerId":"lubien","name":"Lubien II"}
                        """))
                .isEqualTo(new PlayerRenamed("lubien", SealedName.plain("Lubien II")));
    }

    @Test
    void aSealedNamePassesAsItIs() {
        PlayerRegistered sealed = TestNames.registered("lubien", "Lubien");
        String json = "{\"playerId\":\"lubien\",\"name\":\"" + sealed.name().value() + "\"}";

        assertThat(load(PlayerRegistered.class, "2", json)).isEqualTo(sealed);
    }

    private Object load(Class<?> type, String revision, String json) {
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>(
                "Player",
                "lubien",
                0,
                "e-1",
                Instant.parse("2025-03-01T18:45:12.345Z"),
                type.getName(),
                revision,
                json.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        return EventStreamUtils.upcastAndDeserializeDomainEvents(
                        Stream.of(stored), serializer, new PlaintextNameUpcaster())
                .asStream()
                .map(DomainEventMessage::getPayload)
                .findFirst()
                .orElseThrow();
    }
}
