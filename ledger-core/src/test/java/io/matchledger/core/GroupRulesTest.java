package io.matchledger.core;

import static io.matchledger.core.LedgerFixture.NOW;
import static io.matchledger.core.api.LedgerRefusal.Reason.CONFLICT;
import static io.matchledger.core.api.LedgerRefusal.Reason.NOT_FOUND;
import static io.matchledger.core.api.LedgerRefusal.Reason.RULE_BROKEN;
import static io.matchledger.core.api.MatchResult.DRAW;
import static io.matchledger.core.api.MatchResult.LOSS;
import static io.matchledger.core.api.MatchResult.WIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.MatchAnswer;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import io.matchledger.core.api.Share;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Matches recorded as a group, in one unit of work: each decided exactly as it would be alone, with its own answer.
 * Every test starts with three registered players at 0 points.
 */
class GroupRulesTest {

    @RegisterExtension
    final LedgerFixture ledger = new LedgerFixture();

    @BeforeEach
    void threeRegisteredPlayers() {
        ledger.given("lubien", TestNames.registered("lubien", "Lubien"))
                .given("enemy", TestNames.registered("enemy", "Enemy"))
                .given("third", TestNames.registered("third", "Third"));
    }

    @Test
    void eachMatchOfAGroupIsRecordedAsItWouldBeAloneWithTotalsThatFollowEachOther() {
        ledger.when(group(win("m-1", "enemy", "lubien"), draw("m-2", "lubien", "enemy"), win("m-3", "enemy", "third")))
                .expectStreams(
                        "enemy", "lubien", "match:m-1", "lubien", "enemy", "match:m-2", "enemy", "third", "match:m-3");
        assertThat(answers())
                .containsExactly(
                        recorded("m-1", Outcome.WIN, new Share("enemy", WIN, 3, 3), new Share("lubien", LOSS, 0, 0)),
                        recorded("m-2", Outcome.DRAW, new Share("lubien", DRAW, 1, 1), new Share("enemy", DRAW, 1, 4)),
                        recorded("m-3", Outcome.WIN, new Share("enemy", WIN, 3, 7), new Share("third", LOSS, 0, 0)));
        assertThat(ledger.eventsOf("enemy")).hasSize(4);
    }

    @Test
    void aRefusedMatchIsItsOwnAnswerAndLeavesTheOthersAndNothingOfItselfBehind() {
        ledger.when(group(
                win("m-1", "enemy", "lubien"),
                win("m-2", "enemy", "nobody"),
                win("m-3", "third", "third"),
                win("bad id!", "enemy", "third"),
                draw("m-4", "third", "lubien")));
        List<MatchAnswer> answers = answers();
        assertThat(answers)
                .extracting(MatchAnswer::refusal)
                .containsExactly(null, NOT_FOUND, RULE_BROKEN, RULE_BROKEN, null);
        assertThat(answers.get(1).message()).contains("nobody");
        assertThat(ledger.appended())
                .map(event -> ((DomainEventMessage<?>) event).getAggregateIdentifier())
                .containsExactly("enemy", "lubien", "match:m-1", "third", "lubien", "match:m-4");
        assertThat(ledger.eventsOf("nobody")).isEmpty();
    }

    @Test
    void duplicatesInsideAGroupResolveAsAcrossGroups() {
        MatchAnswer original =
                recorded("m-1", Outcome.WIN, new Share("enemy", WIN, 3, 3), new Share("lubien", LOSS, 0, 0));
        ledger.when(group(win("m-1", "enemy", "lubien"), win("m-1", "enemy", "lubien"), win("m-1", "lubien", "enemy")))
                .expectStreams("enemy", "lubien", "match:m-1");
        List<MatchAnswer> inside = answers();
        assertThat(inside.get(0)).isEqualTo(original);
        assertThat(inside.get(1)).isEqualTo(replayOf(original));
        assertThat(inside.get(2).refusal()).isEqualTo(CONFLICT);

        ledger.when(group(win("m-1", "enemy", "lubien"), win("m-1", "lubien", "enemy")))
                .expectNoEvents();
        List<MatchAnswer> across = answers();
        assertThat(across.get(0)).isEqualTo(replayOf(original));
        assertThat(across.get(1).refusal()).isEqualTo(CONFLICT);

        // And the single command agrees with both.
        ledger.when(win("m-1", "enemy", "lubien"))
                .expectResult(replayOf(original).settlement());
        ledger.when(win("m-1", "lubien", "enemy")).expectRefusal(CONFLICT);
    }

    @Test
    void eachMatchsEventsCarryTheMetadataOfItsOwnCommandNotTheGroups() {
        ledger.when(new RecordMatchesCommand(List.of(
                new RecordMatchesCommand.Entry(win("m-1", "enemy", "lubien"), Map.of("traceId", "request-a")),
                new RecordMatchesCommand.Entry(win("m-2", "third", "lubien"), Map.of("traceId", "request-b")))));
        assertThat(ledger.appended())
                .map(event -> event.getMetaData().get("traceId"))
                .containsExactly("request-a", "request-a", "request-a", "request-b", "request-b", "request-b");
    }

    @Test
    void aStoreConflictFailsTheWholeGroupAndItsRerunDecidesOnTheStoresState() {
        ledger.when(win("m-0", "enemy", "lubien")); // enemy's ledger is now cached at sequence 1
        // Another process appends to enemy's stream behind this one's cache.
        ledger.givenElsewhere("enemy", new MatchRecorded("enemy", "elsewhere", "third", WIN, 3, 6, NOW));

        ledger.when(group(win("m-1", "third", "lubien"), win("m-2", "enemy", "lubien")));
        assertThat(ledger.failure()).isInstanceOf(ConcurrencyException.class);
        ledger.expectNoEvents();
        assertThat(ledger.eventsOf("match:m-1"))
                .as("not even the match that did not touch enemy")
                .isEmpty();

        // The gateway's retry sends the group again; the rolled-back unit of work dropped the stale ledger.
        ledger.when(group(win("m-1", "third", "lubien"), win("m-2", "enemy", "lubien")));
        assertThat(answers())
                .extracting(MatchAnswer::settlement)
                .extracting(MatchSettlement::players)
                .containsExactly(
                        List.of(new Share("third", WIN, 3, 3), new Share("lubien", LOSS, 0, 0)),
                        List.of(new Share("enemy", WIN, 3, 9), new Share("lubien", LOSS, 0, 0)));
    }

    private List<MatchAnswer> answers() {
        return ledger.result();
    }

    private static RecordMatchesCommand group(RecordMatchCommand... matches) {
        return new RecordMatchesCommand(Arrays.stream(matches)
                .map(match -> new RecordMatchesCommand.Entry(match, Map.of()))
                .toList());
    }

    private static RecordMatchCommand win(String matchId, String winner, String loser) {
        return new RecordMatchCommand(matchId, winner, loser, Outcome.WIN, null);
    }

    private static RecordMatchCommand draw(String matchId, String first, String second) {
        return new RecordMatchCommand(matchId, first, second, Outcome.DRAW, null);
    }

    private static MatchAnswer recorded(String matchId, Outcome outcome, Share first, Share second) {
        return MatchAnswer.recorded(new MatchSettlement(matchId, outcome, List.of(first, second), NOW, NOW, false));
    }

    private static MatchAnswer replayOf(MatchAnswer original) {
        MatchSettlement s = original.settlement();
        return MatchAnswer.recorded(
                new MatchSettlement(s.matchId(), s.outcome(), s.players(), s.occurredAt(), s.recordedAt(), true));
    }
}
