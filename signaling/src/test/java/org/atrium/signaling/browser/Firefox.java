package org.atrium.signaling.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Debian Firefox ESR for browser tests on loopback, driven over WebDriver BiDi by npm
 * {@code puppeteer-core} in a Node.js child process ({@code signaling/src/test/firefox/driver.mjs};
 * there is no geckodriver package). Each {@link #open page} gets its own Node.js process, Firefox
 * process and profile.
 *
 * <p>Firefox's camera and microphone are its fake devices; a script run before the page's own
 * asks them for {@link #CAMERA_WIDTH}x{@link #CAMERA_HEIGHT} at {@link #CAMERA_FPS} frames a
 * second whatever the page asks for, so that several browsers fit on two cores.
 *
 * <p>Without a real camera Firefox gathers ICE candidates only on its "default address": the
 * source address of a route to 8.8.8.8 (it only asks the kernel; nothing is sent). In a network
 * namespace without such a route it offers no UDP candidate at all. In a loopback-only namespace
 * without one, {@link #launch()} therefore adds the host route {@code 8.8.8.8/32 dev lo src
 * 127.0.0.1} and {@link #close()} removes it again. Not a default route: with a default route
 * into {@code lo}, DNS queries to the resolver wait for their timeouts instead of failing at once,
 * and Chromium then takes about 14 s longer to load a page through chromedriver.
 *
 * <p>Not thread-safe: open and close pages from the test thread.
 */
public final class Firefox implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/firefox-esr");
    public static final Path NODE = Path.of("/usr/bin/node");
    public static final int CAMERA_WIDTH = 320;
    public static final int CAMERA_HEIGHT = 240;
    public static final int CAMERA_FPS = 10;

    /** Viewport: every remote tile of a four-page room in view, as for {@link Chromium}. */
    private static final int WIDTH = 1920;
    private static final int HEIGHT = 1080;
    private static final Duration STARTUP = Duration.ofSeconds(40);
    /** The address whose route gives Firefox its "default address". */
    private static final String DEFAULT_ADDRESS_PROBE = "8.8.8.8";
    private static final List<String> ROUTE = List.of(DEFAULT_ADDRESS_PROBE + "/32", "dev", "lo", "src", "127.0.0.1");

    /** Replaces the video constraints of every getUserMedia call by a small, slow fake camera. */
    static final String SMALL_CAMERA = """
            (() => {
              const md = navigator.mediaDevices;
              if (!md || !md.getUserMedia) return;
              const original = md.getUserMedia.bind(md);
              md.getUserMedia = c => original(c && c.video
                  ? {...c, video: {width: {exact: %d}, height: {exact: %d}, frameRate: {ideal: %d}}}
                  : c);
            })();
            """.formatted(CAMERA_WIDTH, CAMERA_HEIGHT, CAMERA_FPS);

    private static final System.Logger LOG = System.getLogger(Firefox.class.getName());

    private final Path driverDir;
    private final List<FirefoxPage> pages = new ArrayList<>();
    private final boolean addedRoute;
    private boolean closed;

    private Firefox(Path driverDir, boolean addedRoute) {
        this.driverDir = driverDir;
        this.addedRoute = addedRoute;
    }

    /**
     * Skips the calling test (JUnit assumption) when Firefox ESR, Node.js or the driver's npm
     * packages are missing; adds the route a loopback-only namespace needs (see above).
     */
    public static Firefox launch() {
        Path dir = driverDir();
        Assumptions.assumeTrue(
                Files.isExecutable(BINARY)
                        && Files.isExecutable(NODE)
                        && Files.isDirectory(dir.resolve("node_modules/puppeteer-core")),
                () -> "Firefox tests need " + BINARY + " (Debian firefox-esr), " + NODE + " and `npm ci` in " + dir
                        + "; run ./test.sh, which installs them");
        boolean addRoute = Chromium.inLoopbackOnlyNamespace() && !hasRoute(DEFAULT_ADDRESS_PROBE);
        if (addRoute) {
            ip("route", "add", ROUTE);
            LOG.log(Level.INFO, "loopback-only namespace: added the route {0} for Firefox", ROUTE);
        }
        return new Firefox(dir, addRoute);
    }

    /** {@code signaling/src/test/firefox}, from the module's directory (Maven's working directory). */
    static Path driverDir() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path dir = module.resolve("src/test/firefox");
        if (!Files.isDirectory(dir)) {
            dir = module.resolve("signaling/src/test/firefox");
        }
        return dir.toAbsolutePath();
    }

    /**
     * Starts a Node.js driver and a Firefox with a fresh profile, and loads {@code url} in it.
     *
     * @return the page; closed with this {@code Firefox} or earlier by {@link FirefoxPage#close()}
     */
    public FirefoxPage open(String url) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        long startNanos = System.nanoTime();
        Path profile;
        Process node;
        try {
            profile = Files.createTempDirectory("atrium-firefox-");
            node = new ProcessBuilder(
                            NODE.toString(),
                            driverDir.resolve("driver.mjs").toString(),
                            BINARY.toString(),
                            profile.toString(),
                            Integer.toString(WIDTH),
                            Integer.toString(HEIGHT))
                    .directory(driverDir.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FirefoxPage page = new FirefoxPage(node, profile, pages::remove);
        pages.add(page);
        try {
            page.awaitReady(STARTUP, startNanos);
            LOG.log(Level.INFO, "{0} started in {1} ms", page.browser(), page.startup().toMillis());
            page.preload(SMALL_CAMERA);
            page.navigate(url);
        } catch (RuntimeException e) {
            page.close();
            throw e;
        }
        return page;
    }

    /** Pages opened and not yet closed. */
    public List<FirefoxPage> pages() {
        return List.copyOf(pages);
    }

    /** Closes every page (which stops its Firefox and driver) and removes the route it added. */
    @Override
    public void close() {
        closed = true;
        RuntimeException failure = null;
        for (FirefoxPage page : List.copyOf(pages)) {
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
        if (addedRoute) {
            try {
                ip("route", "del", ROUTE);
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

    private static boolean hasRoute(String address) {
        try {
            ip("route", "get", List.of(address));
            return true;
        } catch (IllegalStateException e) {
            return false; // "Network is unreachable"
        }
    }

    private static String ip(String object, String command, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("ip", object, command));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + cmd, e);
        }
    }
}
