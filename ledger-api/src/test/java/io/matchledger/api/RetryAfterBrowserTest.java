package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.LedgerBusy;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The page follows the server's {@code Retry-After}: the ledger refuses a player's first two declarations as busy (its
 * own {@link LedgerBusy}, answered by {@code ProblemResponses}: 503 with {@code Retry-After}), and the page resends
 * each only after the wait the answer asked for, then the third attempt is recorded, once. The page's own back-off
 * (250 ms, then 500 ms) would resend sooner. A ledger of its own: the players' totals must start from nothing.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ledger.data-dir=./target/test-data/retry-after-browser-${random.uuid}")
@ActiveProfiles("test")
class RetryAfterBrowserTest extends BrowserTestSupport {

    static final String DECLARATIONS = "/api/me/matches";
    static final int REFUSED = 2;

    /** What the server saw of each declaration: when it arrived, and how it was answered. */
    record Exchange(long arrivedNanos, int status, String retryAfter) {}

    @TestConfiguration
    static class BusyAtFirst implements WebMvcConfigurer {
        final AtomicInteger declarations = new AtomicInteger();
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

        /** The first declarations meet a ledger that is busy: refused as the service refuses when its queue is full. */
        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(new HandlerInterceptor() {
                        @Override
                        public boolean preHandle(
                                HttpServletRequest request, HttpServletResponse response, Object handler) {
                            if ("POST".equals(request.getMethod()) && declarations.incrementAndGet() <= REFUSED) {
                                throw new LedgerBusy(
                                        "the test's ledger is busy for the first " + REFUSED + " declarations");
                            }
                            return true;
                        }
                    })
                    .addPathPatterns(DECLARATIONS);
        }

        /** Outside Spring MVC, so it sees each answer as the browser gets it, headers and all. */
        @Bean
        FilterRegistrationBean<Filter> exchangeLog() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                long arrived = System.nanoTime();
                chain.doFilter(request, response);
                if ("POST".equals(((HttpServletRequest) request).getMethod())) {
                    HttpServletResponse answer = (HttpServletResponse) response;
                    exchanges.add(new Exchange(arrived, answer.getStatus(), answer.getHeader("Retry-After")));
                }
            });
            registration.addUrlPatterns(DECLARATIONS);
            return registration;
        }
    }

    @Autowired
    BusyAtFirst busy;

    @Test
    void aBusyAnswerIsResentOnlyAfterItsRetryAfterAndCountsOnce() throws IOException {
        LedgerClient admin = new LedgerClient(port);
        assertThat(admin.registerPlayer("lubien", "Lubien").status()).isEqualTo(201);
        assertThat(admin.registerPlayer("enemy", "Enemy").status()).isEqualTo(201);

        WebDriver lubien = browser("lubien");
        logIn(lubien, TestAccounts.LUBIEN, "/players/enemy");
        awaitText(lubien, "player-points", "0");
        new WebDriverWait(lubien, PATIENCE)
                .until(ExpectedConditions.elementToBeClickable(By.id("concede-loss")))
                .click();
        new WebDriverWait(lubien, PATIENCE)
                .until(ExpectedConditions.numberOfElementsToBe(
                        By.cssSelector("#declarations li[data-state=recorded]"), 1));

        List<Exchange> exchanges = busy.exchanges;
        assertThat(exchanges).extracting(Exchange::status).containsExactly(503, 503, 201);
        for (int refused = 0; refused < REFUSED; refused++) {
            Exchange answer = exchanges.get(refused);
            assertThat(answer.retryAfter()).as("the busy answer's Retry-After").matches("[1-9][0-9]*");
            // From the refused request's arrival, not from the answer: the browser may hold the answer (flushed inside
            // the chain) before the filter reads the clock after it. Arrival to arrival is at least the page's wait.
            long waitedMillis =
                    TimeUnit.NANOSECONDS.toMillis(exchanges.get(refused + 1).arrivedNanos() - answer.arrivedNanos());
            assertThat(waitedMillis)
                    .as("the page's wait before resending refusal %d", refused + 1)
                    .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toMillis(Long.parseLong(answer.retryAfter())));
        }
        // Three sends of one declaration, one match: the enemy won once.
        assertThat(admin.pointsOf("enemy")).isEqualTo(3);
        assertThat(admin.pointsOf("lubien")).isZero();
    }
}
