package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.AdjustmentStreamEvent;
import io.matchledger.core.api.MatchStreamEvent;
import io.matchledger.core.api.PlayerLedgerEvent;
import io.matchledger.core.api.SeasonCalendarEvent;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each stream's vocabulary is written once, as a sealed interface of records; this keeps it equal to what the stream's
 * aggregate actually sources itself from, so a new event cannot be added to a stream without being named there.
 */
class EventVocabularyTest {

    static java.util.stream.Stream<Arguments> streams() {
        return java.util.stream.Stream.of(
                Arguments.of(Player.class, PlayerLedgerEvent.class),
                Arguments.of(Match.class, MatchStreamEvent.class),
                Arguments.of(Adjustment.class, AdjustmentStreamEvent.class),
                Arguments.of(SeasonCalendar.class, SeasonCalendarEvent.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void aStreamsAggregateIsSourcedFromExactlyItsVocabulary(Class<?> aggregate, Class<?> vocabulary) {
        Set<Class<?>> sourcedFrom = Arrays.stream(aggregate.getDeclaredMethods())
                .filter(method -> method.isAnnotationPresent(EventSourcingHandler.class))
                .map(Method::getParameterTypes)
                .map(parameters -> parameters[0])
                .collect(Collectors.toSet());

        assertThat(vocabulary.isSealed()).isTrue();
        assertThat(sourcedFrom).containsExactlyInAnyOrder(vocabulary.getPermittedSubclasses());
        assertThat(sourcedFrom)
                .allSatisfy(event -> assertThat(event.isRecord())
                        .as("%s is a record", event.getSimpleName())
                        .isTrue());
    }
}
