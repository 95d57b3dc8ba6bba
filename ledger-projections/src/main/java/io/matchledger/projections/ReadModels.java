package io.matchledger.projections;

import io.matchledger.projections.api.ReadModelRepair;
import java.util.Optional;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * The read models are kept by one streaming processor ({@link #PROCESSING_GROUP}): each batch of events is read,
 * deserialised and committed once, with its token, for all of them (ADR 0018). Its work is split into segments by
 * player, which several processes claim: every event of a player's ledger goes to that player's segment, where the
 * standings and the history, keyed by player, are written by one writer each. Everything else (matches, their voids,
 * adjustments' key streams, the season calendar and its seals) goes to one ledger-wide segment, where the matches and
 * the seasons are kept by one writer, as they always were: a season is placed again from its matches when its
 * calendar changes, which only a single writer of those rows can do exactly. The counts shared by players (the points
 * tally) are changed by adding to them, which several writers may do at once.
 */
@Component
public class ReadModels implements ConfigurerModule {

    /** The one processing group, and processor, of every read model. */
    public static final String PROCESSING_GROUP = "read-models";

    /** The aggregate type of a player's ledger, as Axon names it after the aggregate's class. */
    static final String PLAYER_LEDGER = "Player";

    /** Where every event outside the players' ledgers goes: one segment, whichever the count. */
    static final String LEDGER_WIDE = "ledger-wide";

    /** Player-ledger events by player; everything else to the one ledger-wide sequence. */
    public static final SequencingPolicy<EventMessage<?>> SEQUENCING = new SequencingPolicy<>() {
        @Override
        public Object getSequenceIdentifierFor(EventMessage<?> event) {
            // Every segment's thread asks this of every event it reads: the stored type answers without the payload
            // being deserialised, which only a repair needs.
            if (ReadModelRepair.class.equals(event.getPayloadType())) {
                // In order with the events of what it repairs.
                ReadModelRepair repair = (ReadModelRepair) event.getPayload();
                return repair.playerId() != null ? repair.playerId() : LEDGER_WIDE;
            }
            return playerOf(event).orElse(LEDGER_WIDE);
        }
    };

    @Override
    public void configureModule(Configurer configurer) {
        configurer.eventProcessing().registerSequencingPolicy(PROCESSING_GROUP, c -> SEQUENCING);
    }

    /** The player whose ledger an event is on, if it is on one. */
    static Optional<String> playerOf(Message<?> message) {
        return message instanceof DomainEventMessage<?> event && PLAYER_LEDGER.equals(event.getType())
                ? Optional.of(event.getAggregateIdentifier())
                : Optional.empty();
    }
}
