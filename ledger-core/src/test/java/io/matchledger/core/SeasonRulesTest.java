package io.matchledger.core;

import static io.matchledger.core.LedgerFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.DefineSeasonsCommand;
import io.matchledger.core.api.EndSeasonCommand;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.SealSeasonCommand;
import io.matchledger.core.api.SeasonDefinitions;
import io.matchledger.core.api.SeasonEndedEarly;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.core.api.SeasonSealed;
import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.api.SeasonsDefined;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The season calendar: windows never overlap, a started season stays put and only ends early, one seal each. */
class SeasonRulesTest {

    private static final Duration GRACE = Duration.ofHours(1);
    private static final SeasonWindow PAST = window("s1", NOW.minusSeconds(7200), NOW.minusSeconds(3600));
    private static final SeasonWindow RUNNING = window("s2", NOW.minusSeconds(3600), NOW.plusSeconds(3600));
    private static final SeasonWindow LATER = window("s3", NOW.plusSeconds(3600), NOW.plusSeconds(7200));
    private static final SeasonSeal SEAL = new SeasonSeal("s1", "export-line/1", 1, 9, 3, 2, "ab", 2, "cd");

    @RegisterExtension
    final LedgerFixture ledger = new LedgerFixture();

    @Test
    void seasonsAreDefinedAllOrNone() {
        ledger.when(new DefineSeasonsCommand(List.of(PAST, RUNNING, LATER)))
                .expectEvents(new SeasonsDefined(List.of(PAST, RUNNING, LATER)))
                .expectStreams(SeasonCalendar.ID)
                .expectResult(new SeasonDefinitions(List.of("s1", "s2", "s3"), List.of()));
    }

    @Test
    void theSameDefinitionAgainChangesNothing() {
        ledger.given(SeasonCalendar.ID, new SeasonsDefined(List.of(RUNNING)))
                .when(new DefineSeasonsCommand(List.of(RUNNING)))
                .expectNoEvents()
                .expectResult(new SeasonDefinitions(List.of(), List.of()));
    }

    @Test
    void theAnswerSaysWhetherADefinitionChangedAnything() {
        ledger.when(new DefineSeasonsCommand(List.of(RUNNING)));
        assertThat(ledger.<SeasonDefinitions>result().unchanged()).isFalse();
        ledger.when(new DefineSeasonsCommand(List.of(RUNNING)));
        assertThat(ledger.<SeasonDefinitions>result().unchanged()).isTrue();
        ledger.when(new DefineSeasonsCommand(List.of(window("s3", NOW.plusSeconds(3600), NOW.plusSeconds(7200)))));
        ledger.when(new DefineSeasonsCommand(List.of(window("s3", NOW.plusSeconds(3600), NOW.plusSeconds(9000)))));
        assertThat(ledger.<SeasonDefinitions>result().unchanged()).isFalse();
    }

    @Test
    void aGraceOfExactlyTheMaximumIsTaken() {
        SeasonWindow longGrace = new SeasonWindow("s5", "S5", NOW, NOW.plusSeconds(1), SeasonKeeper.MAX_GRACE);
        ledger.when(new DefineSeasonsCommand(List.of(longGrace))).expectEvents(new SeasonsDefined(List.of(longGrace)));
    }

    @Test
    void anOverlapIsRefusedAndNothingIsDefined() {
        SeasonWindow overlapping = window("s4", NOW.plusSeconds(3000), NOW.plusSeconds(4000));
        ledger.given(SeasonCalendar.ID, new SeasonsDefined(List.of(RUNNING)))
                .when(new DefineSeasonsCommand(List.of(LATER, overlapping)))
                .expectRefusal(LedgerRefusal.Reason.RULE_BROKEN)
                .expectNoEvents();
    }

    @Test
    void backToBackSeasonsDoNotOverlap() {
        ledger.given(SeasonCalendar.ID, new SeasonsDefined(List.of(RUNNING)))
                .when(new DefineSeasonsCommand(List.of(LATER)))
                .expectEvents(new SeasonsDefined(List.of(LATER)));
    }

