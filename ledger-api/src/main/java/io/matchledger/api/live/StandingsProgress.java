package io.matchledger.api.live;

import io.matchledger.projections.StandingsProjection;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.ReplayToken;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private final JdbcTemplate jdbc;
    private final Supplier<String> processorName;
    private volatile String processor;

    @Autowired
    StandingsProgress(Configuration axon, JdbcTemplate jdbc) {
        // Asked when first needed: Axon builds its processors after this bean.
        this(
                jdbc,
                () -> axon.eventProcessingConfiguration()
                        .eventProcessorByProcessingGroup(StandingsProjection.PROCESSING_GROUP)
                        .map(EventProcessor::getName)
                        .orElse(StandingsProjection.PROCESSING_GROUP));
    }

    /** The progress of the processor {@code processorName} names. */
    StandingsProgress(JdbcTemplate jdbc, Supplier<String> processorName) {
        this.jdbc = jdbc;
        this.processorName = processorName;
    }

    Mark read() {
        boolean[] replaying = {false};
        // Read without claiming: the token store's own fetch would take the segment away from its processor.
        List<ByteBuffer> tokens = jdbc.query(
                "select token_type, token from token_entry where processor_name = ? order by segment",
                (row, number) -> {
                    replaying[0] |= ReplayToken.class.getName().equals(row.getString("token_type"));
                    byte[] token = row.getBytes("token");
                    return ByteBuffer.wrap(token == null ? new byte[0] : token);
                },
                processor());
        return new Mark(tokens, replaying[0]);
    }

    private String processor() {
        if (processor == null) {
            processor = processorName.get();
        }
        return processor;
    }
}
