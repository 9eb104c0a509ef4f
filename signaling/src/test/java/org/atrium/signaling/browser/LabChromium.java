package org.atrium.signaling.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Capabilities;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.remote.CommandInfo;
import org.openqa.selenium.remote.HttpCommandExecutor;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.remote.http.HttpMethod;

/**
 * Headless Chromium in the client hosts of a {@link NetworkLab}.
 *
 * <p>chromedriver talks to Chromium over a local TCP port, so each page's chromedriver runs inside
 * its host's namespace ({@code ip netns exec NS chromedriver --port=P --allowed-ips=10.77.0.1}),
 * started through {@link NetworkLab#start}, and the test drives it from the server's namespace with
 * a {@link RemoteWebDriver} at {@code http://<host address>:P} (behind a NAT too: the lab routes the
 * control ports to the host's private address through its router, see {@link NatRouter}). Its port is one of the lab's
 * {@link NetworkLab#FIRST_CONTROL_PORT control ports}, which shaping leaves alone: at most {@link
 * NetworkLab#CONTROL_PORTS} pages per host at a time. Chromium, started by that chromedriver, lives in
 * the same namespace: its only interfaces are {@code lo} and the host's link, so it gathers ICE
 * candidates on the lab address only. The page is on {@code http://10.77.0.1:PORT}, not a secure
 * context for the browser, so the origin is marked secure with {@code
 * --unsafely-treat-insecure-origin-as-secure}, or getUserMedia would fail.
 *
 * <p>A page's camera is a {@link Camera}: Chromium's fake test pattern, a y4m file ({@link
 * DetailedVideo}) or none, and the size the page's getUserMedia asks for. The web client asks for
 * its own size (640x360); the lab overrides the {@code width} and {@code height} of every
 * getUserMedia video request (or drops video) with a script that runs before the page's own
 * (DevTools {@code Page.addScriptToEvaluateOnNewDocument}), so the web client itself is unchanged.
 *
 * <p>{@link BrowserPage#close()} quits the driver (which ends Chromium) and then stops chromedriver
 * and anything left under it by process id. Not thread-safe: open and close pages from the test
 * thread.
 */
public final class LabChromium implements AutoCloseable {

    /**
     * A fake camera: Chromium's test pattern ({@code file} null, at {@code fps}) or a y4m file (at
     * the file's rate); {@code width}x{@code height} is what the page's getUserMedia asks for, 0x0
     * to leave the page's request alone. Without {@code video}, the page's getUserMedia gets the
     * microphone only, so the page publishes no video (a receiver that costs the machine no
     * encoding).
     */
    public record Camera(Path file, int width, int height, int fps, boolean video) {

        /** Chromium's moving test pattern, asked for at {@code width}x{@code height}, {@code fps}. */
        public static Camera pattern(int width, int height, int fps) {
            return new Camera(null, width, height, fps, true);
        }

        /** {@link DetailedVideo#hd()}: detailed motion at 1280x720, 30 fps, asked for at that size. */
        public static Camera detailedHd() {
            return new Camera(DetailedVideo.hd(), 1280, 720, 30, true);
        }

        /** A y4m file, asked for at {@code width}x{@code height}. */
        public static Camera file(Path y4m, int width, int height) {
            return new Camera(y4m, width, height, 0, true);
        }

        /** No camera: the page gets only the (fake) microphone. */
        public static Camera none() {
            return new Camera(null, 0, 0, 10, false);
        }
    }

    private static final Duration DRIVER_START = Duration.ofSeconds(20);
    private static final String CDP_COMMAND = "executeCdpCommand";
    private static final System.Logger LOG = System.getLogger(LabChromium.class.getName());
    private static final Path CERTUTIL = Path.of("/usr/bin/certutil");

    private final NetworkLab lab;
    private final URI origin;
    private final Path logs;
    private final List<BrowserPage> pages = new ArrayList<>();
    private final Map<BrowserPage, Slot> slots = new HashMap<>();
    private final List<Path> trustedCas = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private boolean closed;

    private record Slot(LabHost host, int port) {}

    private LabChromium(NetworkLab lab, URI origin, Path logs) {
        this.lab = lab;
        this.origin = origin;
        this.logs = logs;
    }

