package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.atrium.rtp.Remb;
import org.atrium.sfu.cc.CongestionFeedback;
import org.atrium.sfu.cc.LossBasedRateEstimator;
import org.atrium.sfu.media.MediaKind;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A publisher without transport-cc is told what it may send with REMB, about once a second. */
@Timeout(60)
class RembFallbackTest {

    private static final long VIDEO_SSRC = 0x22334455L;

    @AutoClose
    private final SfuFixture fixture = new SfuFixture();

    @Test
    void publisherWithoutTransportCcGetsRembForItsStreams() throws Exception {
        PeerInRoom publisher = fixture.connected("room", "publisher");
        publisher.participant().setCongestionFeedback(CongestionFeedback.REMB);
        publisher.participant().publish("1", MediaKind.VIDEO, VIDEO_SSRC, -1);
        // About 2.5 s of a 400 kbps stream without loss.
        for (int i = 0; i < 125; i++) {
            publisher.peer().sendRtp(rtp(VIDEO_SSRC, 96).sequenceNumber(i).timestamp(1800L * i)
                    .payload(new byte[1000]).build());
            Thread.sleep(20);
        }
        byte[] remb = SfuFixture.awaitRtcp(publisher.peer(), Duration.ofSeconds(3), "REMB",
                (b, off, len) -> Remb.is(b, off, len));
        assertEquals(1, Remb.ssrcCount(remb, 0));
        assertEquals(VIDEO_SSRC, Remb.ssrc(remb, 0, 0));
        long bitrate = Remb.bitrate(remb, 0);
        assertTrue(bitrate > LossBasedRateEstimator.START_BPS, "grows without loss: " + bitrate);
    }

    @Test
    void publisherWithTransportCcGetsNoRemb() throws Exception {
        PeerInRoom publisher = fixture.connected("room", "publisher");
        publisher.participant().publish("1", MediaKind.VIDEO, VIDEO_SSRC, -1);
        for (int i = 0; i < 100; i++) {
            publisher.peer().sendRtp(rtp(VIDEO_SSRC, 96).sequenceNumber(i).timestamp(1800L * i)
                    .payload(new byte[1000]).build());
            Thread.sleep(20);
        }
        assertNull(SfuFixture.nextRtcp(publisher.peer(), Duration.ofSeconds(1), (b, off, len) -> Remb.is(b, off, len)),
                "no REMB");
    }
}
