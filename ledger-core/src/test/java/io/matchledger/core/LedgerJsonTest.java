package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.AdjustmentBooked;
import io.matchledger.core.api.AdjustmentReceipt;
import io.matchledger.core.api.ErasePlayerCommand;
import io.matchledger.core.api.Erasure;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PlayerErased;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.SealedName;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.core.api.Share;
import io.matchledger.core.api.VoidMatchCommand;
import io.matchledger.core.api.VoidReceipt;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON form of what the ledger stores: events are kept for ever and snapshots outlive the code that wrote them,
 * so both go through the service's Jackson serializer and must come back as they were.
 */
class LedgerJsonTest {

    private static final Instant PLAYED = Instant.parse("2026-11-25T21:30:00.123456789Z");

    private final JacksonSerializer serializer = LedgerFixture.serializer();

    @Test
    void aPlayerSnapshotSurvivesTheJacksonRoundTrip() throws Exception {
        Player player = new Player();
        PlayerRegistered registered = TestNames.registered("lubien", "Lubien");
        player.on(registered);
        player.on(new MatchRecorded("lubien", "m-1", "enemy", MatchResult.WIN, 3, 3, PLAYED));
        player.on(new PointsAdjusted("lubien", "a-1", 5, "bonus", 8));

        SerializedObject<String> json = serializer.serialize(player, String.class);
        Player restored = serializer.deserialize(json);

        // Only what the rules need: a few bytes however long the history is; the name sealed, as the events hold it.
        JsonNode tree = LedgerFixture.objectMapper().readTree(json.getData());
        assertThat(tree)
                .isEqualTo(LedgerFixture.objectMapper()
                        .createObjectNode()
                        .put("playerId", "lubien")
                        .put("name", registered.name().value())
                        .put("points", 8));
        assertThat(json.getType().getRevision()).isEqualTo("2");
        assertThat(restored).usingRecursiveComparison().isEqualTo(player);
    }

    @Test
    void aPlayerSnapshotWithAnUnknownFieldAndWithoutAFieldStillReads() {
        // Written by a newer version (with "rank") or an older one (without "name"). The serializer's ObjectMapper
        // must not fail on unknown properties, or every such snapshot is dropped and ledgers load from all events.
        Player restored =
                serializer.deserialize(new SimpleSerializedObject<>("""
                {"playerId":"lubien","points":7,"rank":3}
                """, String.class, Player.class.getName(), "1"));

        assertThat(restored).extracting("playerId", "name", "points").containsExactly("lubien", null, 7L);
    }

    static Stream<Object> storedAndAnswered() {
        List<Share> shares =
                List.of(new Share("enemy", MatchResult.WIN, 3, 75), new Share("lubien", MatchResult.LOSS, 0, 104));
        List<Share> reversals =
                List.of(new Share("enemy", MatchResult.WIN, -3, 72), new Share("lubien", MatchResult.LOSS, 0, 104));
        return Stream.of(
                TestNames.registered("lubien", "Lubien"),
                TestNames.renamed("lubien", "Lubien II"),
                new MatchRecorded("enemy", "m-1", "lubien", MatchResult.WIN, 3, 75, PLAYED),
                new MatchSettled("m-1", Outcome.WIN, shares, PLAYED),
                new PointsAdjusted("lubien", "a-1", -5, "penalty", 99),
                new AdjustmentBooked("a-1", "lubien", -5, "penalty", 99),
                new MatchSettlement("m-1", Outcome.WIN, shares, PLAYED, PLAYED.plusSeconds(1), true),
                new AdjustmentReceipt("a-1", "lubien", -5, "penalty", 99, PLAYED, false),
                new RegisterPlayerCommand("lubien", "Lubien"),
                new RecordMatchCommand("m-1", "enemy", "lubien", Outcome.WIN, null),
                new RecordMatchCommand("m-2", "enemy", "lubien", Outcome.DRAW, PLAYED),
                new AdjustPointsCommand("lubien", "a-1", -5, "penalty"),
                new VoidMatchCommand("m-1", "bugged map"),
                new MatchVoided("enemy", "m-1", "lubien", MatchResult.WIN, -3, "bugged map", 72),
                new SettlementVoided("m-1", "bugged map", reversals),
                new VoidReceipt("m-1", "bugged map", reversals, PLAYED.plusSeconds(60), true),
                new PlayerRenamed("lubien", SealedName.plain("Lubien of the first version")),
                new PlayerErased("lubien", "GDPR art. 17 request 2026-42"),
                new ErasePlayerCommand("lubien", "GDPR art. 17 request 2026-42"),
                new Erasure("lubien", "GDPR art. 17 request 2026-42", PLAYED, false));
    }

    @ParameterizedTest
    @MethodSource("storedAndAnswered")
    void everyEventCommandAndAnswerSurvivesTheJacksonRoundTrip(Object message) {
        // Nanoseconds included: an occurredAt that lost precision would no longer match an identical retry.
        Object restored = serializer.deserialize(serializer.serialize(message, byte[].class));

        assertThat(restored).isEqualTo(message);
    }
}
