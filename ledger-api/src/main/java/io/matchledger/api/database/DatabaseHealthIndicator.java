package io.matchledger.api.database;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.jdbc.DataSourceHealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code db} component of {@code /actuator/health} (and of readiness): Spring Boot's own check of the datasource,
 * answered within {@code ledger.database.health-timeout} whatever the database does. A database that does not answer
 * at all would otherwise hold the check for the pool's connection timeout plus the socket timeout, longer than a load
 * balancer waits: it would see a hanging check where it must see DOWN. The check runs on a thread of its own; while one
 * is still waiting for the database, later callers wait for that same check instead of starting another, so a silent
 * database holds one thread, not one per caller. Named {@code dbHealthIndicator}, it replaces Spring Boot's.
 */
@Component("dbHealthIndicator")
class DatabaseHealthIndicator implements HealthIndicator, DisposableBean {

    private final HealthIndicator check;
    private final Duration timeout;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread checker = new Thread(runnable, "ledger-db-health");
        checker.setDaemon(true);
        return checker;
    });
    private CompletableFuture<Health> running;

    DatabaseHealthIndicator(DataSource dataSource, DatabaseSettings settings) {
        this.check = new DataSourceHealthIndicator(dataSource);
        this.timeout = settings.healthTimeout();
    }

    @Override
    public Health health() {
        CompletableFuture<Health> answer = checkOrJoin();
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException silent) {
            return Health.down()
                    .withDetail("error", "the database did not answer within " + timeout.toMillis() + " ms")
                    .build();
        } catch (ExecutionException failed) {
            return Health.down(failed.getCause()).build();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }

    private synchronized CompletableFuture<Health> checkOrJoin() {
        if (running == null || running.isDone()) {
            running = CompletableFuture.supplyAsync(check::health, thread);
        }
        return running;
    }

    @Override
    public void destroy() {
        thread.shutdownNow();
    }
}
