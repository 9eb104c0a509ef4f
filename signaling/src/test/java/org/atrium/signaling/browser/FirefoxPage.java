package org.atrium.signaling.browser;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.WebDriverException;

/**
 * One page in its own headless Firefox, driven by a Node.js process running {@code
 * signaling/src/test/firefox/driver.mjs} (puppeteer-core over WebDriver BiDi) that this class
 * talks to in JSON lines over stdin and stdout. Opened by {@link Firefox#open}.
 */
public final class FirefoxPage implements Page {

    private static final System.Logger LOG = System.getLogger(FirefoxPage.class.getName());
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    /** Longest wait for one answer of the driver (a script, a page load). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);
    private static final Object EOF = new Object();

    private final Process node;
    private final Path profile;
    private final Consumer<FirefoxPage> onClose;
    private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final List<String> console = new ArrayList<>();
    private final OutputStream requests;
    private String browser = "firefox";
    private long firefoxPid = -1;
    private Duration startup = Duration.ZERO;
    private long nextId = 1;
    private boolean closed;

    FirefoxPage(Process node, Path profile, Consumer<FirefoxPage> onClose) {
        this.node = node;
        this.profile = profile;
        this.onClose = onClose;
        this.requests = node.getOutputStream();
        Thread out = new Thread(this::readAnswers, "firefox-driver-out-" + node.pid());
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(this::readStderr, "firefox-driver-err-" + node.pid());
        err.setDaemon(true);
        err.start();
    }

    /** Waits for the driver's first line: Firefox started, or why not. */
    void awaitReady(Duration timeout, long startNanos) {
        Map<?, ?> ready = next(timeout, "Firefox to start");
        if (!Boolean.TRUE.equals(ready.get("ready"))) {
            throw new IllegalStateException("Firefox did not start: " + ready.get("error") + "\n" + stderrTail());
        }
        browser = String.valueOf(ready.get("browser")).replace('/', ' ');
        firefoxPid = ready.get("pid") instanceof Number n ? n.longValue() : -1;
        startup = Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public void preload(String script) {
        request(Map.of("op", "preload", "script", script));
    }

    @Override
    public void navigate(String url) {
        request(Map.of("op", "open", "url", url));
    }

    @Override
    public String browser() {
        return browser;
    }

    /** Time from starting the driver to a ready Firefox. */
    public Duration startup() {
        return startup;
    }

    /** Firefox's main process, or -1 before it started. */
    public long firefoxPid() {
        return firefoxPid;
    }

    @Override
    public Object eval(String body, Object... args) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("op", "eval");
        req.put("script", body);
        req.put("args", Arrays.asList(args));
        return request(req);
    }

    @Override
    public Object evalAsync(String body, Object... args) {
        try {
            return eval(body, args);
        } catch (JavascriptException e) {
            throw new AssertionError("script failed in the page: " + e.getRawMessage() + "\n" + diagnostics(), e);
        }
    }

