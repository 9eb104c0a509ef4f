package org.atrium.signaling.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One participant of another WebRTC stack: a script under {@code signaling/src/test/interop}
 * started as a child process, that speaks docs/signaling.md and reports on stdout, one line each:
 * {@code JOINED <participantId>}, {@code DECODED video|audio <participantId> <frames>}, and
 * anything else (kept for failure messages). It leaves and exits when its stdin closes.
 *
 * <p>A WHIP or WHEP client ({@code whip_client.py}) reports {@code CREATED <status> <location>},
 * {@code DECODED video|audio <frames>} (from the one source it plays) and {@code COLOR <r> <g> <b>}
 * (the middle of its latest frame), and takes commands on stdin ({@link #send}).
 */
final class InteropClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(InteropClient.class.getName());
    /** How long the script may take to leave once its stdin is closed, then after SIGTERM. */
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final int KEPT_LINES = 200;

    private final String name;
    private final Process process;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();
    private final Map<String, Long> decoded = new ConcurrentHashMap<>();
    private volatile String participantId;
    private volatile int lastAnswered;
    private volatile String location;
    private volatile int[] colour;

    private InteropClient(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(this::readStdout, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} in {@code dir}; {@code name} labels its output. */
    static InteropClient start(String name, List<String> command, Path dir) {
        try {
            Path stderr = Files.createTempFile("atrium-interop-", ".stderr");
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            LOG.log(Level.INFO, "{0} started (pid {1}): {2}", name, process.pid(), command);
            return new InteropClient(name, process, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.trim().split("\\s+");
                if (w.length == 2 && w[0].equals("JOINED")) {
                    participantId = w[1];
                } else if (w.length == 3 && w[0].equals("OFFER") && w[1].matches("\\d{1,9}")) {
                    lastAnswered = Math.max(lastAnswered, Integer.parseInt(w[1]));
                } else if (w.length == 3 && w[0].equals("CREATED")) {
                    location = w[2];
                } else if (w.length == 3 && w[0].equals("DECODED") && w[2].matches("\\d{1,18}")) {
                    decoded.merge(w[1], Long.parseLong(w[2]), Math::max);
                    continue;
                } else if (w.length == 4 && w[0].equals("COLOR") && String.join("", w).matches("COLOR\\d{1,9}")) {
                    colour = new int[] {Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3])};
                    continue;
                } else if (w.length == 4 && w[0].equals("DECODED") && w[3].matches("\\d{1,18}")) {
                    decoded.merge(w[1] + " " + w[2], Long.parseLong(w[3]), Math::max);
                    continue; // many a second: not worth keeping
                }
                synchronized (lines) {
                    lines.add(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.remove(0);
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, name + ": stopped reading its output", e);
        }
    }

    /** The participant id of its {@code joined}, once it has said so (waits at most {@code timeout}). */
    String awaitJoined(Duration timeout) {
        waitUntil("JOINED", timeout, () -> participantId != null);
        return participantId;
    }

    /** The version of the latest offer it has answered ({@code OFFER <version> <subscribed>}), 0 before any. */
    int lastAnsweredOffer() {
        return lastAnswered;
    }

    /** The session URL of a WHIP or WHEP client once created ({@code CREATED}), else null. */
    String location() {
        return location;
    }

    /** The mean colour of the middle of the latest frame a WHEP client decoded, as {r, g, b}, or null. */
    int[] colour() {
        return colour;
    }

    /** Frames of {@code kind} a WHEP client has decoded so far. */
    long decoded(String kind) {
        return decoded.getOrDefault(kind, 0L);
    }

    /** Whether a line starting with {@code prefix} was printed (among the lines kept). */
    boolean printed(String prefix) {
        synchronized (lines) {
            return lines.stream().anyMatch(l -> l.startsWith(prefix));
        }
    }

    /** Writes one command line to its stdin. */
    void send(String command) {
        try {
            process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " no longer reads commands", e);
        }
    }

    /** Frames of {@code kind} ("video", "audio") from {@code participantId} it has decoded so far. */
    long decoded(String kind, String participantId) {
        return decoded.getOrDefault(kind + " " + participantId, 0L);
    }

    /** Polls {@code condition} until it holds; fails at once if the process ends, or after {@code timeout}. */
    void waitUntil(String description, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") while waiting for: "
                        + description + "\n" + diagnostics());
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + name
                        + ": " + description + "\n" + diagnostics());
            }
            BrowserPage.sleep(Page.POLL_INTERVAL);
        }
    }

    /** Its last output lines, stderr included, and what it decoded. */
    String diagnostics() {
        StringBuilder out = new StringBuilder(name).append(" decoded ").append(decoded).append("\n--- stdout\n");
        synchronized (lines) {
            lines.forEach(l -> out.append(l).append('\n'));
        }
        out.append("--- stderr\n");
        try {
            List<String> err = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            err.subList(Math.max(0, err.size() - 60), err.size()).forEach(l -> out.append(l).append('\n'));
        } catch (IOException e) {
            out.append(e).append('\n');
        }
        return out.toString();
    }

    /**
     * Closes its stdin (it leaves the room and exits), then SIGTERM, then SIGKILL, each after
     * {@link #GRACE}; by this process's PID and its descendants', never by name.
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "{0} (pid {1}) still running after stdin closed: SIGTERM", name, process.pid());
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not delete " + stderr, e);
            }
        }
    }
}
