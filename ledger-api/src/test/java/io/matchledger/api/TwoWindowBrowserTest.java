package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The contract's two-window scenario in a real browser: Lubien and Enemy, each logged in in a browser of their own and
 * on the other's page. Lubien concedes ten losses with the button; Enemy's window, opened before them and never
 * reloaded, declares a draw. Both windows then show Lubien 105 and Enemy 103, on the page and in the navigation bar,
 * without a reload. Screenshots of both windows are left in target/screenshots.
 * <p>
 * Drives the system's Chromium through its chromedriver (Debian's {@code chromium} and {@code chromium-driver}); no
 * browser or driver is ever downloaded. Without them the test is skipped, except in CI, where it fails.
 * Runs on a ledger of its own: the scenario's players must start from nothing.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ledger.data-dir=./target/test-data/browser-${random.uuid}")
@ActiveProfiles("test")
class TwoWindowBrowserTest extends BrowserTestSupport {

    @Test
    void bothWindowsShowTheLedgersTotalsLiveAfterTenLossesAndAStaleDraw() throws IOException {
        LedgerClient admin = new LedgerClient(port);
        assertThat(admin.registerPlayer("lubien", "Lubien").status()).isEqualTo(201);
        assertThat(admin.registerPlayer("enemy", "Enemy").status()).isEqualTo(201);
        assertThat(admin.adjust("lubien", "opening-lubien", 104, "opening balance")
                        .status())
                .isEqualTo(201);
        assertThat(admin.adjust("enemy", "opening-enemy", 72, "opening balance").status())
                .isEqualTo(201);

        WebDriver lubien = browser("lubien");
        WebDriver enemy = browser("enemy");
        logIn(lubien, TestAccounts.LUBIEN, "/players/enemy");
        logIn(enemy, TestAccounts.ENEMY, "/players/lubien");
        // Both windows are open, and live, before anything happens.
        awaitText(lubien, "player-points", "72");
        awaitText(lubien, "nav-points", "104");
        awaitText(enemy, "player-points", "104");
        awaitText(enemy, "nav-points", "72");
        markAsNeverReloaded(enemy);
        markAsNeverReloaded(lubien);

        for (int loss = 1; loss <= 10; loss++) {
            click(lubien, "concede-loss");
            awaitRecorded(lubien, loss);
        }
        click(enemy, "declare-draw");
        awaitRecorded(enemy, 1);

        awaitText(lubien, "player-points", "103"); // Enemy, on Lubien's screen
        awaitText(lubien, "nav-points", "105");
        awaitText(enemy, "player-points", "105"); // Lubien, on Enemy's screen
        awaitText(enemy, "nav-points", "103");
        assertNeverReloaded(enemy);
        assertNeverReloaded(lubien);
        assertThat(text(enemy, "player-losses")).isEqualTo("10");
        assertThat(text(lubien, "player-wins")).isEqualTo("10");
        screenshot(lubien, "lubien-window");
        screenshot(enemy, "enemy-window");

        // The leaderboard of the same ledger, for the record.
        lubien.get(url("/"));
        new WebDriverWait(lubien, PATIENCE)
                .until(ExpectedConditions.textToBe(
                        By.cssSelector("#leaderboard-rows tr:first-child .points-cell"), "105"));
        screenshot(lubien, "leaderboard");

        assertThat(admin.pointsOf("lubien")).isEqualTo(105);
        assertThat(admin.pointsOf("enemy")).isEqualTo(103);
    }

    void click(WebDriver browser, String buttonId) {
        new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.elementToBeClickable(By.id(buttonId)))
                .click();
    }

    /** The page acknowledges a click once the ledger has answered it. */
    void awaitRecorded(WebDriver browser, int declarations) {
        new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.numberOfElementsToBe(
                        By.cssSelector("#declarations li[data-state=recorded]"), declarations));
    }

    /** A mark in the page's memory: a reload would forget it. */
    void markAsNeverReloaded(WebDriver browser) {
        ((JavascriptExecutor) browser).executeScript("window.neverReloaded = true;");
    }

    void assertNeverReloaded(WebDriver browser) {
        assertThat(((JavascriptExecutor) browser).executeScript("return window.neverReloaded === true;"))
                .as("the window was never reloaded")
                .isEqualTo(true);
    }
}
