package io.matchledger.api.matches;

import io.matchledger.api.security.RecordedBy;
import io.matchledger.core.GroupCommit;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.springframework.stereotype.Component;

/**
 * Where the web records matches: through the group commit, stamped with who sent them in which request, answered once
 * their group has committed. A refusal or failure is thrown as the command gateway would have thrown it.
 */
@Component
public class MatchRecorder {

    private final GroupCommit groups;

    MatchRecorder(GroupCommit groups) {
        this.groups = groups;
    }

    public MatchSettlement record(RecordMatchCommand match) {
        return answer(groups.record(match, RecordedBy.ofThisRequest()));
    }

    /** Queued together; each future is that match's answer. */
    public List<CompletableFuture<MatchSettlement>> recordAll(List<RecordMatchCommand> matches) {
        var origin = RecordedBy.ofThisRequest();
        return groups.recordAll(matches.stream()
                .map(match -> new RecordMatchesCommand.Entry(match, origin))
                .toList());
    }

    /** Waits for the answer; what failed is thrown as itself, not wrapped. */
    public static MatchSettlement answer(CompletableFuture<MatchSettlement> answer) {
        try {
            return answer.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the match was being recorded", interrupted);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failed.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(failed.getCause());
        }
    }
}
