package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.atrium.rtp.Nack;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SFU's meters count what really crossed real transports: one publisher, two
 * receivers, every packet accounted for once in each meter it belongs to.
 */
@Timeout(60)
class SfuMetricsTest {

    private static final int VP8 = 96;
    private static final long PUBLISHER_SSRC = 0x01020304L;
    private static final Duration WAIT = Duration.ofSeconds(3);
    private static final int PACKETS = 20;

    private SfuFixture fixture;
    private MeterRegistry registry;
    private PeerInRoom publisher;
    private PeerInRoom first;
    private PeerInRoom second;
    private Consumer firstConsumer;

    @BeforeEach
    void connect() throws Exception {
        fixture = new SfuFixture();
        registry = fixture.sfu().metrics().registry();
        publisher = fixture.connected("room", "publisher");
        first = fixture.connected("room", "first");
        second = fixture.connected("room", "second");
        publisher.participant().publish("1", MediaKind.VIDEO, PUBLISHER_SSRC, -1);
        firstConsumer = first.listener().nextConsumerAdded(WAIT);
        Consumer secondConsumer = second.listener().nextConsumerAdded(WAIT);
        assertNotNull(firstConsumer);
        assertNotNull(secondConsumer);
        firstConsumer.resume();
        secondConsumer.resume();
    }

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
    }

    private static byte[] packet(int sequence) {
        return rtp(PUBLISHER_SSRC, VP8).sequenceNumber(sequence).timestamp(3000L * sequence)
                .payload(new byte[] {0x10, 0, 0, 0, (byte) sequence}).build();
    }

    private void sendAndReceiveAll() throws Exception {
        for (int sequence = 1; sequence <= PACKETS; sequence++) {
            publisher.peer().sendRtp(packet(sequence));
        }
        for (PeerInRoom receiver : new PeerInRoom[] {first, second}) {
            for (int i = 0; i < PACKETS; i++) {
                assertNotNull(receiver.peer().pollRtp(WAIT), receiver.participant().displayName() + " packet " + i);
            }
        }
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private static void await(double expected, DoubleSupplier value, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (value.getAsDouble() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, value.getAsDouble(), what);
    }

    @Test
    void forwardedPacketsAreCountedOncePerReceiverWithTheirLatency() throws Exception {
        sendAndReceiveAll();
        // The SFU counts a packet after sending it, so the receiver can be a moment ahead.
        await(2 * PACKETS, () -> registry.get("atrium.forwarding.latency").timer().count(), "forwarded and counted");
        assertEquals(PACKETS, counter("atrium.rtp.packets.received", "kind", "video"));
        assertEquals(0, counter("atrium.rtp.packets.received", "kind", "audio"));
        assertEquals(2 * PACKETS, counter("atrium.forwarded.packets", "kind", "video"));
        assertEquals(2 * PACKETS, counter("atrium.rtp.packets.sent", "kind", "video"));
        double bytesIn = counter("atrium.rtp.received", "kind", "video");
        double bytesOut = counter("atrium.rtp.sent", "kind", "video");
        assertEquals(PACKETS * packet(1).length, bytesIn, "plain RTP bytes in");
        // The test packets carry no extension: each copy out gains the one-byte extension
        // block with the transport-wide sequence number (4 + 1 + 2 bytes, padded to 8).
        assertEquals(2 * (bytesIn + 8 * PACKETS), bytesOut, "plain RTP bytes out");

        Timer latency = registry.get("atrium.forwarding.latency").timer();
        assertEquals(2 * PACKETS, latency.count(), "one latency sample per forwarded packet");
        assertTrue(latency.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
        assertEquals(2, registry.get("atrium.join.to.first.media").timer().count(),
                "both receivers got their first media; the publisher received none");
    }

    @Test
    void transportsAreCountedAsTheyConnect() {
        assertEquals(3, counter("atrium.ice.outcomes", "outcome", "connected"));
        assertEquals(0, counter("atrium.ice.outcomes", "outcome", "failed"));
        assertEquals(3, counter("atrium.dtls.handshakes", "outcome", "connected"));
        assertEquals(3, registry.get("atrium.dtls.handshake.duration").timer().count());
        assertEquals(1, registry.get("atrium.rooms").gauge().value());
        assertEquals(3, registry.get("atrium.participants").gauge().value());
        assertEquals(1, registry.get("atrium.published.tracks").tag("kind", "video").gauge().value());
        assertEquals(2, registry.get("atrium.subscriptions").gauge().value());
    }

    @Test
    void nacksRetransmissionsAndKeyframeRequestsAreCounted() throws Exception {
        sendAndReceiveAll();
        // One sequence number the SFU sent (cached), one it never sent (a miss).
        int sent = firstConsumerSequenceOf(5);
        byte[] nack = new byte[64];
        int length = Nack.write(nack, 0, 0x5EED0001L, firstConsumer.ssrc(),
                new int[] {sent, (sent + 1000) & 0xFFFF}, 2);
        first.peer().sendRtcp(Arrays.copyOf(nack, length));
        await(1, () -> counter("atrium.retransmissions"), "retransmissions");
        await(1, () -> counter("atrium.retransmission.misses"), "misses");
        assertEquals(2, counter("atrium.nack.received"));

        double keyframesBefore = counter("atrium.keyframe.requests.sent", "type", "pli");
        byte[] pli = new byte[Pli.LENGTH];
        Pli.write(pli, 0, 0x5EED0001L, firstConsumer.ssrc());
        first.peer().sendRtcp(pli);
        await(1, () -> counter("atrium.keyframe.requests.received", "type", "pli"), "PLI received");
        assertEquals(0, counter("atrium.keyframe.requests.received", "type", "fir"));
        // Forwarded upstream, now or at the end of the throttle interval.
        await(keyframesBefore + 1, () -> counter("atrium.keyframe.requests.sent", "type", "pli"), "PLI sent");
        assertTrue(counter("atrium.rtcp.packets.received") >= 2);
    }

    @Test
    void aDepartedPublishersStreamsFreeTheirSrtpStateAtEachReceiver() throws Exception {
        sendAndReceiveAll();
        assertEquals(1, first.participant().transport().sentSsrcCount());
        assertEquals(1, first.peer().receivedSsrcCount());
        publisher.close();
        await(0, () -> -first.participant().transport().sentSsrcCount(), "SRTP state of the ended stream");
        assertEquals(0, second.participant().transport().sentSsrcCount());
        // The receiving client frees its side on the BYE, as a browser does.
        await(0, () -> -first.peer().receivedSsrcCount(), "the client's state of the ended stream");
        await(0, () -> -second.peer().receivedSsrcCount(), "the client's state of the ended stream");
    }

    @Test
    void anUnpublishedTrackFreesItsSrtpStateAtTheSfuUnlessItsSsrcLivesOn() throws Exception {
        sendAndReceiveAll();
        assertEquals(1, publisher.participant().transport().receivedSsrcCount());
        // Re-published in the same mid under the same SSRC (new RTX): the state, and with
        // it the rollover counter, stays.
        publisher.participant().publish("1", MediaKind.VIDEO, PUBLISHER_SSRC, 0x0A0B0C0DL);
        assertEquals(1, publisher.participant().transport().receivedSsrcCount());
        publisher.participant().unpublish("1");
        assertEquals(0, publisher.participant().transport().receivedSsrcCount());
    }

    /** The sequence number the first receiver saw for a publisher's sequence number. */
    private int firstConsumerSequenceOf(int publisherSequence) {
        for (int candidate = 0; candidate < 65536; candidate++) {
            if (firstConsumer.toProducerSequence(candidate) == publisherSequence) {
                return candidate;
            }
        }
        throw new AssertionError("no consumer sequence for " + publisherSequence);
    }

    @Test
    void theReceivedPacketsAreTheForwardedOnes() throws Exception {
        sendAndReceiveAll();
        first.peer().clearReceived();
        publisher.peer().sendRtp(packet(PACKETS + 1));
        byte[] one = first.peer().pollRtp(WAIT);
        assertNotNull(one);
        assertEquals(firstConsumer.ssrc(), RtpPacket.ssrc(one, 0));
        await(2 * PACKETS + 2, () -> counter("atrium.forwarded.packets", "kind", "video"), "forwarded");
    }
}
