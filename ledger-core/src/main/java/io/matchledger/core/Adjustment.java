package io.matchledger.core;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.AdjustmentBooked;
import io.matchledger.core.api.AdjustmentReceipt;
import io.matchledger.core.api.LedgerRefusal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/** An adjustment's own stream: makes the adjustment id a durable, global idempotency key, as {@link Match} does. */
public class Adjustment {

    private static final String PREFIX = "adjustment:";

    @AggregateIdentifier
    private String id;

    private AdjustmentBooked booked;
    private Instant recordedAt;

    protected Adjustment() {
        // for Axon
    }

    Adjustment(AdjustmentBooked booked) {
        apply(booked);
    }

    public static String streamId(String adjustmentId) {
        return PREFIX + adjustmentId;
    }

    AdjustmentReceipt confirmRetry(AdjustPointsCommand command) {
        if (!booked.playerId().equals(command.playerId())
                || booked.points() != command.points()
                || !booked.reason().equals(command.reason().strip())) {
            throw LedgerRefusal.conflict(
                    "adjustment " + booked.adjustmentId() + " was already booked with other content");
        }
        return receipt(true);
    }

    AdjustmentReceipt receipt(boolean replayed) {
        return new AdjustmentReceipt(
                booked.adjustmentId(),
                booked.playerId(),
                booked.points(),
                booked.reason(),
                booked.totalAfter(),
                recordedAt,
                replayed);
    }

    @EventSourcingHandler
    void on(AdjustmentBooked event, @Timestamp Instant timestamp) {
        id = streamId(event.adjustmentId());
        booked = event;
        // The store keeps timestamps to the millisecond: the first answer says what a replay will say.
        recordedAt = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }
}
