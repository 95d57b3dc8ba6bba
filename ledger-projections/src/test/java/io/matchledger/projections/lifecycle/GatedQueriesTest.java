package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.matchledger.projections.ReadModelGate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.GenericQueryMessage;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryResponseMessage;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * Every query of the read models passes the {@link ReadModelGate} ({@link GatedQueries} on Axon's own query bus):
 * while a swap holds the gate alone no query runs, and it answers once the swap is done; a handler's failure reaches
 * the asker unchanged.
 */
class GatedQueriesTest {

    final ReadModelGate gate = new ReadModelGate();
    final SimpleQueryBus bus = SimpleQueryBus.builder().build();
    final AtomicBoolean swapped = new AtomicBoolean();

    GatedQueriesTest() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("queryBus", bus);
        new GatedQueries(beans.getBeanProvider(QueryBus.class), gate).afterSingletonsInstantiated();
        bus.subscribe("standing", String.class, query -> {
            if (query.getPayload().equals("broken")) {
                throw new IllegalStateException("no answer for broken");
            }
            return (swapped.get() ? "rebuilt " : "live ") + query.getPayload();
        });
    }

    private CompletableFuture<QueryResponseMessage<String>> ask(String payload) {
        return bus.query(new GenericQueryMessage<>(payload, "standing", ResponseTypes.instanceOf(String.class)));
    }

    @Test
    void aQueryAskedDuringASwapWaitsForItAndReadsTheSwappedModel() throws Exception {
        assertThat(ask("ana").get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("live ana");
        CountDownLatch swapHolds = new CountDownLatch(1);
        CountDownLatch finishSwap = new CountDownLatch(1);
        Thread swap = new Thread(() -> gate.alone(() -> {
            swapHolds.countDown();
            try {
                finishSwap.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            swapped.set(true);
        }));
        swap.start();
        assertThat(swapHolds.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<String> asked =
                CompletableFuture.supplyAsync(() -> ask("ana").join().getPayload());
        // Held at the gate, not answered from the tables half renamed.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !asked.isDone());
        finishSwap.countDown();

        assertThat(asked.get(10, TimeUnit.SECONDS)).isEqualTo("rebuilt ana");
        swap.join(10_000);
    }

    @Test
    void aReadOutsideTheQueryBusGetsItsAnswerThroughTheGate() {
        assertThat(gate.read(() -> "live ana")).isEqualTo("live ana");
    }

    @Test
    void aHandlersFailureReachesTheAsker() {
        Throwable failure = catchThrowable(() -> {
            QueryResponseMessage<String> answer = ask("broken").get(10, TimeUnit.SECONDS);
            if (answer.isExceptional()) {
                throw answer.exceptionResult();
            }
        });

        assertThat(failure).hasStackTraceContaining("no answer for broken");
        // The gate is not left held by the failed read: a swap can still take it.
        AtomicBoolean ran = new AtomicBoolean();
        gate.alone(() -> ran.set(true));
        assertThat(ran).isTrue();
    }

    @Test
    void readsRunTogether() throws Exception {
        CountDownLatch bothInside = new CountDownLatch(2);
        Runnable read = () -> gate.read(() -> {
            bothInside.countDown();
            try {
                return bothInside.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<Void> first = CompletableFuture.runAsync(read);
        CompletableFuture<Void> second = CompletableFuture.runAsync(read);

        CompletableFuture.allOf(first, second).get(20, TimeUnit.SECONDS);
        assertThat(bothInside.getCount()).isZero();
    }
}
