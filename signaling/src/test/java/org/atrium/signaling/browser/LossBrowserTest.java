package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Video keeps playing through 5 % random loss each way between the browsers and the
 * SFU: the receiving browser NACKs and retransmissions arrive. The loss comes from
 * nftables rules in the test's own loopback-only network namespace, on the SFU's
 * media port only.
 */
@Tag("browser")
class LossBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);

    private MediaPortLoss loss;

    @BeforeEach
    void needsLossInjection() throws Exception {
        MediaPortLoss.assumeAvailable();
    }

    /** Runs before the browsers and the server stop. */
    @AfterEach
    void removeLossRules() throws Exception {
        if (loss != null) {
            loss.close();
        }
    }

    @Test
    void videoKeepsDecodingThroughFivePercentLossWithNacksAndRetransmissions() throws Exception {
        BrowserPage publisher = chromium.open(server.http("/room/loss?name=Pub").toString());
        BrowserPage receiver = chromium.open(server.http("/room/loss?name=Sub").toString());
        publisher.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
        receiver.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
        receiver.waitUntil("video decoding", CONNECT, () -> video(receiver).framesDecoded() > 0);

        loss = MediaPortLoss.start(server.server().sfu().mediaAddress().getPort(), 5);

        WebRtcStats.Inbound before = video(receiver);
        long[] frames = new long[5];
        for (int i = 0; i < frames.length; i++) {
            Thread.sleep(4000);
            frames[i] = video(receiver).framesDecoded();
        }
        WebRtcStats.Inbound after = video(receiver);
        System.out.printf("over 20 s at 5%% loss each way: frames decoded %d -> %d (every 4 s: %s), nackCount %d, "
                        + "retransmitted packets received %d, packets lost %d, freezeCount %d%n",
                before.framesDecoded(), after.framesDecoded(), java.util.Arrays.toString(frames), after.nackCount(),
                after.retransmittedPacketsReceived(), after.packetsLost(), after.freezeCount());
        assertTrue(after.nackCount() > before.nackCount(), "the receiver sent NACKs");
        assertTrue(after.retransmittedPacketsReceived() > before.retransmittedPacketsReceived(),
                "retransmissions arrived");
        long previous = before.framesDecoded();
        for (long count : frames) {
            assertTrue(count > previous, "frames advanced in every 4 s window: " + java.util.Arrays.toString(frames));
            previous = count;
        }
    }

    private static WebRtcStats.Inbound video(BrowserPage page) {
        return WebRtcStats.read(page, "window.atrium.pc").inbound("video").stream().findFirst()
                .orElse(new WebRtcStats.Inbound("video", 0, 0, 0, 0, 0, 0, 0, 0));
    }
}
