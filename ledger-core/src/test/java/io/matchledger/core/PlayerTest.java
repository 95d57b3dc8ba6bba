package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.Registration;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Registering a player: who may exist on the ledger, and under which name. */
class PlayerTest {

    private AggregateTestFixture<Player> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Player.class);
        fixture.registerInjectableResource(TestNames.PERSONAL);
    }

    @Test
    void registeringANewPlayerCreatesTheirLedgerWithTheTrimmedName() {
        fixture.givenNoPriorActivity()
                .when(new RegisterPlayerCommand("lubien", "  Lubien \t"))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(TestNames.openedAs(TestNames.registeredAs("lubien", "Lubien")))
                .expectResultMessagePayload(Registration.CREATED);
    }

    @Test
    void registeringAgainWithTheSameNameChangesNothing() {
        // Game servers retry; a retry must not produce a second event.
        fixture.given(TestNames.registered("lubien", "Lubien"))
                .when(new RegisterPlayerCommand("lubien", " Lubien "))
                .expectNoEvents()
                .expectResultMessagePayload(Registration.UNCHANGED);
    }

    @Test
    void registeringWithAnotherNameRenamesThePlayer() {
        fixture.given(TestNames.registered("lubien", "Lubien"))
                .when(new RegisterPlayerCommand("lubien", "Lubien the Great"))
                .expectEventsMatching(TestNames.openedAs(TestNames.renamedAs("lubien", "Lubien the Great")))
                .expectResultMessagePayload(Registration.RENAMED);
    }

    @Test
    void aRenameKeepsThePointsOfTheLedger() {
        // Registration is also how a name changes; it must never reset a ledger that already has points.
        fixture.given(
                        TestNames.registered("lubien", "Lubien"),
                        new MatchRecorded("lubien", "m-1", "enemy", MatchResult.WIN, 3, 3, LedgerFixture.NOW))
                .when(new RegisterPlayerCommand("lubien", "Lubien II"))
                .expectEventsMatching(TestNames.openedAs(TestNames.renamedAs("lubien", "Lubien II")))
                .expectState(player -> assertThat(player).extracting("points").isEqualTo(3L));
    }

    @Test
    void theNameIsComparedAfterTheLatestRename() {
        fixture.given(TestNames.registered("lubien", "Lubien"), TestNames.renamed("lubien", "Lubien II"))
                .when(new RegisterPlayerCommand("lubien", "Lubien"))
                .expectEventsMatching(TestNames.openedAs(TestNames.renamedAs("lubien", "Lubien")))
                .expectResultMessagePayload(Registration.RENAMED);
    }

    @Test
    void aNameOfExactlyOneHundredCharactersIsAccepted() {
        String longest = "x".repeat(100);
        fixture.givenNoPriorActivity()
                .when(new RegisterPlayerCommand("lubien", " " + longest + " "))
                .expectEventsMatching(TestNames.openedAs(TestNames.registeredAs("lubien", longest)));
    }

    @Test
    void aPlayerIdOfSixtyFourCharactersIsAccepted() {
        String longest = "p" + "a-._".repeat(15) + "zzz";
        fixture.givenNoPriorActivity()
                .when(new RegisterPlayerCommand(longest, "Lubien"))
                .expectEventsMatching(TestNames.openedAs(TestNames.registeredAs(longest, "Lubien")));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "lu bien", "-lubien", ".lubien", "match:m-1", "lübien", "lubien/../x"})
    void aPlayerIdOutsideTheContractsShapeIsRefused(String playerId) {
        fixture.givenNoPriorActivity()
                .when(new RegisterPlayerCommand(playerId, "Lubien"))
                .expectException(refusedFor(LedgerRefusal.Reason.RULE_BROKEN))
                .expectNoEvents();
    }

    @Test
    void aPlayerIdOfSixtyFiveCharactersIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new RegisterPlayerCommand("p".repeat(65), "Lubien"))
                .expectException(refusedFor(LedgerRefusal.Reason.RULE_BROKEN))
                .expectNoEvents();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t\n"})
    void aBlankNameIsRefused(String name) {
        fixture.givenNoPriorActivity()
                .when(new RegisterPlayerCommand("lubien", name))
                .expectException(refusedFor(LedgerRefusal.Reason.RULE_BROKEN))
                .expectNoEvents();
    }

    @Test
    void aNameOfMoreThanOneHundredCharactersIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new RegisterPlayerCommand("lubien", "x".repeat(101)))
                .expectException(refusedFor(LedgerRefusal.Reason.RULE_BROKEN))
                .expectNoEvents();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lu\u0000bien", "Lu\nbien", "Lu\tbien", "Lu\u001bbien", "Lu\u007fbien", "Lu\u0085bien"})
    void aNameWithControlCharactersIsRefused(String name) {
        // Names end up in logs, dashboards and CSV exports; control characters could forge lines in any of them.
        fixture.givenNoPriorActivity()
                .when(new RegisterPlayerCommand("lubien", name))
                .expectException(refusedFor(LedgerRefusal.Reason.RULE_BROKEN))
                .expectNoEvents();
    }

    @Test
    void anInvalidRenameLeavesTheRegisteredPlayerAsTheyWere() {
        fixture.given(TestNames.registered("lubien", "Lubien"))
                .when(new RegisterPlayerCommand("lubien", "x".repeat(101)))
                .expectException(refusedFor(LedgerRefusal.Reason.RULE_BROKEN))
                .expectNoEvents();
    }

    private static Matcher<LedgerRefusal> refusedFor(LedgerRefusal.Reason reason) {
        return new FeatureMatcher<>(equalTo(reason), "a ledger refusal for", "reason") {
            @Override
            protected LedgerRefusal.Reason featureValueOf(LedgerRefusal refusal) {
                return refusal.reason();
            }
        };
    }
}
