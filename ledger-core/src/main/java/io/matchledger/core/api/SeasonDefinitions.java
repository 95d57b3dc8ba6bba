package io.matchledger.core.api;

import java.util.List;

/** The answer to a {@link DefineSeasonsCommand}: which seasons are new, and which it changed. Neither: unchanged. */
public record SeasonDefinitions(List<String> created, List<String> changed) {

    public boolean unchanged() {
        return created.isEmpty() && changed.isEmpty();
    }
}
