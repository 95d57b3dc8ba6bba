package io.matchledger.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.SealedName;
import java.util.Map;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * Brings {@link PlayerRegistered} and {@link PlayerRenamed} from revision 1 (stored without a revision, the name in
 * plain text) to revision 2, where the name is a {@link SealedName}. On the JPA store the upgrade seals every such
 * name in place (migration V12.1), so this meets none there; a store it cannot rewrite (Axon Server) still holds them,
 * and their names are handed on as plain {@link SealedName}s, which open without a key (ADR 0019 says what an
 * erasure does about them).
 */
public class PlaintextNameUpcaster extends SingleEventUpcaster {

    static final String NAME = "name";

    private static final Map<String, SimpleSerializedType> REVISION_1_TO_2 = Map.of(
            PlayerRegistered.class.getName(), new SimpleSerializedType(PlayerRegistered.class.getName(), "2"),
            PlayerRenamed.class.getName(), new SimpleSerializedType(PlayerRenamed.class.getName(), "2"));

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        String revision = representation.getType().getRevision();
        return REVISION_1_TO_2.containsKey(representation.getType().getName())
                && (revision == null || revision.equals("1"));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(
                REVISION_1_TO_2.get(representation.getType().getName()),
                JsonNode.class,
                PlaintextNameUpcaster::unsealed);
    }

    private static JsonNode unsealed(JsonNode payload) {
        if (payload instanceof ObjectNode player && player.path(NAME).isTextual()) {
            player.put(NAME, SealedName.plain(player.get(NAME).asText()).value());
        }
        return payload;
    }
}
