package io.matchledger.core;

import io.matchledger.core.api.ErasePlayerCommand;
import io.matchledger.core.api.Erasure;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.personal.PersonalData;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

/**
 * Erases a player's personal data (ADR 0019): {@code PlayerErased} on their ledger and their key destroyed, both in
 * the command's unit of work, which the JPA store commits in one transaction: a process killed meanwhile leaves the
 * erasure whole or not at all. The key is destroyed on every erasure, a repeated one too, so that where the event and
 * the key are in two stores (Axon Server) a repeat completes an erasure cut off between them.
 */
public class Erasures {

    private final Repository<Player> players;
    private final PersonalData personal;

    public Erasures(Repository<Player> players, PersonalData personal) {
        this.players = players;
        this.personal = personal;
    }

    @CommandHandler
    public Erasure handle(ErasePlayerCommand command) throws Exception {
        if (command.playerId() == null || !command.playerId().matches(LedgerRules.PLAYER_ID)) {
            throw LedgerRefusal.ruleBroken("playerId does not match " + LedgerRules.PLAYER_ID);
        }
        if (!LedgerRules.isValidReason(command.reason())) {
            throw LedgerRefusal.ruleBroken(
                    "reason must be 1-" + LedgerRules.REASON_MAX + " characters, without control characters");
        }
        Aggregate<Player> player = player(command.playerId());
        String reason = command.reason().strip();
        Erasure erasure = player.invoke(ledger -> ledger.erase(reason, personal));
        personal.erase(command.playerId());
        return erasure;
    }

    private Aggregate<Player> player(String playerId) {
        try {
            Aggregate<Player> player = players.load(playerId);
            // A stream that is not a player's ledger (the season calendar's id is a valid player id) has no player.
            if (player.invoke(Player::playerId) != null) {
                return player;
            }
        } catch (AggregateNotFoundException | IncompatibleAggregateException notFound) {
            // answered below: Axon refuses to load as a player a stream whose events never name one
        }
        throw LedgerRefusal.notFound("player " + playerId + " is not registered");
    }
}
