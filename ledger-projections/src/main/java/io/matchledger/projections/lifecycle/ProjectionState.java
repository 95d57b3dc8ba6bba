package io.matchledger.projections.lifecycle;

import io.matchledger.projections.failures.ProjectionFailure;
import java.util.Optional;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;

/** Whether a projection's processor runs in this process, read from the processor alone (no database). */
public enum ProjectionState {
    /** Processing, or waiting for events. */
    RUNNING,
    /**
     * Its last batch failed and rolled back; the processor retries it with back-off and processes nothing past the
     * failing event until a retry succeeds (docs/decisions/0006).
     */
    FAILING,
    /** Not started in this process, or shut down. */
    STOPPED;

    /** The processor's state, and while it is failing, the failure its handlers raised. */
    public static Condition of(StreamingEventProcessor processor) {
        if (!processor.isRunning()) {
            return new Condition(STOPPED, Optional.empty());
        }
        Optional<Throwable> error = processor.processingStatus().values().stream()
                .filter(EventTrackerStatus::isErrorState)
                .map(EventTrackerStatus::getError)
                .findFirst();
        return new Condition(error.isPresent() ? FAILING : RUNNING, error);
    }

    public record Condition(ProjectionState state, Optional<Throwable> error) {

        /** What failed, for an operator: the event and the cause, never a stack trace. */
        public String message() {
            return error.map(
                            failure -> failure instanceof ProjectionFailure ? failure.getMessage() : failure.toString())
                    .map(message -> message.length() > 500 ? message.substring(0, 500) + "..." : message)
                    .orElse(null);
        }

        /** The global index of the event the handlers failed on, when the failure names one. */
        public Long failingAt() {
            return error.filter(ProjectionFailure.class::isInstance)
                    .map(ProjectionFailure.class::cast)
                    .flatMap(failure -> failure.globalIndex().stream().boxed().findFirst())
                    .orElse(null);
        }
    }
}
