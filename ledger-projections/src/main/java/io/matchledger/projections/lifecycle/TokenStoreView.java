package io.matchledger.projections.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The processors' stored tokens, read without claiming: Axon's {@code TokenStore.fetchToken} would take a segment away
 * from the processor that holds it. The token store is shared by every process on one database, and a streaming
 * processor stores its token in the transaction of the rows it wrote, so a stored token never runs ahead of them. The
 * one place that reads Axon's {@code token_entry} table.
 */
@Component
public class TokenStoreView {

    /** One segment's row: its token (null before the first batch), raw and as Axon serialized it, and its holder. */
    public record StoredToken(int segment, TrackingToken token, byte[] serialized, String owner) {}

    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    public TokenStoreView(JdbcTemplate jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /** The processor's segments by number. */
    public Map<Integer, StoredToken> tokens(String processorName) {
        Map<Integer, StoredToken> tokens = new TreeMap<>();
        jdbc.query(
                "select segment, token, token_type, owner from token_entry where processor_name = ? order by segment",
                row -> {
                    byte[] token = row.getBytes("token");
                    String type = row.getString("token_type");
                    int segment = row.getInt("segment");
                    TrackingToken deserialized = token == null || type == null
                            ? null
                            : serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
                    tokens.put(segment, new StoredToken(segment, deserialized, token, row.getString("owner")));
                },
                processorName);
        return tokens;
    }

    /**
     * The segments of the processor that another process holds: claimed by an owner other than this process, which
     * Axon's token store names by its JVM ({@code pid@host}, its default node id). A claim of this process's own is
     * not in the way, even one that a processor stopped right after its start failed to release (ADR 0003).
     */
    public List<Integer> heldElsewhere(String processorName) {
        return jdbc.queryForList(
                "select segment from token_entry where processor_name = ? and owner is not null and owner <> ?",
                Integer.class,
                processorName,
                THIS_PROCESS);
    }

    private static final String THIS_PROCESS =
            java.lang.management.ManagementFactory.getRuntimeMXBean().getName();

    /** Forgets a processor that exists no more (a finished or abandoned rebuild's). */
    public void forget(String processorName) {
        jdbc.update("delete from token_entry where processor_name = ?", processorName);
    }
}
