package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A publisher's send-side bandwidth estimate ramps up only when the SFU feeds back what
 * it receives (transport-wide congestion control): Chromium's estimate must pass 1 Mbps
 * within 15 s of connecting.
 */
@Tag("browser")
class BandwidthBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final double ONE_MBPS = 1_000_000;


    @Test
    void publishersEstimatePassesOneMegabitWithinFifteenSeconds() {
        BrowserPage publisher = chromium.open(server.http("/room/bw?name=Pub").toString());
        BrowserPage receiver = chromium.open(server.http("/room/bw?name=Sub").toString());
        publisher.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
        receiver.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
        long connectedAt = System.nanoTime();

        double[] best = {0};
        long[] bytesAtStart = {-1};
        long[] startNanos = {0};
        try {
            publisher.waitUntil("availableOutgoingBitrate above 1 Mbps", Duration.ofSeconds(15), () -> {
                WebRtcStats stats = WebRtcStats.read(publisher, "window.atrium.pc");
                if (bytesAtStart[0] < 0) {
                    bytesAtStart[0] = stats.bytesSent();
                    startNanos[0] = System.nanoTime();
                }
                double estimate = stats.selectedPair().map(WebRtcStats.CandidatePair::availableOutgoingBitrate)
                        .orElse(0.0);
                best[0] = Math.max(best[0], estimate);
                return estimate > ONE_MBPS;
            });
        } finally {
            WebRtcStats end = WebRtcStats.read(publisher, "window.atrium.pc");
            double seconds = (System.nanoTime() - startNanos[0]) / 1e9;
            System.out.printf("publisher estimate %.0f kbps after %d ms; sent %.0f kbps on average meanwhile%n",
                    best[0] / 1000, (System.nanoTime() - connectedAt) / 1_000_000,
                    (end.bytesSent() - bytesAtStart[0]) * 8 / 1000.0 / Math.max(seconds, 0.001));
        }
        assertTrue(best[0] > ONE_MBPS);
    }
}
