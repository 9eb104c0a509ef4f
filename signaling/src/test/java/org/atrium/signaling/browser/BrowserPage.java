package org.atrium.signaling.browser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * One page in its own headless Chromium (see {@link Chromium}, and {@link LabChromium} for a
 * browser in a {@link NetworkLab} host): run scripts, poll conditions, read the console log.
 */
public final class BrowserPage implements Page {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);

    private final RemoteWebDriver driver;
    private final Runnable stopDriverServer;
    private final Path profile;
    private final Duration startup;
    private final Consumer<BrowserPage> onClose;
    private final List<String> console = new ArrayList<>();
    private boolean closed;

    /**
     * @param stopDriverServer stops the page's chromedriver, after {@code driver.quit()} has ended
     *     its Chromium
     */
    BrowserPage(
            RemoteWebDriver driver,
            Runnable stopDriverServer,
            Path profile,
            Duration startup,
            Consumer<BrowserPage> onClose) {
        this.driver = driver;
        this.stopDriverServer = stopDriverServer;
        this.profile = profile;
        this.startup = startup;
        this.onClose = onClose;
        driver.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
    }

    @Override
    public void navigate(String url) {
        driver.get(url);
    }

    @Override
    public String browser() {
        return "chromium " + driver.getCapabilities().getBrowserVersion();
    }

    @Override
    public void preload(String script) {
        if (!(driver instanceof HasCdp cdp)) {
            throw new UnsupportedOperationException("no DevTools protocol on " + driver.getClass().getSimpleName());
        }
        cdp.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
    }

    /** A PNG of the page's viewport. */
    /**
     * Shows the page as a phone would: a viewport of {@code width} x {@code height} CSS pixels at
     * {@code scale} device pixels each, with touch (DevTools' device emulation; headless Chromium's
     * window is at least 500 pixels wide).
     */
    public void emulatePhone(int width, int height, double scale) {
        if (!(driver instanceof org.openqa.selenium.chromium.HasCdp cdp)) {
            throw new IllegalStateException("no DevTools protocol on " + driver.getClass());
        }
        cdp.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", width, "height", height, "deviceScaleFactor", scale, "mobile", true));
        cdp.executeCdpCommand("Emulation.setTouchEmulationEnabled", java.util.Map.of("enabled", true));
    }

    public byte[] screenshotPng() {
        return ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
    }

    /** This browser's user-data directory (its processes carry it on their command line). */
    Path profile() {
        return profile;
    }

    /** Time from starting chromedriver to a ready browser session. */
    public Duration startup() {
        return startup;
    }

    /**
     * Runs {@code body} as the body of a function in the page (WebDriver executeScript): use {@code
     * return} to hand back a value, and {@code arguments[i]} to read {@code args}. Numbers come back
     * as {@code Long} or {@code Double}, objects as {@code Map}, arrays as {@code List}.
     */
    @Override
    public Object eval(String body, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(body, args);
    }

    /**
     * Runs {@code body} as the body of an async function in the page and waits for its result:
     * {@code await} is allowed, {@code return} hands back the value. A rejected promise or a thrown
     * error becomes an {@link AssertionError} carrying the JavaScript stack and the console log.
     */
    @Override
    public Object evalAsync(String body, Object... args) {
        String wrapped =
                "const done = arguments[arguments.length - 1];\n"
                        + "const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);\n"
                        + "(async function () {\n"
                        + body
                        + "\n}).apply(null, args).then(\n"
                        + "  v => done({ok: true, value: v === undefined ? null : v}),\n"
                        + "  e => done({ok: false, error: String(e && e.stack ? e.stack : e)}));";
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(wrapped, args);
        if (!(result instanceof Map<?, ?> map)) {
            throw new AssertionError("unexpected async script result " + result + "\n" + diagnostics());
        }
        if (!Boolean.TRUE.equals(map.get("ok"))) {
            throw new AssertionError("script failed in the page: " + map.get("error") + "\n" + diagnostics());
        }
        return map.get("value");
    }

    /**
     * The one element of that ARIA role and accessible name, as a screen reader finds it
     * (chromedriver computes both from the accessibility tree), for a test to click or type into
     * like a user: real input events, which also count as a user gesture.
     */
    public WebElement byRoleAndName(String role, String name) {
        if (name.indexOf('\'') >= 0) {
            throw new IllegalArgumentException("a name with a quote: " + name);
        }
        List<WebElement> found = new ArrayList<>();
        // Candidates by text or label first: computing an accessible name is a round trip each.
        String candidates = "//*[normalize-space(.)='" + name + "' or @aria-label='" + name + "'"
                + " or @id = //label[normalize-space(.)='" + name + "']/@for]";
        for (WebElement element : driver.findElements(By.xpath(candidates))) {
            if (element.isDisplayed() && role.equals(element.getAriaRole()) && name.equals(element.getAccessibleName())) {
                found.add(element);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " elements of role " + role + " named '" + name + "'\n"
                    + diagnostics());
        }
        return found.get(0);
    }

    /** Clicks the button of that accessible name. */
    public void clickButton(String name) {
        byRoleAndName("button", name).click();
    }

    /** Every console message and page error seen so far, oldest first. */
    @Override
    public List<String> consoleLog() {
        if (!closed) {
            try {
                for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                    console.add(entry.getLevel() + " " + entry.getMessage());
                }
            } catch (WebDriverException e) {
                console.add("(console log unavailable: " + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
        return List.copyOf(console);
    }

    /** The page's URL, title and console log, for failure messages. */
    @Override
    public String diagnostics() {
        StringBuilder out = new StringBuilder();
        if (closed) {
            out.append("page closed\n");
        } else {
            try {
                out.append("url: ").append(driver.getCurrentUrl()).append('\n');
                out.append("title: ").append(driver.getTitle()).append('\n');
            } catch (WebDriverException e) {
                out.append("page unreachable: ").append(e.getMessage().lines().findFirst().orElse("")).append('\n');
            }
        }
        List<String> log = consoleLog();
        out.append("console (").append(log.size()).append(" entries):\n");
        for (String line : log) {
            out.append("  ").append(line).append('\n');
        }
        return out.toString();
    }

    /** Quits the driver (which ends Chromium), stops chromedriver, deletes the profile. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        consoleLog();
        closed = true;
        try {
            driver.quit();
        } finally {
            stopDriverServer.run();
            Chromium.deleteRecursively(profile);
            onClose.accept(this);
        }
    }

    /** Sleeps on the test thread; an interrupt fails the test. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
