package io.matchledger.projections.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * What the webhooks' processor knows for one batch of events: the subscriptions as the batch starts (read once), the
 * N of the top N they watch, and the deliveries the batch queues, written as it commits, with its token.
 */
final class WebhookBatch {

    private final List<Subscription> subscriptions;
    private final Set<Integer> allTimeTopNs;
    private final Set<Integer> seasonalTopNs;
    private final List<Deliveries.Queued> queued = new ArrayList<>();
    private final Deliveries deliveries;
    private final boolean immediate;

    private WebhookBatch(
            List<Subscription> subscriptions,
            Set<Integer> allTimeTopNs,
            Set<Integer> seasonalTopNs,
            Deliveries deliveries,
            boolean immediate) {
        this.subscriptions = subscriptions;
        this.allTimeTopNs = allTimeTopNs;
        this.seasonalTopNs = seasonalTopNs;
        this.deliveries = deliveries;
        this.immediate = immediate;
    }

    /** The batch of the unit of work under way; outside one (a handler called alone), a batch per event. */
    static WebhookBatch current(Supplier<Start> start, Deliveries deliveries) {
        if (!CurrentUnitOfWork.isStarted()) {
            return start.get().batch(deliveries, true);
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(WebhookBatch.class.getName(), key -> {
            WebhookBatch batch = start.get().batch(deliveries, false);
            root.onPrepareCommit(committing -> deliveries.queue(batch.queued));
            return batch;
        });
    }

    /**
     * Reads the subscriptions and brings the watched top Ns in line with them: a top N nobody subscribes to any more
     * is dropped, a new one is watched from the standings as they are, silently (its members were there already). A
     * seasonal one is watched in the seasons still open at {@code at}, the batch's first event: not the clock's now,
     * which a processor catching up is behind, and whose closed seasons its events can still count in.
     */
    static Start start(List<Subscription> subscriptions, TopBoards boards, WebhookSeasons seasons, Instant at) {
        Set<Integer> allTime = new TreeSet<>();
        Set<Integer> seasonal = new TreeSet<>();
        for (Subscription subscription : subscriptions) {
            for (WebhookEvent event : subscription.events()) {
                if (event.needsTopN() && subscription.topN() != null) {
                    (event.seasonal() ? seasonal : allTime).add(subscription.topN());
                }
            }
        }
        Set<List<Object>> watched = new HashSet<>();
        for (List<Object> group : boards.groups()) {
            String scope = (String) group.get(0);
            int topN = (Integer) group.get(1);
            boolean needed = TopBoards.ALL_TIME.equals(scope) ? allTime.contains(topN) : seasonal.contains(topN);
            if (needed) {
                watched.add(group);
            } else {
                boards.unwatch(scope, topN);
            }
        }
        for (int topN : allTime) {
            if (!watched.contains(List.of(TopBoards.ALL_TIME, topN))) {
                boards.watch(TopBoards.ALL_TIME, topN);
            }
        }
        if (!seasonal.isEmpty()) {
            for (String seasonId : seasons.open(at)) {
                for (int topN : seasonal) {
                    if (!watched.contains(List.of(seasonId, topN))) {
                        boards.watch(seasonId, topN);
                    }
                }
            }
        }
        return new Start(List.copyOf(subscriptions), allTime, seasonal);
    }

    record Start(List<Subscription> subscriptions, Set<Integer> allTime, Set<Integer> seasonal) {
        WebhookBatch batch(Deliveries deliveries, boolean immediate) {
            return new WebhookBatch(subscriptions, allTime, seasonal, deliveries, immediate);
        }
    }

    List<Subscription> subscriptions() {
        return subscriptions;
    }

    Set<Integer> allTimeTopNs() {
        return allTimeTopNs;
    }

    Set<Integer> seasonalTopNs() {
        return seasonalTopNs;
    }

    void queue(Deliveries.Queued delivery) {
        if (immediate) {
            deliveries.queue(List.of(delivery));
        } else {
            queued.add(delivery);
        }
    }
}
