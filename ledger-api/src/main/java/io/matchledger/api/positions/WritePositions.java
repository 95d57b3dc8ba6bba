package io.matchledger.api.positions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.matchledger.api.security.RequestIdentity;
import java.time.Duration;
import java.util.Map;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The position in the ledger that a write's events reached: the highest global index among them, as the store handed
 * them out, keyed by the request id the events carry. A caller that reads with {@code minPosition} set to it sees its
 * own write. Published only once the unit of work committed: a group that rolled back and ran again never leaves the
 * index of a row that is not there (a gap a read model would wait on in vain).
 * <p>
 * A write that appended nothing (an identical retry) gets the head of the store when it is answered: at or past the
 * events of the write it repeats, which were committed before.
 */
@Component
public class WritePositions {

    /** The request attribute that holds this request's position once asked. */
    static final String ATTRIBUTE = WritePositions.class.getName();

    /** Taken by the request within milliseconds; the bound is for answers that never come to ask (a timeout). */
    private final Cache<String, Long> byRequest = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();
    /** Asked when first needed: the event store is built on the storage engine, which reports here. */
    private final ObjectProvider<EventStore> eventStore;

    public WritePositions(ObjectProvider<EventStore> eventStore) {
        this.eventStore = eventStore;
    }

    /**
     * Called by the storage engine with the global indexes of the rows it inserted, per request id: kept once the
     * current unit of work has committed (at once outside one).
     */
    public void appended(Map<String, Long> highestByRequest) {
        if (highestByRequest.isEmpty()) {
            return;
        }
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(committed -> keep(highestByRequest));
        } else {
            keep(highestByRequest);
        }
    }

    private void keep(Map<String, Long> highestByRequest) {
        highestByRequest.forEach((request, position) -> byRequest.asMap().merge(request, position, Math::max));
    }

    /**
     * The position of the writes the current request made, once they are answered; asked again, the same value. Also
     * remembered for {@link PositionHeader}, which puts it on the response.
     */
    public long ofThisRequest() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        Object known = request == null ? null : request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (known instanceof Long position) {
            return position;
        }
        Long appended = RequestIdentity.current().map(byRequest.asMap()::remove).orElse(null);
        long position = appended != null ? appended : head();
        if (request != null) {
            request.setAttribute(ATTRIBUTE, position, RequestAttributes.SCOPE_REQUEST);
        }
        return position;
    }

    /** The global index of the newest event; 0 when there is none. */
    public long head() {
        TrackingToken head = eventStore.getObject().createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }
}
