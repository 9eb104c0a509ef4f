package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atrium.rtp.Nack;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.Rtx;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Loss recovery between real peers: the SFU NACKs the publisher for a gap, restores the
 * publisher's RTX and forwards it once; it answers a receiver's NACK from its cache, as
 * RTX when the receiver accepted it, else with the original packet again.
 */
@Timeout(60)
class LossRecoveryTest {

    private static final int VP8 = 96;
    private static final int VP8_RTX = 97;
    private static final long PUBLISHER_SSRC = 0x0A0B0C0DL;
    private static final long PUBLISHER_RTX_SSRC = 0x0A0B0C0EL;
    private static final Duration WAIT = Duration.ofSeconds(3);

    private SfuFixture fixture;
    private PeerInRoom publisher;
    private PeerInRoom subscriber;
    private Consumer consumer;

    @BeforeEach
    void connect() throws Exception {
        fixture = new SfuFixture();
        publisher = fixture.connected("room", "publisher");
        subscriber = fixture.connected("room", "subscriber");
        publisher.participant().publish("1", MediaKind.VIDEO, PUBLISHER_SSRC, PUBLISHER_RTX_SSRC);
        consumer = subscriber.listener().nextConsumerAdded(WAIT);
        assertNotNull(consumer);
    }

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
    }

    private static byte[] packet(int sequence) {
        return rtp(PUBLISHER_SSRC, VP8).sequenceNumber(sequence).timestamp(90_000L + 3000L * sequence)
                .payload(new byte[] {0x10, 0, 0, 0, (byte) sequence, (byte) (sequence >> 8)}).build();
    }

    @Test
    void upstreamGapIsNackedAndTheRetransmissionForwardedOnce() throws Exception {
        consumer.resume();
        for (int sequence = 100; sequence < 110; sequence++) {
            if (sequence != 105) {
                publisher.peer().sendRtp(packet(sequence));
            }
        }
        int[] lost = awaitNack(publisher, PUBLISHER_SSRC);
        assertEquals(105, lost[0], "the SFU asks for the missing packet: " + Arrays.toString(lost));

        // The publisher answers as Chrome does, on its RTX stream.
        byte[] rtx = new byte[1500];
        byte[] original = packet(105);
        int length = Rtx.wrap(original, 0, original.length, rtx, 0, PUBLISHER_RTX_SSRC, VP8_RTX, 7);
        publisher.peer().sendRtp(Arrays.copyOf(rtx, length));
        // And once more, as padding would: the SFU must not forward it twice.
        length = Rtx.wrap(original, 0, original.length, rtx, 0, PUBLISHER_RTX_SSRC, VP8_RTX, 8);
        publisher.peer().sendRtp(Arrays.copyOf(rtx, length));

        List<Integer> received = new ArrayList<>();
        byte[] restored = null;
        for (int i = 0; i < 10; i++) {
            byte[] forwarded = subscriber.peer().pollRtp(WAIT);
            assertNotNull(forwarded, "packet " + i);
            int producerSequence = consumer.toProducerSequence(RtpPacket.sequenceNumber(forwarded, 0));
            received.add(producerSequence);
            if (producerSequence == 105) {
                restored = forwarded;
            }
        }
        assertEquals(List.of(100, 101, 102, 103, 104, 106, 107, 108, 109, 105), received);
        assertEquals(consumer.ssrc(), RtpPacket.ssrc(restored, 0));
        assertEquals(VP8, RtpPacket.payloadType(restored, 0));
        assertArrayEquals(new byte[] {0x10, 0, 0, 0, 105, 0}, payloadOf(restored));
        assertEquals(null, subscriber.peer().pollRtp(Duration.ofMillis(300)), "the duplicate was dropped");
        assertEquals(1, publisher.participant().producers().get(0).retransmissionsReceived());
    }

    @Test
    void receiverNackIsAnsweredWithRtxFromTheCache() throws Exception {
        consumer.setRtxEnabled(true);
        consumer.resume();
        for (int sequence = 200; sequence < 205; sequence++) {
            publisher.peer().sendRtp(packet(sequence));
        }
        byte[] third = null;
        for (int i = 0; i < 5; i++) {
            byte[] forwarded = subscriber.peer().pollRtp(WAIT);
            assertNotNull(forwarded);
            if (i == 2) {
                third = forwarded;
            }
        }
        int lostSequence = RtpPacket.sequenceNumber(third, 0);
        sendNack(lostSequence);

        byte[] retransmission = subscriber.peer().pollRtp(WAIT);
        assertNotNull(retransmission, "no retransmission");
        assertEquals(consumer.rtxSsrc(), RtpPacket.ssrc(retransmission, 0));
        assertEquals(VP8_RTX, RtpPacket.payloadType(retransmission, 0));
        assertEquals(lostSequence, Rtx.originalSequenceNumber(retransmission, 0, retransmission.length));
        byte[] unwrapped = retransmission.clone();
        int length = Rtx.unwrap(unwrapped, 0, unwrapped.length, consumer.ssrc(), VP8);
        assertArrayEquals(TransportWideSequence.cleared(third), TransportWideSequence.cleared(Arrays.copyOf(unwrapped, length)),
                "the same packet as first sent, but for its transport-wide sequence number");
        awaitRetransmissions(1);
    }

    @Test
    void withoutRtxTheOriginalPacketIsSentAgain() throws Exception {
        consumer.resume();
        for (int sequence = 300; sequence < 303; sequence++) {
            publisher.peer().sendRtp(packet(sequence));
        }
        byte[] first = subscriber.peer().pollRtp(WAIT);
        assertNotNull(subscriber.peer().pollRtp(WAIT));
        assertNotNull(subscriber.peer().pollRtp(WAIT));
        long undecryptable = subscriber.peer().undecryptableCount();
        sendNack(RtpPacket.sequenceNumber(first, 0));
        awaitRetransmissions(1);
        // The same SSRC and sequence number again: this receiver, which did get the packet,
        // refuses the copy as a replay, which shows that it is the very same packet. A
        // receiver that lost it accepts it.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (subscriber.peer().undecryptableCount() == undecryptable && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(undecryptable + 1, subscriber.peer().undecryptableCount());
        assertEquals(null, subscriber.peer().pollRtp(Duration.ofMillis(200)));
    }

    private void awaitRetransmissions(long count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (consumer.retransmissionCount() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, consumer.retransmissionCount());
    }

    private void sendNack(int sequence) throws java.io.IOException {
        byte[] nack = new byte[64];
        int length = Nack.write(nack, 0, 0x5EED0002L, consumer.ssrc(), new int[] {sequence}, 1);
        subscriber.peer().sendRtcp(Arrays.copyOf(nack, length));
    }

    private static byte[] payloadOf(byte[] packet) {
        int offset = RtpPacket.payloadOffset(packet, 0, packet.length);
        return Arrays.copyOfRange(packet, offset, offset + RtpPacket.payloadLength(packet, 0, packet.length));
    }

    private static int[] awaitNack(PeerInRoom peer, long mediaSsrc) throws InterruptedException {
        byte[] nack = SfuFixture.awaitRtcp(peer.peer(), WAIT, "NACK for " + mediaSsrc,
                (b, off, len) -> Nack.is(b, off, len) && RtcpFeedback.mediaSsrc(b, off) == mediaSsrc);
        int[] lost = new int[16];
        return Arrays.copyOf(lost, Nack.lostSequences(nack, 0, lost));
    }
}
