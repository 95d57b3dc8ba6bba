package io.matchledger.api.audit;

import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@RequestMapping("/api/audit")
public class AuditController {

    static final int MAX_LIMIT = 1_000_000;

    private final EventExport export;
    private final LedgerVerification verification;

    public AuditController(EventExport export, LedgerVerification verification) {
        this.export = export;
        this.verification = verification;
    }

    @Operation(
            summary = "All events in global order, as NDJSON",
            description = "One JSON object per line: token (the global index), aggregateId, aggregateType, type (the "
                    + "payload's simple name), payloadType and revision (its stored type and form), sequence, eventId, "
                    + "timestamp, and payload and metadata exactly as stored, before any upcaster. Resume with "
                    + "after=<token of the last line>: the next export starts right after it and skips nothing. An "
                    + "export ends early before an event whose predecessor may still be committing, so fewer lines "
                    + "than limit do not mean the end; an empty answer means nothing new yet.")
    @Answers(id = "exportEvents", audience = Audience.AUDITORS, roles = Role.AUDITOR)
    @GetMapping(value = "/events", produces = MediaType.APPLICATION_NDJSON_VALUE)
    public ResponseEntity<StreamingResponseBody> events(
            @RequestParam(defaultValue = "-1") @Min(-1) long after,
            @RequestParam(defaultValue = "1000") @Min(1) @Max(MAX_LIMIT) int limit,
            HttpServletRequest request) {
        EventExport events = export;
        // The limit bounds the work; a large export must not be cut off by the default 30 s of an async request.
        WebAsyncUtils.getAsyncManager(request).getAsyncWebRequest().setTimeout(-1L);
        StreamingResponseBody body = out -> events.write(after, limit, out);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON).body(body);
    }

    @Operation(
            summary = "Recompute every total from the events and compare it with the read model",
            description = "Reads the whole event store. Each player is compared at the event the read model has "
                    + "reached for them, so the answer is exact while matches are recorded and during a rebuild. "
                    + "projected is null for a player the read model lacks although it processed their events; "
                    + "fromEvents is null for a player without a ledger. totalAfterBreaks lists events whose "
                    + "totalAfter is not the running sum of their ledger. Lists stop at 1000 entries; the counts do "
                    + "not.")
    @Answers(id = "verifyLedger", audience = Audience.AUDITORS, roles = Role.AUDITOR)
    @GetMapping("/verify")
    public AuditReport verify() {
        return verification.verify();
    }
}
