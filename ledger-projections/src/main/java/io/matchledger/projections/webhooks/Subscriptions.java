package io.matchledger.projections.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The subscriptions' table: written by the operators' requests and the deliveries, read by the webhooks' processor. */
@Component
public class Subscriptions {

    private static final String COLUMNS = "webhook_id, url, event_types, top_n, secret_cipher, status, failures, "
            + "paused_reason, from_position, created_at, updated_at";

    private static final RowMapper<Subscription> ROW = Subscriptions::row;

    private final JdbcTemplate jdbc;

    public Subscriptions(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Optional<Subscription> find(String webhookId) {
        return jdbc
                .query("select " + COLUMNS + " from webhook_subscription where webhook_id = ?", ROW, webhookId)
                .stream()
                .findFirst();
    }

    public List<Subscription> all() {
        return jdbc.query("select " + COLUMNS + " from webhook_subscription order by webhook_id", ROW);
    }

    public void create(Subscription subscription) {
        jdbc.update(
                "insert into webhook_subscription (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                subscription.webhookId(),
                subscription.url(),
                types(subscription.events()),
                subscription.topN(),
                subscription.secretCipher(),
                subscription.status().name(),
                subscription.failures(),
                subscription.pausedReason(),
                subscription.fromPosition(),
                at(subscription.createdAt()),
                at(subscription.updatedAt()));
    }

    /** A new URL, events, N or secret; what was queued for it stays queued, in order. */
    public void change(String webhookId, String url, Set<WebhookEvent> events, Integer topN, String secretCipher) {
        jdbc.update(
                "update webhook_subscription set url = ?, event_types = ?, top_n = ?, secret_cipher = ?, "
                        + "updated_at = ? where webhook_id = ?",
                url,
                types(events),
                topN,
                secretCipher,
                at(Instant.now()),
                webhookId);
    }

    /** Removes the subscription and whatever it had not been delivered yet. */
    @Transactional
    public boolean delete(String webhookId) {
        jdbc.update("delete from webhook_delivery where webhook_id = ?", webhookId);
        return jdbc.update("delete from webhook_subscription where webhook_id = ?", webhookId) == 1;
    }

    /** Active again, its failures forgotten, and its next delivery due now. */
    @Transactional
    public boolean resume(String webhookId) {
        Instant now = Instant.now();
        jdbc.update(
                "update webhook_delivery set next_attempt_at = ? where webhook_id = ? and state = 'PENDING'",
                at(now),
                webhookId);
        return jdbc.update(
                        "update webhook_subscription set status = 'ACTIVE', failures = 0, paused_reason = null, "
                                + "updated_at = ? where webhook_id = ?",
                        at(now),
                        webhookId)
                == 1;
    }

    /**
     * One more failed attempt in a row; at {@code pauseAfter} the subscription is paused with {@code reason}. Returns
     * whether it is paused now.
     */
    public boolean failed(String webhookId, int pauseAfter, String reason) {
        jdbc.update("update webhook_subscription set failures = failures + 1 where webhook_id = ?", webhookId);
        return jdbc.update(
                        "update webhook_subscription set status = 'PAUSED', paused_reason = ?, updated_at = ? "
                                + "where webhook_id = ? and status = 'ACTIVE' and failures >= ?",
                        reason,
                        at(Instant.now()),
                        webhookId,
                        pauseAfter)
                == 1;
    }

    public void succeeded(String webhookId) {
        jdbc.update("update webhook_subscription set failures = 0 where webhook_id = ? and failures <> 0", webhookId);
    }

    /**
     * Takes the right to deliver the subscription's queue until {@code until}, if no other process (or no other
     * round of this one) holds it: deliveries of one subscription are made one at a time, in order, by one sender.
     */
    public boolean lease(String webhookId, String owner, Instant now, Instant until) {
        return jdbc.update(
                        "update webhook_subscription set lease_owner = ?, lease_until = ? where webhook_id = ? "
                                + "and status = 'ACTIVE' and (lease_until is null or lease_until < ?)",
                        owner,
                        at(until),
                        webhookId,
                        at(now))
                == 1;
    }

    /** Holds the lease longer, while its owner is still delivering. */
    public void renew(String webhookId, String owner, Instant until) {
        jdbc.update(
                "update webhook_subscription set lease_until = ? where webhook_id = ? and lease_owner = ?",
                at(until),
                webhookId,
                owner);
    }

    public void release(String webhookId, String owner) {
        jdbc.update(
                "update webhook_subscription set lease_owner = null, lease_until = null "
                        + "where webhook_id = ? and lease_owner = ?",
                webhookId,
                owner);
    }

    /** How many subscriptions are paused: a gauge an operator is alerted on. */
    public long paused() {
        return jdbc.queryForObject("select count(*) from webhook_subscription where status = 'PAUSED'", Long.class);
    }

    static String types(Set<WebhookEvent> events) {
        return events.stream().map(WebhookEvent::type).sorted().collect(Collectors.joining(","));
    }

    static Set<WebhookEvent> types(String stored) {
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        Arrays.stream(stored.split(","))
                .map(WebhookEvent::of)
                .flatMap(Optional::stream)
                .forEach(events::add);
        return events;
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Subscription row(ResultSet row, int n) throws SQLException {
        Integer topN = row.getObject("top_n", Integer.class);
        return new Subscription(
                row.getString("webhook_id"),
                row.getString("url"),
                types(row.getString("event_types")),
                topN,
                row.getString("secret_cipher"),
                Subscription.Status.valueOf(row.getString("status")),
                row.getInt("failures"),
                row.getString("paused_reason"),
                row.getLong("from_position"),
                instant(row, "created_at"),
                instant(row, "updated_at"));
    }
}
