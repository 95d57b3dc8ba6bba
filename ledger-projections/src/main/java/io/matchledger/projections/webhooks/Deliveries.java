package io.matchledger.projections.webhooks;

import static io.matchledger.projections.webhooks.Subscriptions.at;
import static io.matchledger.projections.webhooks.Subscriptions.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The queue of deliveries, one per notification and subscription, filled by the webhooks' processor in the
 * transaction that moves its token (so a delivery is queued exactly once for each ledger event, whatever crashes), and
 * drained in order per subscription by the senders.
 */
@Component
public class Deliveries {

    private static final String COLUMNS = "delivery_id, webhook_id, event_id, event_type, payload, created_at, state, "
            + "attempts, last_status, last_error, last_attempt_at, next_attempt_at, delivered_at";
    private static final RowMapper<Delivery> ROW = Deliveries::row;

    private final JdbcTemplate jdbc;

    public Deliveries(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** A new delivery at the end of the subscription's queue, due at once. */
    record Queued(String webhookId, String eventId, String eventType, String payload, Instant createdAt) {}

    void queue(List<Queued> queued) {
        if (queued.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        jdbc.batchUpdate(
                "insert into webhook_delivery (webhook_id, event_id, event_type, payload, created_at, state, attempts, "
                        + "next_attempt_at) values (?, ?, ?, ?, ?, 'PENDING', 0, ?)",
                queued,
                queued.size(),
                (sql, delivery) -> {
                    sql.setString(1, delivery.webhookId());
                    sql.setString(2, delivery.eventId());
                    sql.setString(3, delivery.eventType());
                    sql.setString(4, delivery.payload());
                    sql.setObject(5, at(delivery.createdAt()));
                    sql.setObject(6, at(now));
                });
    }

    /** The first undelivered one of the subscription's queue: it goes before every later one. */
    public Optional<Delivery> head(String webhookId) {
        return jdbc
                .query(
                        "select " + COLUMNS + " from webhook_delivery where webhook_id = ? and state = 'PENDING' "
                                + "order by delivery_id limit 1",
                        ROW,
                        webhookId)
                .stream()
                .findFirst();
    }

    /** The subscriptions whose queue has a delivery due by {@code now}. */
    public List<String> due(Instant now) {
        return jdbc.queryForList(
                "select distinct d.webhook_id from webhook_delivery d join webhook_subscription s "
                        + "on s.webhook_id = d.webhook_id where d.state = 'PENDING' and d.next_attempt_at <= ? "
                        + "and s.status = 'ACTIVE'",
                String.class,
                at(now));
    }

    /** Newest first, before {@code before} (a deliveryId; null for the newest). */
    public List<Delivery> page(String webhookId, Long before, int limit) {
        return before == null
                ? jdbc.query(
                        "select " + COLUMNS + " from webhook_delivery where webhook_id = ? "
                                + "order by delivery_id desc limit ?",
                        ROW,
                        webhookId,
                        limit)
                : jdbc.query(
                        "select " + COLUMNS + " from webhook_delivery where webhook_id = ? and delivery_id < ? "
                                + "order by delivery_id desc limit ?",
                        ROW,
                        webhookId,
                        before,
                        limit);
    }

    public long pending(String webhookId) {
        return jdbc.queryForObject(
                "select count(*) from webhook_delivery where webhook_id = ? and state = 'PENDING'",
                Long.class,
                webhookId);
    }

    /** Every undelivered delivery: a gauge for the dashboard. */
    public long pending() {
        return jdbc.queryForObject("select count(*) from webhook_delivery where state = 'PENDING'", Long.class);
    }

    public void delivered(long deliveryId, int status, Instant at) {
        jdbc.update(
                "update webhook_delivery set state = 'DELIVERED', attempts = attempts + 1, last_status = ?, "
                        + "last_error = null, last_attempt_at = ?, delivered_at = ? where delivery_id = ?",
                status,
                at(at),
                at(at),
                deliveryId);
    }

    public void failed(long deliveryId, Integer status, String error, Instant at, Instant next) {
        jdbc.update(
                "update webhook_delivery set attempts = attempts + 1, last_status = ?, last_error = ?, "
                        + "last_attempt_at = ?, next_attempt_at = ? where delivery_id = ?",
                status,
                error == null ? null : error.substring(0, Math.min(error.length(), 500)),
                at(at),
                at(next),
                deliveryId);
    }

    private static Delivery row(ResultSet row, int n) throws SQLException {
        return new Delivery(
                row.getLong("delivery_id"),
                row.getString("webhook_id"),
                row.getString("event_id"),
                row.getString("event_type"),
                row.getString("payload"),
                instant(row, "created_at"),
                Delivery.State.valueOf(row.getString("state")),
                row.getInt("attempts"),
                row.getObject("last_status", Integer.class),
                row.getString("last_error"),
                instant(row, "last_attempt_at"),
                instant(row, "next_attempt_at"),
                instant(row, "delivered_at"));
    }
}
