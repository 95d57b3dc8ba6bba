package io.matchledger.api.live;

import io.matchledger.projections.ReadModels;
import io.matchledger.projections.lifecycle.TokenStoreView;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.ReplayToken;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * How far the standings read model has got, as its processor's stored tokens say. The token store is shared by every
 * process on one database and the processor stores its token in the transaction of the rows it wrote, so a changed
 * token means committed changes to the standings, whichever process made them. One indexed read of a tiny table.
 */
@Component
class StandingsProgress {

    /** The stored tokens, segment by segment; equal marks mean nothing was projected in between. */
    record Mark(List<ByteBuffer> tokens, boolean replaying) {}

    private final TokenStoreView tokens;
    private final Supplier<String> processorName;
    private volatile String processor;

    @Autowired
    StandingsProgress(Configuration axon, TokenStoreView tokens) {
        // Asked when first needed: Axon builds its processors after this bean.
        this(
                tokens,
                () -> axon.eventProcessingConfiguration()
                        .eventProcessorByProcessingGroup(ReadModels.PROCESSING_GROUP)
                        .map(EventProcessor::getName)
                        .orElse(ReadModels.PROCESSING_GROUP));
    }

    /** The progress of the processor {@code processorName} names (the one that keeps every read model). */
    StandingsProgress(TokenStoreView tokens, Supplier<String> processorName) {
        this.tokens = tokens;
        this.processorName = processorName;
    }

    Mark read() {
        List<TokenStoreView.StoredToken> stored =
                List.copyOf(tokens.tokens(processor()).values());
        return new Mark(
                stored.stream()
                        .map(token -> ByteBuffer.wrap(token.serialized() == null ? new byte[0] : token.serialized()))
                        .toList(),
                stored.stream().anyMatch(token -> ReplayToken.isReplay(token.token())));
    }

    private String processor() {
        if (processor == null) {
            processor = processorName.get();
        }
        return processor;
    }
}
