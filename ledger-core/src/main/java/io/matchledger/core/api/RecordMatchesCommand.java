package io.matchledger.core.api;

import java.util.List;
import java.util.Map;

/**
 * Records a group of matches in one unit of work and one transaction, each with its own answer: a refusal of one
 * leaves the others as they are. A group is how matches that arrive together share the cost of a commit
 * ({@code GroupCommit}); each is decided exactly as {@link RecordMatchCommand} alone would be, duplicates of a match id
 * inside the group included.
 */
public record RecordMatchesCommand(List<Entry> matches) {

    public RecordMatchesCommand {
        matches = List.copyOf(matches);
    }

    /**
     * One match of the group, with the metadata its own command carried (who sent it, in which request): its events
     * are stamped with that, not with the group's.
     */
    public record Entry(RecordMatchCommand match, Map<String, ?> metaData) {

        public Entry {
            metaData = Map.copyOf(metaData);
        }
    }
}
