package org.atrium.signaling.browser;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.WebDriverException;

/**
 * A page in a real browser that a test runs JavaScript in: Chromium through Selenium ({@link
 * BrowserPage}) or Firefox through WebDriver BiDi ({@link FirefoxPage}), so that the same
 * assertions (and {@link WebRtcStats#read}) run on both.
 */
public interface Page extends AutoCloseable {

    Duration POLL_INTERVAL = Duration.ofMillis(200);

    /** The browser's name and version, such as {@code chromium 156.0...} or {@code firefox 153.8.0}. */
    String browser();

    /** Runs {@code script} in every document loaded from now on, before the document's own scripts. */
    void preload(String script);

    /** Loads {@code url} in the page and waits for its load event. */
    void navigate(String url);

    /**
     * Runs {@code body} as the body of a function in the page: {@code return} hands back a value,
     * {@code arguments[i]} reads {@code args}. Numbers come back as {@code Long} or {@code Double},
     * objects as {@code Map}, arrays as {@code List}. A JavaScript error is a {@link
     * WebDriverException}.
     */
    Object eval(String body, Object... args);

    /**
     * Runs {@code body} as the body of an async function in the page and waits for its result:
     * {@code await} is allowed, {@code return} hands back the value. A rejected promise or a thrown
     * error becomes an {@link AssertionError} carrying the JavaScript stack and the console log.
     */
    Object evalAsync(String body, Object... args);

    /** Every console message and page error seen so far, oldest first. */
    List<String> consoleLog();

    /** The page's URL and console log, for failure messages. */
    String diagnostics();

    /** Ends the browser and every process started for it. */
    @Override
    void close();

    /**
     * Polls {@code condition} until it holds; after {@code timeout} fails with {@code description}
     * and the page's {@link #diagnostics()}. A {@code WebDriverException} thrown by the condition
     * (such as a JavaScript error from {@link #eval}) counts as not yet true.
     */
    default void waitUntil(String description, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        WebDriverException lastError = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                lastError = null;
            } catch (WebDriverException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError failure =
                        new AssertionError(
                                "timed out after " + timeout.toMillis() + " ms waiting for: " + description + "\n"
                                        + diagnostics());
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            BrowserPage.sleep(POLL_INTERVAL);
        }
    }

    /** {@link #waitUntil} on a JavaScript expression evaluated in the page until it is truthy. */
    default void waitUntilTrue(String jsExpression, Duration timeout) {
        waitUntil(
                jsExpression,
                timeout,
                () -> Boolean.TRUE.equals(eval("return !!(" + jsExpression + ");")));
    }
}
