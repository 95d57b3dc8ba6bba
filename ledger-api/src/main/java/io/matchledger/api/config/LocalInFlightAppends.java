package io.matchledger.api.config;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The appends of this process: the whole truth for the embedded H2 store, which one process opens at a time (H2 locks
 * its file). Each append holds a ticket, numbered in the order appends began, from before its INSERT until its
 * transaction has ended; a fence is the newest number handed out, and it has passed once no ticket at or below it is
 * held.
 */
final class LocalInFlightAppends implements InFlightAppends {

    private record Mark(long issued) implements Fence {}

    private final AtomicLong issued = new AtomicLong();
    private final ConcurrentSkipListSet<Long> held = new ConcurrentSkipListSet<>();

    @Override
    public synchronized Fence fence() {
        return new Mark(issued.get());
    }

    @Override
    public boolean passed(Fence fence) {
        long mark = ((Mark) fence).issued();
        Long oldest = held.isEmpty() ? null : held.first();
        return oldest == null || oldest > mark;
    }

    @Override
    public Ticket begin() {
        // Numbered and held in one step that fence() cannot fall between: a fence that counts it sees it held.
        long number;
        synchronized (this) {
            number = issued.incrementAndGet();
            held.add(number);
        }
        return () -> held.remove(number);
    }

    @Override
    public int inFlight() {
        return held.size();
    }
}
