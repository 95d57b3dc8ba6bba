package io.matchledger.api;

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
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A real browser for the dashboard's tests: the system's Chromium through its chromedriver (Debian's {@code chromium}
 * and {@code chromium-driver}); no browser or driver is ever downloaded. Without them a test is skipped, except in
 * CI, where it fails. Each browser has a profile, and so a session, of its own.
 */
abstract class BrowserTestSupport {
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

    void awaitText(WebDriver browser, String id, String text) {
        new WebDriverWait(browser, PATIENCE).until(ExpectedConditions.textToBe(By.id(id), text));
    }

    String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
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
