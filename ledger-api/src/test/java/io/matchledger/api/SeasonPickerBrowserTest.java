package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The dashboard's season picker in a real browser: the leaderboard opens on the running season, shows a past season's
 * standings when it is picked and all time when that is picked, live each time. A ledger of its own: a running season
 * changes what the leaderboard page shows first.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ledger.data-dir=./target/test-data/seasons-browser-${random.uuid}")
@ActiveProfiles("test")
class SeasonPickerBrowserTest extends BrowserTestSupport {

    @Test
    void theLeaderboardShowsTheRunningSeasonFirstAndAnyOtherWhenPicked() throws IOException {
        LedgerClient admin = new LedgerClient(port);
        assertThat(admin.registerPlayer("ann", "Ann").status()).isEqualTo(201);
        assertThat(admin.registerPlayer("bob", "Bob").status()).isEqualTo(201);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Last week, with a grace that still takes its late reports; this week, running.
        assertThat(admin.put(
                                "/api/seasons/last-week",
                                season(
                                        "Last week",
                                        now.minus(Duration.ofDays(8)),
                                        now.minus(Duration.ofDays(1)),
                                        "P2D"))
                        .status())
                .isEqualTo(201);
        assertThat(admin.put(
                                "/api/seasons/this-week",
                                season("This week", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(6)), null))
                        .status())
                .isEqualTo(201);
        assertThat(match(admin, "last-1", "ann", "bob", now.minus(Duration.ofDays(3))))
                .isEqualTo(201);
        assertThat(match(admin, "this-1", "bob", "ann", now.minusSeconds(60))).isEqualTo(201);
        assertThat(match(admin, "this-2", "bob", "ann", now.minusSeconds(30))).isEqualTo(201);

        WebDriver browser = browser("reader");
        logIn(browser, TestAccounts.LUBIEN, "/");
        Select picker = new Select(new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#season option[value=this-week]")))
                .findElement(By.xpath("..")));
        assertThat(picker.getFirstSelectedOption().getAttribute("value")).isEqualTo("this-week");
        awaitTop(browser, "this-week", "bob", "6");
        screenshot(browser, "leaderboard-this-week");

        picker.selectByValue("last-week");
        awaitTop(browser, "last-week", "ann", "3");
        assertThat(browser.findElements(By.cssSelector("#leaderboard-rows tr"))).hasSize(2);

        picker.selectByValue("");
        awaitTop(browser, "", "bob", "6");
        new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.textToBe(
                        By.cssSelector("#leaderboard-rows tr:nth-child(2) .points-cell"), "3"));

        // Live within the picked season: a match of this week moves it without a reload.
        picker.selectByValue("this-week");
        awaitTop(browser, "this-week", "bob", "6");
        assertThat(browser.findElement(By.cssSelector("#leaderboard-rows tr:nth-child(2) .points-cell"))
                        .getText())
                .isEqualTo("0");
        assertThat(match(admin, "this-3", "bob", "ann", now)).isEqualTo(201);
        awaitTop(browser, "this-week", "bob", "9");
    }

    private static void awaitTop(WebDriver browser, String season, String player, String points) {
        new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.attributeToBe(By.id("leaderboard-rows"), "data-season", season));
        // The page redraws its rows on every change: a row found may be replaced before it is read.
        new WebDriverWait(browser, PATIENCE)
                .ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.attributeToBe(
                        By.cssSelector("#leaderboard-rows tr:first-child"), "data-player", player));
        new WebDriverWait(browser, PATIENCE)
                .ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.textToBe(
                        By.cssSelector("#leaderboard-rows tr:first-child .points-cell"), points));
    }

    private static String season(String name, Instant start, Instant end, String grace) {
        return "{\"name\":\"" + name + "\",\"start\":\"" + start + "\",\"end\":\"" + end + "\""
                + (grace == null ? "" : ",\"grace\":\"" + grace + "\"") + "}";
    }

    private static int match(LedgerClient admin, String matchId, String winner, String loser, Instant at) {
        return admin.post(
                        "/api/matches",
                        "{\"matchId\":\"" + matchId + "\",\"winner\":\"" + winner + "\",\"loser\":\"" + loser
                                + "\",\"occurredAt\":\"" + at + "\"}")
                .status();
    }
}
