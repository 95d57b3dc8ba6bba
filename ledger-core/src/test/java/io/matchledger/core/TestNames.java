package io.matchledger.core;

import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.personal.PersonalData;
import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.hamcrest.Matchers;

/**
 * Names as the domain's tests write and compare them: sealed under keys kept in memory for the whole test run (each
 * name gets a random IV, so two seals of one name differ: events are compared with their names opened).
 */
final class TestNames {

    static final PersonalData PERSONAL = new PersonalData(new InMemoryPlayerKeys());

    private TestNames() {}

    static PlayerRegistered registered(String playerId, String name) {
        return new PlayerRegistered(playerId, PERSONAL.seal(playerId, name));
    }

    static PlayerRenamed renamed(String playerId, String name) {
        return new PlayerRenamed(playerId, PERSONAL.seal(playerId, name));
    }

    /** A registration or rename as a test compares it: with its name opened (null once the key is gone). */
    record Named(String type, String playerId, String name) {}

    static Named named(PlayerRegistered event) {
        return new Named(
                "registered",
                event.playerId(),
                PERSONAL.open(event.playerId(), event.name()).orElse(null));
    }

    static Named registeredAs(String playerId, String name) {
        return new Named("registered", playerId, name);
    }

    static Named renamedAs(String playerId, String name) {
        return new Named("renamed", playerId, name);
    }

    /** The event with its sealed name opened; any other event as it is. */
    static Object opened(Object event) {
        if (event instanceof PlayerRegistered registered) {
            return named(registered);
        }
        if (event instanceof PlayerRenamed renamed) {
            return new Named(
                    "renamed",
                    renamed.playerId(),
                    PERSONAL.open(renamed.playerId(), renamed.name()).orElse(null));
        }
        return event;
    }

    /** For Axon's test fixture: the published events, their names opened, are exactly {@code expected}. */
    static Matcher<List<EventMessage<?>>> openedAs(Object... expected) {
        return new FeatureMatcher<List<EventMessage<?>>, List<Object>>(
                Matchers.equalTo(List.of(expected)), "events with their names opened", "events") {
            @Override
            protected List<Object> featureValueOf(List<EventMessage<?>> events) {
                return events.stream().map(e -> opened(e.getPayload())).toList();
            }
        };
    }
}
