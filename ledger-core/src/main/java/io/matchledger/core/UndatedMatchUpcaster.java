package io.matchledger.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchSettled;
import java.time.Instant;
import java.util.Map;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * Brings {@link MatchRecorded} and {@link MatchSettled} from revision 1 to revision 2, where {@code occurredAt} is
 * required. Revision 1 is how the first version stored them: without a revision, and {@code occurredAt} optional.
 * A match without it is dated with the moment its event was recorded, which is the very rule the ledger applies to a
 * match reported without a time, so an old match reads as if it had been recorded today.
 * <p>
 * Events that already carry {@code occurredAt} pass through with their data unchanged: only the revision moves.
 */
public class UndatedMatchUpcaster extends SingleEventUpcaster {

    static final String OCCURRED_AT = "occurredAt";

    private static final Map<String, SimpleSerializedType> REVISION_1_TO_2 = Map.of(
            MatchRecorded.class.getName(), new SimpleSerializedType(MatchRecorded.class.getName(), "2"),
            MatchSettled.class.getName(), new SimpleSerializedType(MatchSettled.class.getName(), "2"));

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        String revision = representation.getType().getRevision();
        return REVISION_1_TO_2.containsKey(representation.getType().getName())
                && (revision == null || revision.equals("1"));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        Instant recordedAt = representation.getTimestamp();
        return representation.upcastPayload(
                REVISION_1_TO_2.get(representation.getType().getName()),
                JsonNode.class,
                payload -> dated(payload, recordedAt));
    }

    private static JsonNode dated(JsonNode payload, Instant recordedAt) {
        if (payload instanceof ObjectNode match && (!match.hasNonNull(OCCURRED_AT))) {
            match.put(OCCURRED_AT, recordedAt.toString());
        }
        return payload;
    }
}