    /**
     * Browsers for {@code lab}'s hosts, for pages of the server at {@code origin} (such as {@code
     * http://10.77.0.1:41234}). Skips the calling test when Chromium or chromedriver is missing.
     */
    public static LabChromium launch(NetworkLab lab, URI origin) {
        Chromium.assumeInstalled();
        try {
            return new LabChromium(lab, origin, Files.createTempDirectory("atrium-lab-chromedriver-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens {@code url} in a new Chromium in {@code host}, with {@code camera}. */
    public BrowserPage open(LabHost host, String url, Camera camera) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        long startNanos = System.nanoTime();
        int port = freePort(host);
        Path profile;
        try {
            profile = Files.createTempDirectory("atrium-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = logs.resolve(host.namespace() + "-" + port + ".log");
        List<String> driverCommand = new ArrayList<>();
        if (!trustedCas.isEmpty()) {
            try {
                driverCommand.addAll(List.of("env", "HOME=" + homeTrusting(profile.resolve("home"))));
            } catch (RuntimeException e) {
                Chromium.deleteRecursively(profile);
                throw e;
            }
        }
        driverCommand.addAll(List.of(Chromium.DRIVER.toString(), "--port=" + port,
                "--allowed-ips=" + lab.serverAddress().getHostAddress()));
        Process driverProcess = lab.start(host, driverCommand, log);
        LabDriver driver;
        try {
            URL driverUrl = URI.create("http://" + host.addressText() + ":" + port).toURL();
            awaitReady(driverUrl, driverProcess, log);
            driver = new LabDriver(driverUrl, options(profile, camera));
        } catch (RuntimeException | MalformedURLException e) {
            lab.stop(driverProcess);
            Chromium.deleteRecursively(profile);
            throw new IllegalStateException("cannot start chromedriver and Chromium in " + host + ": " + e
                    + "\nchromedriver output:\n" + read(log), e);
        }
        Duration startup = Duration.ofNanos(System.nanoTime() - startNanos);
        BrowserPage page = new BrowserPage(driver, () -> lab.stop(driverProcess), profile, startup, p -> {
            pages.remove(p);
            slots.remove(p);
        });
        pages.add(page);
        slots.put(page, new Slot(host, port));
        LOG.log(Level.INFO, "chromedriver + Chromium started in {0} in {1} ms", host, startup.toMillis());
        try {
            if (!camera.video() || camera.width() > 0 && camera.height() > 0) {
                driver.cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", getUserMediaOverride(camera)));
            }
            page.navigate(url);
        } catch (RuntimeException e) {
            page.close();
            throw e;
        }
        return page;
    }

    /**
     * Makes the browsers of pages opened from now on trust the CA certificate in {@code caPem} (PEM)
     * for TLS server authentication, such as a {@link TestCertificates#caPem()}: TURN over TLS
     * ({@code turns:}), HTTPS, WSS. Chromium on Linux verifies certificates with its own root store
     * plus the user's NSS database, {@code $HOME/.pki/nssdb}; each page gets a fresh HOME inside its
     * profile directory whose NSS database holds the CA, trusted for TLS servers ({@code certutil -t
     * "C,,"}), and chromedriver (and with it Chromium) runs with that HOME. The machine's own HOME
     * and trust stores are untouched. Needs {@code certutil} (Debian package libnss3-tools); skips
     * the calling test otherwise.
     *
     * <p>(Verified with Chromium 156: without this a {@code turns:} server with such a certificate
     * fails with error 701; with it the allocation succeeds. Chromium's {@code
     * --ignore-certificate-errors-spki-list=<}{@link TestCertificates#serverSpkiSha256()}{@code >}
     * also worked, but it pins one server key rather than validating a chain.)
     */
    public LabChromium trustCa(Path caPem) {
        Assumptions.assumeTrue(Files.isExecutable(CERTUTIL), CERTUTIL + " missing (Debian package libnss3-tools)");
        if (!Files.isReadable(caPem)) {
            throw new IllegalArgumentException("cannot read " + caPem);
        }
        trustedCas.add(caPem);
        return this;
    }

    /** Creates {@code home}/.pki/nssdb with the trusted CAs; returns {@code home}. */
    private Path homeTrusting(Path home) {
        Path nssdb = home.resolve(".pki").resolve("nssdb");
        try {
            Files.createDirectories(nssdb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String db = "sql:" + nssdb;
        certutil(List.of("-N", "-d", db, "--empty-password"));
        int n = 0;
        for (Path ca : trustedCas) {
            certutil(List.of("-A", "-d", db, "-t", "C,,", "-n", "atrium-test-ca-" + n++, "-i", ca.toString()));
        }
        return home;
    }

    private static void certutil(List<String> args) {
        List<String> command = new ArrayList<>(List.of(CERTUTIL.toString()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + out.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The host a page of this launcher runs in. */
    public LabHost hostOf(BrowserPage page) {
        Slot slot = slots.get(page);
        if (slot == null) {
            throw new IllegalArgumentException("not an open page of this launcher");
        }
        return slot.host();
    }

    /** Pages opened and not yet closed. */
    public List<BrowserPage> pages() {
        return List.copyOf(pages);
    }

    private int freePort(LabHost host) {
        for (int port = NetworkLab.FIRST_CONTROL_PORT;
                port < NetworkLab.FIRST_CONTROL_PORT + NetworkLab.CONTROL_PORTS; port++) {
            if (!slots.containsValue(new Slot(host, port))) {
                return port;
            }
        }
        throw new IllegalStateException("at most " + NetworkLab.CONTROL_PORTS + " browsers per lab host: " + host);
    }

    /** Polls chromedriver's {@code /status} until it is ready for sessions. */
    private void awaitReady(URL driverUrl, Process driverProcess, Path log) {
        long deadline = System.nanoTime() + DRIVER_START.toNanos();
        HttpRequest status = HttpRequest.newBuilder(URI.create(driverUrl + "/status"))
                .timeout(Duration.ofSeconds(2)).build();
        String last = "no answer";
        while (true) {
            if (!driverProcess.isAlive()) {
                throw new IllegalStateException("chromedriver exited with " + driverProcess.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(status, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().replace(" ", "").contains("\"ready\":true")) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("chromedriver at " + driverUrl + " not ready after "
                        + DRIVER_START.toSeconds() + " s: " + last);
            }
            BrowserPage.sleep(Duration.ofMillis(100));
        }
    }

    private ChromeOptions options(Path profile, Camera camera) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Chromium.BINARY.toFile());
        for (String flag : Chromium.FLAGS) {
            // Loopback candidates would be useless here; the camera flags depend on the camera.
            if (!flag.equals("--allow-loopback-in-peer-connection")
                    && !flag.startsWith("--use-fake-device-for-media-stream")) {
                options.addArguments(flag);
            }
        }
        if (camera.file() != null) {
            options.addArguments("--use-fake-device-for-media-stream",
                    "--use-file-for-fake-video-capture=" + camera.file());
        } else {
            options.addArguments("--use-fake-device-for-media-stream=fps=" + camera.fps());
        }
        options.addArguments("--unsafely-treat-insecure-origin-as-secure=" + origin,
                "--user-data-dir=" + profile);
        LoggingPreferences logPrefs = new LoggingPreferences();
        logPrefs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logPrefs);
        options.setExperimentalOption("excludeSwitches", List.of("enable-automation"));
        options.setExperimentalOption("prefs", Map.of("credentials_enable_service", false));
        return options;
    }

    /**
     * Makes every getUserMedia video request ask for the camera's size, or, for {@link Camera#none()},
     * drops video from requests that also ask for audio and refuses video-only ones.
     */
    static String getUserMediaOverride(Camera camera) {
        return """
                (() => {
                  const md = navigator.mediaDevices;
                  if (!md || !md.getUserMedia) return;
                  const original = md.getUserMedia.bind(md);
                  const withVideo = %s, width = %d, height = %d;
                  md.getUserMedia = (constraints) => {
                    if (constraints && constraints.video) {
                      if (!withVideo) {
                        if (!constraints.audio) {
                          return Promise.reject(new DOMException('no camera in this lab host', 'NotFoundError'));
                        }
                        constraints = Object.assign({}, constraints, {video: false});
                      } else if (width > 0 && height > 0) {
                        const video = typeof constraints.video === 'object' ? constraints.video : {};
                        constraints = Object.assign({}, constraints,
                            {video: Object.assign({}, video, {width: width, height: height})});
                      }
                    }
                    return original(constraints);
                  };
                })();
                """.formatted(camera.video(), camera.width(), camera.height());
    }

    private static String read(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Closes every page (driver, Chromium, chromedriver), deletes the chromedriver logs. */
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
        Chromium.deleteRecursively(logs);
        if (failure != null) {
            throw failure;
        }
    }

    /** A W3C session on a chromedriver at a URL, with chromedriver's DevTools command. */
    static final class LabDriver extends RemoteWebDriver {

        LabDriver(URL driverServer, Capabilities capabilities) {
            super(new HttpCommandExecutor(
                    Map.of(CDP_COMMAND, new CommandInfo("/session/:sessionId/goog/cdp/execute", HttpMethod.POST)),
                    driverServer), capabilities);
        }

        /** Runs a DevTools protocol command in the browser; returns its result. */
        Object cdp(String command, Map<String, Object> params) {
            return execute(CDP_COMMAND, Map.of("cmd", command, "params", params)).getValue();
        }
    }
}
