package io.matchledger.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed load: {@code clients} threads, each sending its next operation as soon as the previous one answered, until
 * {@code operations} have been sent. This is how a game server's worker pool behaves, and the rate it reaches is the
 * most the system under test gives that many callers.
 */
final class ClosedLoad {

    /** One operation; {@code index} runs from 0 to operations - 1, each exactly once. */
    @FunctionalInterface
    interface Operation {
        void perform(int index) throws Exception;
    }

    private ClosedLoad() {}

    static LoadResult run(int clients, int operations, Operation operation) {
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Latencies> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Latencies latencies = new Latencies();
            perClient.add(latencies);
            Thread thread = new Thread(
                    () -> {
                        ready.countDown();
                        awaitQuietly(go);
                        for (int i = next.getAndIncrement(); i < operations; i = next.getAndIncrement()) {
                            long started = System.nanoTime();
                            try {
                                operation.perform(i);
                                latencies.record(System.nanoTime() - started);
                            } catch (Exception | AssertionError failure) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, describe(failure));
                            }
                        }
                    },
                    "bench-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        awaitQuietly(ready);
        long started = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            joinQuietly(thread);
        }
        long nanos = System.nanoTime() - started;
        Latencies all = new Latencies();
        perClient.forEach(all::add);
        return LoadResult.of(clients, operations, errors.get(), nanos, all, firstError.get());
    }

    static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (cause != failure) {
            text += " (cause " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }
}
