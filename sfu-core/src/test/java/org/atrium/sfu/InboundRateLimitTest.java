package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.stats.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A participant that sends far above its inbound limit has the excess dropped before
 * decryption, counted as {@code rate_limited}; the others in the room are not affected,
 * and the flooder's own traffic flows again once it slows down.
 */
@Timeout(60)
class InboundRateLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(3);
    private static final int VP8 = 96;
    private static final long FLOOD_SSRC = 0x0F100D01L;
    private static final long HONEST_SSRC = 0x0600D001L;
    /** 1 Mbit/s and 200 packets/s: a second's burst of 200 packets. */
    private static final SfuConfig.InboundLimit LIMIT = new SfuConfig.InboundLimit(1_000_000, 200);
    private static final int FLOOD = 2000;

    private SfuFixture fixture;

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
    }

    private static byte[] packet(long ssrc, int sequence, int payloadSize) {
        byte[] payload = new byte[payloadSize];
        payload[0] = 0x10;
        payload[1] = (byte) sequence;
        return rtp(ssrc, VP8).sequenceNumber(sequence).timestamp(3000L * sequence).payload(payload).build();
    }

    @Test
    void aFloodingParticipantIsRateLimitedAndTheOthersCarryOn() throws Exception {
        fixture = new SfuFixture(SfuConfig.defaults().withInboundLimit(LIMIT));
        PeerInRoom flooder = fixture.connected("room", "flooder");
        PeerInRoom honest = fixture.connected("room", "honest");
        PeerInRoom viewer = fixture.connected("room", "viewer");
        flooder.participant().publish("0", MediaKind.VIDEO, FLOOD_SSRC, -1);
        honest.participant().publish("0", MediaKind.VIDEO, HONEST_SSRC, -1);
        Consumer fromFlooder = null;
        Consumer fromHonest = null;
        for (int i = 0; i < 2; i++) {
            Consumer consumer = viewer.listener().nextConsumerAdded(WAIT);
            assertNotNull(consumer);
            consumer.resume();
            if (consumer.producer().ssrc() == FLOOD_SSRC) {
                fromFlooder = consumer;
            } else {
                fromHonest = consumer;
            }
        }
        assertNotNull(fromFlooder);
        assertNotNull(fromHonest);

        long droppedBefore = fixture.sfu().metrics().drops(DropReason.RATE_LIMITED);
        // 2000 packets of 1 kB in about two seconds (8 Mbit/s, 8 times the limit), paced so
        // that the SFU reads them all even through a collector pause: the limiter is under
        // test here, not the kernel's socket buffer. The honest publisher sends one packet per 100 of the flood.
        int honestSent = 0;
        for (int sequence = 1; sequence <= FLOOD; sequence++) {
            flooder.peer().sendRtp(packet(FLOOD_SSRC, sequence, 1000));
            if (sequence % 100 == 0) {
                honest.peer().sendRtp(packet(HONEST_SSRC, ++honestSent, 1000));
            }
            Thread.sleep(1);
        }

        int fromHonestReceived = 0;
        int fromFlooderReceived = 0;
        byte[] received;
        while ((received = viewer.peer().pollRtp(Duration.ofMillis(500))) != null) {
            if (RtpPacket.ssrc(received, 0) == fromHonest.ssrc()) {
                fromHonestReceived++;
            } else if (RtpPacket.ssrc(received, 0) == fromFlooder.ssrc()) {
                fromFlooderReceived++;
            }
        }
        long dropped = fixture.sfu().metrics().drops(DropReason.RATE_LIMITED) - droppedBefore;
        System.out.printf("flood of %d: %d forwarded, %d rate-limited%n", FLOOD, fromFlooderReceived, dropped);
        assertEquals(honestSent, fromHonestReceived, "the honest publisher lost nothing");
        assertTrue(dropped >= FLOOD / 2, "most of the flood dropped: " + dropped);
        // At most the burst (about 125 kB, 125 packets) plus what refilled meanwhile.
        assertTrue(fromFlooderReceived < FLOOD / 2, "forwarded of the flood: " + fromFlooderReceived);
        assertEquals(FLOOD, fromFlooderReceived + dropped, "every packet either forwarded or counted");
        assertFalse(flooder.participant().isClosed(), "rate limiting drops packets, not the participant");

        // Slowed down, the flooder's packets flow again.
        Thread.sleep(1000);
        flooder.peer().sendRtp(packet(FLOOD_SSRC, FLOOD + 1, 1000));
        byte[] after = viewer.peer().pollRtp(WAIT);
        assertNotNull(after, "forwarding resumed once the bucket refilled");
        assertEquals(fromFlooder.ssrc(), RtpPacket.ssrc(after, 0));
    }
}
