package io.matchledger.core.api;

import java.util.List;

/**
 * Defines seasons, or redefines ones that have not started, all or none: one season from {@code PUT
 * /api/seasons/{id}}, the seasons of a schedule at once.
 */
public record DefineSeasonsCommand(List<SeasonWindow> seasons) {

    public DefineSeasonsCommand {
        seasons = List.copyOf(seasons);
    }
}
