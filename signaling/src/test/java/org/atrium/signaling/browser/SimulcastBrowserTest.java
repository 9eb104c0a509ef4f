package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;
import org.atrium.sfu.room.Participant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Chromium publishes simulcast in its answer to the SFU's offer (three encodings by RID,
 * VP8 with three temporal layers); the SFU learns each encoding's SSRC from its packets. A
 * receiving Chromium's downlink estimate ramps up by probing until it gets the top
 * encoding, then follows the render sizes it states, and keeps decoding one continuous
 * stream through every switch: its resolution follows, and its decoder never stalls.
 */
@Tag("browser")
class SimulcastBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final Duration SWITCH = Duration.ofSeconds(10);
    private static final Duration RAMP_UP = Duration.ofSeconds(30);

    /** The publisher's outbound video encodings: rid, frame width, frames encoded, scalability mode. */
    private static final String OUTBOUND = """
            const stats = await window.atrium.pc.getStats();
            const out = [];
            stats.forEach(s => { if (s.type === 'outbound-rtp' && s.kind === 'video')
              out.push({rid: s.rid || '', width: s.frameWidth || 0, frames: s.framesEncoded || 0,
                        mode: s.scalabilityMode || ''}); });
            return out;
            """;

    /** The receiver's inbound video: frame width, frames decoded, freezes. */
    private static final String INBOUND = """
            const stats = await window.atrium.pc.getStats();
            let v = {width: 0, frames: 0, freezes: 0, pictureLoss: 0};
            stats.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0)
              v = {width: s.frameWidth || 0, frames: s.framesDecoded, freezes: s.freezeCount || 0,
                   pictureLoss: s.pliCount || 0}; });
            return v;
            """;

    @Test
    void aReceiverFollowsLayerSwitchesWithoutStalling() {
        BrowserPage publisher = chromium.open(server.http("/room/simulcast?name=Pub").toString());
        publisher.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
        BrowserPage receiver = chromium.open(server.http("/room/simulcast?name=Sub").toString());
        receiver.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);

        // The browser sends three encodings, by the RIDs of the offer, at 1/4, 1/2 and full size.
        publisher.waitUntil("three simulcast encodings encoding", CONNECT, () -> {
            List<?> encodings = (List<?>) publisher.evalAsync(OUTBOUND);
            return encodings.size() == 3 && encodings.stream().allMatch(e -> num(e, "frames") > 10);
        });
        List<?> encodings = (List<?>) publisher.evalAsync(OUTBOUND);
        System.out.println("publisher encodings: " + encodings);

        Producer video = publisherVideo();
        assertTrue(video.isSimulcast(), video.toString());
        assertEquals(List.of("q", "h", "f"), video.streams().stream().map(ReceiveStream::rid).toList());
        publisher.waitUntil("the SFU knows each encoding's SSRC", CONNECT,
                () -> video.streams().stream().allMatch(ReceiveStream::isBound));
        long fullWidth = encodings.stream().filter(e -> "f".equals(((Map<?, ?>) e).get("rid")))
                .mapToLong(e -> num(e, "width")).findFirst().orElseThrow();
        long quarterWidth = encodings.stream().filter(e -> "q".equals(((Map<?, ?>) e).get("rid")))
                .mapToLong(e -> num(e, "width")).findFirst().orElseThrow();
        assertTrue(fullWidth >= 4 * quarterWidth - 4, encodings.toString());

        Consumer consumer = video.consumers()[0];
        Participant receiving = participant("Sub");
        // The receiver's estimate starts low and rises by probing: on this unshaped link it
        // reaches the top encoding.
        awaitWidth(receiver, fullWidth, RAMP_UP);
        System.out.printf("receiver estimate %d kbps, %d probes, %d switches%n",
                receiving.downlinkEstimateBps() / 1000, receiving.probesSent(), consumer.layerSwitchCount());
        assertTrue(receiving.downlinkEstimateBps() > 0, "the receiver sent congestion feedback");
        long frames = frames(receiver);

        // The page shows the video small, then half size, then as large as it likes: the SFU
        // sends no larger encoding than that.
        receiving.setRenderSize(consumer, 320, 180);
        awaitWidth(receiver, quarterWidth, SWITCH);
        assertEquals(0, consumer.currentSpatialLayer());
        receiving.setRenderSize(consumer, 640, 360);
        awaitWidth(receiver, 2 * quarterWidth, SWITCH);
        receiving.setRenderSize(consumer, 4000, 4000);
        awaitWidth(receiver, fullWidth, SWITCH);

        long decoded = frames(receiver) - frames;
        Map<?, ?> inbound = (Map<?, ?>) receiver.evalAsync(INBOUND);
        System.out.println("receiver after switches: " + inbound + ", " + decoded + " frames since the first switch, "
                + consumer.layerSwitchCount() + " switches, " + consumer.layerDropCount() + " packets left out");
        assertTrue(consumer.layerSwitchCount() >= 4, "switches: " + consumer.layerSwitchCount());
        // A decoder that took a rewritten stream for loss would stall and ask for keyframes.
        long before = frames(receiver);
        BrowserPage.sleep(Duration.ofSeconds(2));
        // The fake camera runs at 10 fps (Chromium.FLAGS): half of that at least.
        long lastTwoSeconds = frames(receiver) - before;
        assertTrue(lastTwoSeconds >= 10, "still decoding after the switches: " + lastTwoSeconds + " frames in 2 s");
    }

    private Participant participant(String name) {
        for (Participant participant : server.server().sfu().rooms().room("simulcast").participants()) {
            if (participant.displayName().equals(name)) {
                return participant;
            }
        }
        throw new AssertionError("no participant " + name);
    }

    private Producer publisherVideo() {
        for (Producer producer : participant("Pub").producers()) {
            if (producer.kind() == MediaKind.VIDEO) {
                return producer;
            }
        }
        throw new AssertionError("the publisher has no video producer");
    }

    private static void awaitWidth(BrowserPage receiver, long width, Duration timeout) {
        receiver.waitUntil("receiver decodes " + width + " px wide", timeout, () -> {
            Map<?, ?> inbound = (Map<?, ?>) receiver.evalAsync(INBOUND);
            return num(inbound, "width") == width;
        });
    }

    private static long frames(BrowserPage page) {
        return num(page.evalAsync(INBOUND), "frames");
    }

    private static long num(Object map, String key) {
        Object value = ((Map<?, ?>) map).get(key);
        return value instanceof Number n ? n.longValue() : 0;
    }
}
