package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
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
class TwoWindowBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @TempDir
    Path profiles;

    final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void requireChromium() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail("CI must run the browser test: " + CHROMIUM + " and " + CHROMEDRIVER + " are missing (Debian "
                    + "packages chromium and chromium-driver, installed by .ci/run)");
        }
        assumeTrue(
                installed,
                "Skipped: no " + CHROMIUM + " and " + CHROMEDRIVER + "; install them with "
                        + "`apt-get install chromium chromium-driver` to run the browser test");
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

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

    /** A browser of its own: two drivers, two profiles, two sessions, as two people on two machines. */
    WebDriver browser(String name) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900",
                "--user-data-dir=" + Files.createDirectory(profiles.resolve(name)));
        // The driver's path given here keeps Selenium Manager from looking for (and downloading) one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        return driver;
    }

    void logIn(WebDriver browser, TestAccounts account, String page) {
        browser.get(url(page));
        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("username")).sendKeys(account.user());
        browser.findElement(By.id("password")).sendKeys(account.password());
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.urlContains(page));
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

    void awaitText(WebDriver browser, String id, String text) {
        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.textToBe(By.id(id), text));
    }

    String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
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

    /** The whole page, not only what fits the window. */
    void screenshot(WebDriver browser, String name) throws IOException {
        Number height =
                (Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(1280, Math.min(height.intValue() + 140, 2400)));
        // The numbers as they rest, after the flash that marks a live change.
        new WebDriverWait(browser, PATIENCE)
                .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".changed"), 0));
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
