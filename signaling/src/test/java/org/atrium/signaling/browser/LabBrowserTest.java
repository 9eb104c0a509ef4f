package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The network lab works end to end: the server in this JVM's namespace, a publisher and two
 * receivers in their own namespaces, each on its own link, one of them shaped.
 *
 * <p>P publishes a detailed 1280x720 clip ({@link DetailedVideo}); R1 and R2 publish their
 * microphone only. R1's link is free; R2's downlink is limited to 300 kbit/s once everyone is
 * connected and P's encoder has ramped up, then freed again. The SFU forwards P's full stream to
 * both (no bandwidth allocation here), so what R2 receives is what its link lets through. Every
 * figure comes from the browsers' own getStats(), printed every two seconds; the kernel's counters
 * of R2's queue confirm the drops.
 */
@Tag("browser")
class LabBrowserTest {

    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    private static final Duration RAMP = Duration.ofSeconds(25);
    private static final int SHAPED_KBPS = 300;

    private NetworkLab lab;
    private LabServer server;
    private LabChromium chromium;
    private long startNanos;

    @BeforeEach
    void startLab() throws Exception {
        Chromium.assumeInstalled();
        startNanos = System.nanoTime();
        lab = NetworkLab.create();
        server = LabServer.start(lab);
        chromium = LabChromium.launch(lab, server.origin());
    }