    @Override
    public synchronized List<String> consoleLog() {
        if (!closed) {
            try {
                for (Object line : (List<?>) request(Map.of("op", "console"))) {
                    console.add(String.valueOf(line));
                }
            } catch (RuntimeException e) {
                console.add("(console log unavailable: " + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
        return List.copyOf(console);
    }

    @Override
    public String diagnostics() {
        StringBuilder out = new StringBuilder().append(browser).append('\n');
        if (closed) {
            out.append("page closed\n");
        } else {
            try {
                out.append("url: ").append(request(Map.of("op", "url"))).append('\n');
            } catch (RuntimeException e) {
                out.append("page unreachable: ").append(e.getMessage().lines().findFirst().orElse("")).append('\n');
            }
        }
        List<String> log = consoleLog();
        out.append("console (").append(log.size()).append(" entries):\n");
        for (String line : log) {
            out.append("  ").append(line).append('\n');
        }
        String tail = stderrTail();
        if (!tail.isEmpty()) {
            out.append("driver stderr:\n").append(tail);
        }
        return out.toString();
    }

    /**
     * Asks the driver to close Firefox, then stops by PID whatever of the driver, Firefox and
     * Firefox's child processes is still running, and deletes the profile.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        List<ProcessHandle> started = new ArrayList<>(node.descendants().toList());
        if (firefoxPid > 0) {
            ProcessHandle.of(firefoxPid).ifPresent(started::add);
        }
        try {
            consoleLog();
            if (node.isAlive()) {
                request(Map.of("op", "close"), Duration.ofSeconds(10));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Firefox did not close cleanly: {0}", e.getMessage());
        } finally {
            closed = true;
            // Children of Firefox started after the first look (content processes) too.
            if (firefoxPid > 0) {
                ProcessHandle.of(firefoxPid).ifPresent(h -> started.addAll(h.descendants().toList()));
            }
            for (ProcessHandle h : started) {
                h.destroyForcibly();
            }
            node.destroyForcibly();
            try {
                node.waitFor(10, TimeUnit.SECONDS);
                for (ProcessHandle h : started) {
                    h.onExit().get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Firefox processes still running after close: {0}", e.toString());
            }
            Chromium.deleteRecursively(profile);
            onClose.accept(this);
        }
    }

    private Object request(Map<String, Object> req) {
        return request(req, REQUEST_TIMEOUT);
    }

    private synchronized Object request(Map<String, Object> req, Duration timeout) {
        if (closed) {
            throw new WebDriverException("Firefox page closed");
        }
        long id = nextId++;
        Map<String, Object> withId = new LinkedHashMap<>(req);
        withId.put("id", id);
        try {
            requests.write(JSON.writeValueAsBytes(withId));
            requests.write('\n');
            requests.flush();
        } catch (IOException e) {
            throw new WebDriverException("Firefox driver gone: " + e + "\n" + stderrTail(), e);
        }
        while (true) {
            Map<?, ?> answer = next(timeout, req.get("op") + " #" + id);
            if (!(answer.get("id") instanceof Number n) || n.longValue() != id) {
                continue; // an answer to an earlier request that timed out
            }
            if (Boolean.TRUE.equals(answer.get("ok"))) {
                return answer.get("value");
            }
            String error = String.valueOf(answer.get("error"));
            if ("eval".equals(req.get("op"))) {
                throw new JavascriptException(error);
            }
            throw new WebDriverException(req.get("op") + " failed: " + error);
        }
    }

    private Map<?, ?> next(Duration timeout, String what) {
        Object answer;
        try {
            answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebDriverException("interrupted waiting for " + what, e);
        }
        if (answer == null) {
            throw new WebDriverException("no answer from the Firefox driver within " + timeout.toMillis()
                    + " ms for " + what + "\n" + stderrTail());
        }
        if (answer == EOF) {
            answers.add(EOF);
            throw new WebDriverException("the Firefox driver exited, waiting for " + what + "\n" + stderrTail());
        }
        return (Map<?, ?>) answer;
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("{")) {
                    addStderr("stdout: " + line);
                    continue;
                }
                try {
                    answers.add(JSON.readValue(line, Map.class));
                } catch (IOException e) {
                    addStderr("unreadable answer: " + line);
                }
            }
        } catch (IOException e) {
            addStderr("reading the driver: " + e);
        } finally {
            answers.add(EOF);
        }
    }

    private void readStderr() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(node.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                addStderr(line);
            }
        } catch (IOException e) {
            // the driver exited
        }
    }

    private void addStderr(String line) {
        synchronized (stderr) {
            stderr.addLast(line);
            while (stderr.size() > 40) {
                stderr.removeFirst();
            }
        }
    }

    private String stderrTail() {
        synchronized (stderr) {
            StringBuilder out = new StringBuilder();
            stderr.forEach(l -> out.append("  ").append(l).append('\n'));
            return out.toString();
        }
    }
}
