package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.AdjustmentReceipt;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.Registration;
import io.matchledger.core.personal.PersonalData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two processes on one store, each with its own cache of ledgers. A decision that writes nothing must not be taken
 * on a ledger another process has moved on from.
 */
class SharedStoreTest {

    private final LedgerFixture.JsonSnapshotStorage store =
            new LedgerFixture.JsonSnapshotStorage(LedgerFixture.serializer());
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final List<Configuration> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Configuration::shutdown);
        retries.shutdownNow();
    }

    @Test
    void aProcessNeverRefusesOnAStaleCachedLedger() {
        CommandGateway a = process();
        CommandGateway b = process();
        assertThat((Registration) a.sendAndWait(new RegisterPlayerCommand("lubien", "Lubien")))
                .isEqualTo(Registration.CREATED);
        AdjustmentReceipt fiveOnB = b.sendAndWait(new AdjustPointsCommand("lubien", "open", 5, "opening balance"));
        assertThat(fiveOnB.totalAfter()).isEqualTo(5);

        // A's cached ledger is at registration; the store has B's adjustment since.
        AdjustmentReceipt hundredOnA = a.sendAndWait(new AdjustPointsCommand("lubien", "bonus", 100, "bonus"));
        assertThat(hundredOnA.totalAfter()).isEqualTo(105);

        // B's cached ledger says 5: taking 50 would be refused on it. The store says 105.
        AdjustmentReceipt minusFiftyOnB = b.sendAndWait(new AdjustPointsCommand("lubien", "fine", -50, "fine"));
        assertThat(minusFiftyOnB.totalAfter()).isEqualTo(55);

        // And a rename back to a name only the stale cache still holds is a rename, not "unchanged".
        assertThat((Registration) a.sendAndWait(new RegisterPlayerCommand("lubien", "Lubien B")))
                .isEqualTo(Registration.RENAMED);
        assertThat((Registration) b.sendAndWait(new RegisterPlayerCommand("lubien", "Lubien")))
                .isEqualTo(Registration.RENAMED);
    }

    @Test
    void aStaleCachedLedgerIsReloadedInTheSameAttemptNotRetried() {
        // No retry scheduler: a command that fails on a stale cache reaches the caller.
        CommandGateway a = process(false);
        CommandGateway b = process(false);
        a.sendAndWait(new RegisterPlayerCommand("enemy", "Enemy"));
        for (int round = 1; round <= 3; round++) {
            // Each gateway's cached ledger is one adjustment behind when it writes.
            AdjustmentReceipt onB = b.sendAndWait(new AdjustPointsCommand("enemy", "b-" + round, 10, "bonus"));
            assertThat(onB.totalAfter()).isEqualTo(20L * round - 10);
            AdjustmentReceipt onA = a.sendAndWait(new AdjustPointsCommand("enemy", "a-" + round, 10, "bonus"));
            assertThat(onA.totalAfter()).isEqualTo(20L * round);
        }
    }

    private CommandGateway process() {
        return process(true);
    }

    private CommandGateway process(boolean retries) {
        Serializer serializer = LedgerFixture.serializer();
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> store);
        LedgerModule ledger = new LedgerModule(
                new WeakReferenceCache(),
                1_000,
                Runnable::run,
                true,
                retries
                        ? JitteredRetryScheduler.builder()
                                .retryExecutor(this.retries)
                                .conflicts(3, 1, 1)
                                .build()
                        : (m, f, h, t) -> false,
                TestNames.PERSONAL);
        ledger.configureModule(configurer);
        configurer.registerComponent(PersonalData.class, c -> TestNames.PERSONAL);
        configurer.registerComponent(CommandGateway.class, c -> ledger.commandGateway(c.commandBus()));
        Configuration process = configurer.start();
        processes.add(process);
        return process.commandGateway();
    }
}
