package org.atrium.signaling.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium driven by Debian's chromedriver, for browser tests on loopback.
 *
 * <p>Each {@link #open(String) page} gets its own chromedriver process, Chromium process and
 * user-data directory. Tabs of one headless Chromium do keep capturing, sending and decoding, but
 * every tab except the last opened gets {@code requestAnimationFrame} throttled to about one
 * callback a second, so anything the web client draws or schedules per frame stalls; one
 * WebDriver session also drives only one tab at a time. Separate browsers keep every participant
 * in the foreground and independent, at the cost of a few seconds' start each.
 *
 * <p>Not thread-safe: open and close pages from the test thread.
 */
public final class Chromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    /** Headless, fake camera and microphone, loopback ICE candidates; a user-data dir is added per browser. */
    static final List<String> FLAGS =
            List.of(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    // 10 frames a second: four or more browsers encode, decode and draw on two cores.
                    "--use-fake-device-for-media-stream=fps=10",
                    "--use-fake-ui-for-media-stream",
                    "--allow-loopback-in-peer-connection",
                    "--autoplay-policy=no-user-gesture-required",
                    "--disable-dev-shm-usage",
                    // Every remote tile of a four-page room in view: a tile scrolled out of
                    // view reports a 0x0 render size, and its video is paused.
                    "--window-size=1920,1080");

    private static final System.Logger LOG = System.getLogger(Chromium.class.getName());

    private final List<BrowserPage> pages = new ArrayList<>();
    private boolean closed;

    private Chromium() {}

    /**
     * Skips the calling test (JUnit assumption) when Chromium or chromedriver is not installed, and
     * logs whether this JVM runs in a loopback-only network namespace.
     */
    public static Chromium launch() {
        assumeInstalled();
        if (inLoopbackOnlyNamespace()) {
            LOG.log(Level.INFO, "browser tests run in a loopback-only network namespace");
        } else {
            LOG.log(
                    Level.WARNING,
                    "browser tests run in a network namespace with non-loopback interfaces up ({0}); "
                            + "Chromium will also gather candidates on them. Use ./test.sh (unshare -n) to confine "
                            + "them to loopback.",
                    upInterfaces());
        }
        return new Chromium();
    }

    /** Skips the calling test when {@link #BINARY} or {@link #DRIVER} is missing. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(
                Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
                () ->
                        "browser tests need "
                                + BINARY
                                + " and "
                                + DRIVER
                                + " (Debian packages chromium and chromium-driver); run ./test.sh, which installs"
                                + " them");
    }

    /** True when every network interface that is up is a loopback interface. */
    public static boolean inLoopbackOnlyNamespace() {
        try (Stream<NetworkInterface> all = NetworkInterface.networkInterfaces()) {
            return all.filter(Chromium::isUp).allMatch(Chromium::isLoopback);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String upInterfaces() {
        try (Stream<NetworkInterface> all = NetworkInterface.networkInterfaces()) {
            return all.filter(Chromium::isUp).map(NetworkInterface::getName).collect(Collectors.joining(", "));
        } catch (SocketException e) {
            return e.toString();
        }
    }

    private static boolean isUp(NetworkInterface nif) {
        try {
            return nif.isUp();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isLoopback(NetworkInterface nif) {
        try {
            return nif.isLoopback();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a chromedriver and a Chromium with a fresh profile, and loads {@code url} in it.
     *
     * @return the page; closed with this {@code Chromium} or earlier by {@link BrowserPage#close()}
     */
    public BrowserPage open(String url) {
        return open(url, List.of());
    }

    /**
     * As {@link #open(String)}, with more command-line flags for this browser after {@link #FLAGS}
     * (such as {@code --use-file-for-fake-video-capture=FILE} for a camera that films a given clip).
     */
    public BrowserPage open(String url, List<String> extraFlags) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        long startNanos = System.nanoTime();
        Path profile;
        try {
            profile = Files.createTempDirectory("atrium-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(DRIVER.toFile())
                        .usingAnyFreePort()
                        .withLogOutput(java.io.OutputStream.nullOutputStream())
                        .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options(profile, extraFlags));
        } catch (RuntimeException e) {
            service.stop();
            deleteRecursively(profile);
            throw e;
        }
        Duration startup = Duration.ofNanos(System.nanoTime() - startNanos);
        BrowserPage page = new BrowserPage(driver, service::stop, profile, startup, pages::remove);
        pages.add(page);
        LOG.log(Level.INFO, "chromedriver + Chromium started in {0} ms", startup.toMillis());
        try {
            page.navigate(url);
        } catch (RuntimeException e) {
            page.close();
            throw e;
        }
        return page;
    }

    private static ChromeOptions options(Path profile, List<String> extraFlags) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(FLAGS);
        options.addArguments(extraFlags);
        options.addArguments("--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("excludeSwitches", List.of("enable-automation"));
        options.setExperimentalOption("prefs", Map.of("credentials_enable_service", false));
        return options;
    }

    /** Pages opened and not yet closed. */
    public List<BrowserPage> pages() {
        return List.copyOf(pages);
    }

    /** Quits every driver (which ends its Chromium), stops the driver services, deletes profiles. */
    @Override
    public void close() {
        closed = true;
        RuntimeException failure = null;
        for (BrowserPage page : List.copyOf(pages)) {
            try {
                page.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Chromium may still be writing into its profile for a moment after quit; retry once.
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException again) {
                LOG.log(Level.WARNING, "could not delete " + dir, again);
            }
        }
    }
}