    @Test
    void aStartedSeasonCannotBeMovedButAFutureOneCan() {
        ledger.given(SeasonCalendar.ID, new SeasonsDefined(List.of(RUNNING, LATER)))
                .when(new DefineSeasonsCommand(List.of(window("s2", RUNNING.start(), NOW.plusSeconds(60)))))
                .expectRefusal(LedgerRefusal.Reason.CONFLICT);
        SeasonWindow moved = window("s3", NOW.plusSeconds(4000), NOW.plusSeconds(9000));
        ledger.when(new DefineSeasonsCommand(List.of(moved)))
                .expectEvents(new SeasonsDefined(List.of(moved)))
                .expectResult(new SeasonDefinitions(List.of(), List.of("s3")));
    }

    @Test
    void aRunningSeasonEndsEarlyNowWithItsReason() {
        ledger.given(SeasonCalendar.ID, new SeasonsDefined(List.of(RUNNING)))
                .when(new EndSeasonCommand("s2", "  server migration  "))
                .expectEvents(new SeasonEndedEarly("s2", NOW, RUNNING.end(), "server migration"))
                .expectResult(new SeasonWindow("s2", "Season s2", RUNNING.start(), NOW, GRACE));
        ledger.when(new EndSeasonCommand("s2", "again")).expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
    }

    @Test
    void onlyARunningSeasonEndsEarly() {
        ledger.given(SeasonCalendar.ID, new SeasonsDefined(List.of(PAST, LATER)))
                .when(new EndSeasonCommand("s3", "not yet"))
                .expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
        ledger.when(new EndSeasonCommand("s1", "over")).expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
        ledger.when(new EndSeasonCommand("nope", "unknown")).expectRefusal(LedgerRefusal.Reason.NOT_FOUND);
        ledger.when(new EndSeasonCommand("s3", " ")).expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
    }

    @Test
    void aClosedSeasonIsSealedOnceAndTheSameSealAgainIsARetry() {
        ledger.given(SeasonCalendar.ID, new SeasonsDefined(List.of(PAST)))
                .when(new SealSeasonCommand(SEAL))
                .expectEvents(new SeasonSealed(SEAL))
                .expectResult(SEAL);
        ledger.when(new SealSeasonCommand(SEAL)).expectNoEvents().expectResult(SEAL);
        SeasonSeal other = new SeasonSeal("s1", "export-line/1", 1, 9, 3, 2, "ff", 2, "cd");
        ledger.when(new SealSeasonCommand(other)).expectRefusal(LedgerRefusal.Reason.CONFLICT);
    }

    @Test
    void aSeasonIsNotSealedBeforeItCloses() {
        // s2 ends in an hour and closes an hour later.
        ledger.given(SeasonCalendar.ID, new SeasonsDefined(List.of(RUNNING)))
                .when(new SealSeasonCommand(new SeasonSeal("s2", "export-line/1", 0, 0, 0, 0, "ab", 0, "cd")))
                .expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
    }

    @Test
    void aSeasonNeedsAnIdANameAndAWindowThatStartsBeforeItEnds() {
        ledger.when(new DefineSeasonsCommand(List.of(window("current", NOW, NOW.plusSeconds(1)))))
                .expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
        ledger.when(new DefineSeasonsCommand(List.of(window("s5", NOW, NOW))))
                .expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
        ledger.when(new DefineSeasonsCommand(List.of(new SeasonWindow("s5", " ", NOW, NOW.plusSeconds(1), GRACE))))
                .expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
        ledger.when(new DefineSeasonsCommand(
                        List.of(new SeasonWindow("s5", "S5", NOW, NOW.plusSeconds(1), Duration.ofDays(32)))))
                .expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
    }

    @Test
    void aMatchFromTheFutureIsRefused() {
        ledger.given("ann", TestNames.registered("ann", "Ann"))
                .given("bob", TestNames.registered("bob", "Bob"))
                .when(new RecordMatchCommand("m-1", "ann", "bob", Outcome.WIN, NOW.plusSeconds(61)))
                .expectRefusal(LedgerRefusal.Reason.RULE_BROKEN)
                .expectNoEvents();
    }

    private static SeasonWindow window(String id, Instant start, Instant end) {
        return new SeasonWindow(id, "Season " + id, start, end, GRACE);
    }
}
