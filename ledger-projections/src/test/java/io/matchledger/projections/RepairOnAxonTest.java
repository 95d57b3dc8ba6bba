package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.matchledger.projections.api.ReadModelRepair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A repair (ADR 0022) through the store, on the real processor: the player's standing and the match's row computed
 * again from their own streams (the standing whatever its row held, the match's row where it was missing); and the sequencing that keeps a repair in order with the
 * events of what it repairs.
 */
class RepairOnAxonTest {

    ReadModelsOnAxon rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aRepairComputesThePlayersStandingAndTheMatchAgainFromTheirStreams() {
        rig = new ReadModelsOnAxon(100);
        rig.script.register("ann", "Ann");
        rig.script.register("bob", "Bob");
        rig.script.win("m1", "ann", "bob", LedgerScript.time(10));
        rig.script.adjust("ann", "a1", 2);
        awaitHead();
        Map<String, Object> ann = rig.jdbc.queryForMap("select * from player_standing where player_id = 'ann'");
        Map<String, Object> m1 = rig.jdbc.queryForMap("select * from match_record where match_id = 'm1'");
        rig.jdbc.update("update player_standing set points = 999, wins = 0 where player_id = 'ann'");
        rig.jdbc.update("delete from match_record where match_id = 'm1'");

        rig.axon
                .eventBus()
                .publish(
                        GenericEventMessage.asEventMessage(ReadModelRepair.ofPlayer("ann", "points unequal")),
                        GenericEventMessage.asEventMessage(ReadModelRepair.ofMatch("m1", "points unequal")));
        awaitHead();

        assertThat(rig.jdbc.queryForMap("select * from player_standing where player_id = 'ann'"))
                .isEqualTo(ann);
        assertThat(rig.jdbc.queryForObject("select points from player_standing where player_id = 'ann'", Long.class))
                .isEqualTo(5);
        assertThat(rig.jdbc.queryForMap("select * from match_record where match_id = 'm1'"))
                .isEqualTo(m1);
    }

    private void awaitHead() {
        long head = rig.projections.head();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> List.of(StandingsProjection.NAME, MatchesProjection.NAME).stream()
                        .allMatch(name -> rig.projections.reached(name, head)));
    }

    @Test
    void aRepairNamesAPlayerOrAMatch() {
        assertThat(ReadModelRepair.ofPlayer("ann", "why")).isEqualTo(new ReadModelRepair("ann", null, "why"));
        assertThat(ReadModelRepair.ofMatch("m1", "why")).isEqualTo(new ReadModelRepair(null, "m1", "why"));
        assertThatThrownBy(() -> new ReadModelRepair(null, null, "why"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a repair names a player or a match");
        assertThatThrownBy(() -> new ReadModelRepair("ann", "m1", "why")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadModelRepair("ann", null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aPlayersEventsAndRepairsGoToThePlayersSequenceEverythingElseToOne() {
        var sequencing = ReadModels.SEQUENCING;
        assertThat(sequencing.getSequenceIdentifierFor(
                        new GenericDomainEventMessage<>(ReadModels.PLAYER_LEDGER, "ann", 3, "an event")))
                .isEqualTo("ann");
        assertThat(sequencing.getSequenceIdentifierFor(
                        new GenericDomainEventMessage<>("Match", "match-m1", 0, "an event")))
                .isEqualTo(ReadModels.LEDGER_WIDE);
        assertThat(sequencing.getSequenceIdentifierFor(GenericEventMessage.asEventMessage("not on a stream")))
                .isEqualTo(ReadModels.LEDGER_WIDE);
        assertThat(sequencing.getSequenceIdentifierFor(
                        GenericEventMessage.asEventMessage(ReadModelRepair.ofPlayer("ann", "why"))))
                .isEqualTo("ann");
        assertThat(sequencing.getSequenceIdentifierFor(
                        GenericEventMessage.asEventMessage(ReadModelRepair.ofMatch("m1", "why"))))
                .isEqualTo(ReadModels.LEDGER_WIDE);

        var configurer = org.axonframework.config.DefaultConfigurer.defaultConfiguration(false);
        new ReadModels().configureModule(configurer);
        var axon = configurer.buildConfiguration();
        assertThat(axon.eventProcessingConfiguration().sequencingPolicy(ReadModels.PROCESSING_GROUP))
                .isSameAs(ReadModels.SEQUENCING);
    }
}
