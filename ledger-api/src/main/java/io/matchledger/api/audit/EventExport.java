package io.matchledger.api.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * The event store as NDJSON, one event per line, in global order. The payload and metadata are written as stored (the
 * JSON the serializer wrote, before any upcaster), so the export is what the store holds, not what today's code makes
 * of it; {@code payloadType} and {@code revision} say which form a payload has.
 * <p>
 * <b>Resuming must not skip an event.</b> Global indexes are handed out when a transaction writes, and transactions
 * commit in any order, however late: index 41 may still be in flight when 42 is visible. A reader that took 42 and
 * later resumes "after 42" would never see 41. So an export stops before an event that a write still in flight may
 * precede, as the store's own evidence says (ADR 0014); a write that rolled back leaves a hole for good, which the
 * store proves within moments and later exports step over.
 */
@Component
public class EventExport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lines written between flushes: a slow client gets the export in steady pieces. */
    private static final int FLUSH_EVERY = 1_000;

    private final StoredEvents events;

    public EventExport(StoredEvents events) {
        this.events = events;
    }

    /** Writes up to {@code limit} events after the token {@code after}; returns how many it wrote. */
    public long write(long after, long limit, OutputStream out) throws IOException {
        try (JsonGenerator line = JSON.getFactory()
                .createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                // Lines are separated by the newline alone; Jackson would add a space.
                .setRootValueSeparator(null)) {
            long[] written = {0};
            events.read(after, Long.MAX_VALUE, limit, true, event -> {
                try {
                    write(event, line);
                    if (++written[0] % FLUSH_EVERY == 0) {
                        line.flush();
                    }
                } catch (IOException e) {
                    throw new ExportAborted(e);
                }
                return true;
            });
            line.flush();
            return written[0];
        } catch (ExportAborted aborted) {
            throw aborted.getCause();
        }
    }

    /**
     * The event's line of the export, newline included: the canonical form of a season's seal ({@code
     * export-line/1}, docs/seasons.md), so an auditor recomputes a seal from the export's own bytes.
     */
    public static byte[] line(StoredEvent event) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(512);
        try (JsonGenerator line = JSON.getFactory().createGenerator(bytes).setRootValueSeparator(null)) {
            write(event, line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(StoredEvent event, JsonGenerator line) throws IOException {
        line.writeStartObject();
        line.writeNumberField("token", event.token());
        line.writeStringField("aggregateId", event.aggregateId());
        line.writeStringField("aggregateType", event.aggregateType());
        // The simple name, as the player's own event stream shows it; the stored name and revision say which form
        // the payload has.
        line.writeStringField("type", simpleName(event.payloadType()));
        line.writeStringField("payloadType", event.payloadType());
        line.writeStringField("revision", event.payloadRevision());
        line.writeNumberField("sequence", event.sequence());
        line.writeStringField("eventId", event.eventId());
        line.writeStringField("timestamp", event.timestamp());
        line.writeFieldName("payload");
        writeJson(event.payload(), line);
        line.writeFieldName("metadata");
        writeJson(event.metadata(), line);
        line.writeEndObject();
        line.writeRaw('\n');
    }

    private static String simpleName(String payloadType) {
        return payloadType.substring(payloadType.lastIndexOf('.') + 1);
    }

    /**
     * The stored bytes as they are when they are one line of JSON (what the Jackson serializer writes); anything else
     * is re-encoded so that it cannot break the one-event-per-line framing.
     */
    private static void writeJson(byte[] stored, JsonGenerator line) throws IOException {
        if (stored == null) {
            line.writeNull();
        } else if (isOneLineOfJson(stored)) {
            line.writeRawValue(new String(stored, StandardCharsets.UTF_8));
        } else {
            try {
                line.writeTree(JSON.readTree(stored));
            } catch (IOException notJson) {
                line.writeString(new String(stored, StandardCharsets.UTF_8));
            }
        }
    }

    private static boolean isOneLineOfJson(byte[] stored) {
        int first = 0;
        while (first < stored.length && Character.isWhitespace(stored[first])) {
            first++;
        }
        if (first == stored.length || (stored[first] != '{' && stored[first] != '[')) {
            return false;
        }
        for (byte b : stored) {
            if (b == '\n' || b == '\r') {
                return false;
            }
        }
        return true;
    }

    /** Carries a failed write out of the row callback. */
    private static final class ExportAborted extends RuntimeException {

        ExportAborted(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