    @AfterEach
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
            }
        }
        System.out.printf("lab test ran %.1f s in all%n", (System.nanoTime() - startNanos) / 1e9);
    }

    @Test
    void aShapedReceiverGetsWhatItsLinkCarriesAndMoreOnceItIsLifted() throws IOException {
        LabHost publisherHost = lab.addClient("P");
        LabHost freeHost = lab.addClient("R1");
        LabHost shapedHost = lab.addClient("R2");

        long t = System.nanoTime();
        Path clip = DetailedVideo.hd();
        System.out.printf("fake camera clip: %s, %d MB, made in %d ms%n", clip.getFileName(),
                Files.size(clip) >> 20, (System.nanoTime() - t) / 1_000_000);

        // The three browsers start first, on a blank page, then join: the seconds a browser takes to
        // start are not spent while the others already encode and decode.
        BrowserPage publisher = chromium.open(publisherHost, "about:blank", LabChromium.Camera.detailedHd());
        // The receivers publish their microphone only: no encoding or decoding beyond P's video.
        BrowserPage free = chromium.open(freeHost, "about:blank", LabChromium.Camera.none());
        BrowserPage shaped = chromium.open(shapedHost, "about:blank", LabChromium.Camera.none());
        System.out.printf("browsers started %.1f s after the start%n", (System.nanoTime() - startNanos) / 1e9);
        publisher.navigate(server.http("/room/lab?name=P"));
        free.navigate(server.http("/room/lab?name=R1"));
        shaped.navigate(server.http("/room/lab?name=R2"));
        for (BrowserPage page : List.of(publisher, free, shaped)) {
            page.waitUntilTrue("window.atrium && window.atrium.state === 'connected' && window.atrium.participantId",
                    CONNECT);
        }
        assertEquals(3, server.server().sfu().rooms().room("lab").size());
        assertEquals("1280x720", publisher.eval("const s = window.atrium.localStream.getVideoTracks()[0]"
                + ".getSettings(); return s.width + 'x' + s.height;"), "P's camera track");

        // Each browser's media flows over its own link: lab address <-> the server's.
        for (BrowserPage page : List.of(publisher, free, shaped)) {
            LabHost host = chromium.hostOf(page);
            page.waitUntil("a selected candidate pair", CONNECT,
                    () -> WebRtcStats.read(page, "window.atrium.pc").selectedPair().isPresent());
            WebRtcStats.CandidatePair pair = WebRtcStats.read(page, "window.atrium.pc").selectedPair().orElseThrow();
            System.out.printf("%s: %s:%d -> %s:%d%n", host.name(), pair.localAddress(), pair.localPort(),
                    pair.remoteAddress(), pair.remotePort());
            assertEquals(host.addressText(), pair.localAddress(), host + " " + pair);
            assertEquals(NetworkLab.SERVER_ADDRESS, pair.remoteAddress(), host + " " + pair);
        }

        String p = (String) publisher.eval("return window.atrium.participantId;");
        VideoQuality atFree = VideoQuality.of(free, p);
        VideoQuality atShaped = VideoQuality.of(shaped, p);
        for (VideoQuality q : List.of(atFree, atShaped)) {
            BrowserPage page = q == atFree ? free : shaped;
            page.waitUntil("frames of P decoded", CONNECT,
                    () -> q.sample().of(p).stream().mapToLong(VideoQuality.StreamSample::framesDecoded).sum() > 0);
        }
        System.out.printf("P's video decoded by R1 and R2 %.1f s after the start%n",
                (System.nanoTime() - startNanos) / 1e9);

        // P's encoder ramps up with its send-side estimate: wait until R1 receives well over what R2's
        // link will carry, so that the difference shows.
        long rampDeadline = System.nanoTime() + RAMP.toNanos();
        while (true) {
            sampleFor(Duration.ofSeconds(2), atFree, atShaped);
            print("ramp", publisher, atFree, atShaped);
            if (atFree.last(Duration.ofSeconds(2)).transportKbps() > 2 * SHAPED_KBPS) {
                break;
            }
            if (System.nanoTime() > rampDeadline) {
                throw new AssertionError("R1 receives only " + atFree.last(Duration.ofSeconds(2))
                        + " after " + RAMP.toSeconds() + " s of ramp-up (is the machine overloaded?); P sends "
                        + VideoQuality.sending(publisher));
            }
        }

        // R2's downlink limited: what it receives in all stays under the link's rate.
        lab.shapeDownlink(shapedHost, SHAPED_KBPS);
        NetworkLab.QueueStats queueAtShaping = lab.downlinkStats(shapedHost);
        sampleFor(Duration.ofSeconds(3), atFree, atShaped); // the queue and the browsers' averages settle
        VideoQuality.Sample shapedStart = atShaped.latest();
        VideoQuality.Sample freeStart = atFree.latest();
        for (int i = 0; i < 5; i++) {
            sampleFor(Duration.ofSeconds(2), atFree, atShaped);
            print("R2 at " + SHAPED_KBPS, publisher, atFree, atShaped);
        }
        VideoQuality.Interval r1Shaped = atFree.since(freeStart);
        VideoQuality.Interval r2Shaped = atShaped.since(shapedStart);
        NetworkLab.QueueStats queue = lab.downlinkStats(shapedHost);
        System.out.printf(Locale.ROOT, "R2's shaped downlink: %d packets (%d kB) sent, %d dropped by the queue%n",
                queue.sentPackets() - queueAtShaping.sentPackets(),
                (queue.sentBytes() - queueAtShaping.sentBytes()) / 1000, queue.dropped() - queueAtShaping.dropped());
        System.out.println("while shaped, R1: " + r1Shaped);
        System.out.println("while shaped, R2: " + r2Shaped);

        assertTrue(r1Shaped.framesDecoded() > 0 && r1Shaped.width() > 0 && r1Shaped.height() > 0,
                "R1 decodes P's video: " + r1Shaped);
        assertTrue(r2Shaped.transportKbps() < SHAPED_KBPS * 1.1,
                "R2 receives at most what its link carries: " + r2Shaped);
        assertTrue(r1Shaped.transportKbps() > 1.3 * r2Shaped.transportKbps(),
                "R1 (free) receives more than R2: R1 " + r1Shaped + ", R2 " + r2Shaped);
        assertTrue(queue.dropped() > queueAtShaping.dropped(), "R2's queue dropped what did not fit: " + queue);

        // The limit lifted: R2 receives as much as R1 again.
        lab.unshape(shapedHost);
        sampleFor(Duration.ofSeconds(2), atFree, atShaped);
        VideoQuality.Sample liftedStart = atShaped.latest();
        for (int i = 0; i < 4; i++) {
            sampleFor(Duration.ofSeconds(2), atFree, atShaped);
            print("R2 free", publisher, atFree, atShaped);
        }
        VideoQuality.Interval r2Lifted = atShaped.since(liftedStart);
        System.out.println("after lifting, R2: " + r2Lifted);
        assertTrue(r2Lifted.transportKbps() > Math.max(1.3 * r2Shaped.transportKbps(), 1.1 * SHAPED_KBPS),
                "R2 receives more once its limit is lifted: before " + r2Shaped + ", after " + r2Lifted);
        assertTrue(r2Lifted.framesDecoded() > 0, "R2 decodes P's video: " + r2Lifted);
    }

    /** Samples each sampler every {@link #SAMPLE_EVERY} for {@code duration}. */
    private static void sampleFor(Duration duration, VideoQuality... qualities) {
        long end = System.nanoTime() + duration.toNanos();
        do {
            BrowserPage.sleep(SAMPLE_EVERY);
            for (VideoQuality q : qualities) {
                q.sample();
            }
        } while (System.nanoTime() < end);
    }

    /** The last two seconds as each receiver saw P's video, and P's encoder now. */
    private void print(String phase, BrowserPage publisher, VideoQuality atFree, VideoQuality atShaped) {
        System.out.printf(Locale.ROOT, "%5.1f s %-10s R1: %s%n%18s R2: %s%n%18s P:  %s%n",
                (System.nanoTime() - startNanos) / 1e9, phase, atFree.last(Duration.ofSeconds(2)),
                "", atShaped.last(Duration.ofSeconds(2)), "", VideoQuality.sending(publisher));
    }
}
