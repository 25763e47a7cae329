package org.civicbot.app.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * One headless Chromium per test class, on a fresh profile, pointed at the application the Spring test
 * context started. No implicit waits: pages change under SSE, so every expectation is an explicit wait.
 * Screenshots go to {@code target/screenshots/<TestClass>-<step>.png}, at the steps a test names and
 * whenever a test fails (with the page's HTML beside it).
 *
 * <p>Register it in each test class: {@code @RegisterExtension static final Browser browser = new Browser();}
 */
final class Browser implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, TestWatcher {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";

    private WebDriver driver;
    private Path profile;
    private String testClass;
    private String baseUrl;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        testClass = context.getRequiredTestClass().getSimpleName();
        // Selenium Manager must never try to download a driver or a browser.
        System.setProperty("SE_OFFLINE", "true");
        profile = Files.createTempDirectory("civicbot-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900");
        // What a browser set to English asks for; the pages then choose English until told otherwise.
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
        // Only this run's pictures: an earlier run's failure shots would mislead.
        try (Stream<Path> old = Files.list(SCREENSHOTS)) {
            old.filter(p -> p.getFileName().toString().startsWith(testClass + "-")).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String port = SpringExtension.getApplicationContext(context).getEnvironment().getRequiredProperty("local.server.port");
        baseUrl = "http://localhost:" + port;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver == null) {
            return;
        }
        String step = context.getRequiredTestMethod().getName() + "-FAILED";
        try {
            screenshot(step);
            Files.writeString(SCREENSHOTS.resolve(testClass + "-" + step + ".html"),
                    "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource(), StandardCharsets.UTF_8);
        } catch (RuntimeException | IOException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            driver = null;
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    WebDriver driver() {
        return driver;
    }

    String url(String path) {
        return baseUrl + path;
    }

    void open(String path) {
        driver.get(url(path));
    }

    /** Forgets the session (and the language cookie): the next page is an anonymous visitor's. */
    void forgetCookies() {
        open("/login");
        driver.manage().deleteAllCookies();
    }

    /** Signs in through the login form and waits for the signed-in layout. */
    void login(String username, String password) {
        open("/login");
        fill(By.id("username"), username);
        fill(By.id("password"), password);
        driver.findElement(By.id("login-submit")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("current-user")), "the signed-in user's name");
    }

    void fill(By field, String text) {
        WebElement element = waitFor(ExpectedConditions.elementToBeClickable(field), "field " + field);
        element.clear();
        element.sendKeys(text);
    }

    void click(By button) {
        waitFor(ExpectedConditions.elementToBeClickable(button), "button " + button).click();
    }

    <T> T waitFor(ExpectedCondition<T> condition, String what) {
        // Lists and timelines are swapped under SSE: an element read mid-swap is simply read again.
        // Chromium says the same, mid-navigation, as a plain error naming a node no longer in the document.
        ExpectedCondition<T> again = d -> {
            try {
                return condition.apply(d);
            } catch (org.openqa.selenium.WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return null;
                }
                throw e;
            }
        };
        return new WebDriverWait(driver, PATIENCE).withMessage("waiting for " + what)
                .ignoring(StaleElementReferenceException.class).until(again);
    }

    /** The text of a visible element, read again if a live update replaced the element meanwhile. */
    String text(By locator) {
        return read(driver -> {
            WebElement element = driver.findElement(locator);
            return element.isDisplayed() ? element.getText() : null;
        }, locator.toString());
    }

    /** An attribute of an element, as written in the page. */
    String attribute(By locator, String name) {
        return read(driver -> driver.findElement(locator).getDomAttribute(name), name + " of " + locator);
    }

    /** A form field's current value (a select's chosen option, a textarea's text). */
    String value(By locator) {
        return read(driver -> driver.findElement(locator).getDomProperty("value"), "value of " + locator);
    }

    /** The texts of all the elements found, as rendered, read again if a live update replaced them meanwhile. */
    List<String> texts(By locator) {
        return read(driver -> driver.findElements(locator).stream().map(WebElement::getText).toList(), "texts of " + locator);
    }

    /**
     * Reads something from the page. Parts of it are swapped under SSE at any moment, so the reading is
     * retried when an element it used went stale (or is not there yet), until it gives a value.
     */
    <T> T read(Function<WebDriver, T> reading, String what) {
        return waitFor(reading::apply, what);
    }

    List<WebElement> all(By locator) {
        return driver.findElements(locator);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Marks the current document, so that a later {@link #samePage(String)} tells whether it was reloaded. */
    String mark() {
        String marker = UUID.randomUUID().toString();
        js("window.__marker = arguments[0];", marker);
        return marker;
    }

    /** Whether the document is still the one {@link #mark()} marked: no reload, no navigation. */
    boolean samePage(String marker) {
        return marker.equals(js("return window.__marker;"));
    }

    /** Saves {@code target/screenshots/<TestClass>-<step>.png}. */
    Path screenshot(String step) {
        Path file = SCREENSHOTS.resolve(testClass + "-" + step + ".png");
        try {
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<String> currentPath() {
        String current = driver.getCurrentUrl();
        return current.startsWith(baseUrl) ? Optional.of(current.substring(baseUrl.length())) : Optional.empty();
    }
}
