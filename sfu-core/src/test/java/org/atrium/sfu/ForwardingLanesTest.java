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
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.Rtx;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.stats.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fan-out gives every receiver every packet, in order and unchanged but for its own
 * header fields, whether it runs on the receiving thread (0) or on forwarding threads
 * (receivers spread over 2 or 3 lanes, the publisher's packets arriving in bursts); a
 * receiver's NACK is answered from its lane as from the receiving thread. Both media port
 * transports, epoll (batched, lanes on its loops) and NIO, forward the same packets in order.
 */
@Timeout(60)
class ForwardingLanesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int VP8 = 96;
    private static final long SSRC = 0x1A2B3C4DL;
    private static final int RECEIVERS = 5;
    private static final int PACKETS = 600;

    private SfuFixture fixture;

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
    }

    /** Each media port transport (epoll: one socket and loop per lane), with 0, 2 and 3 lanes. */
    static Stream<Arguments> transportsAndLanes() {
        return Stream.of("epoll", "nio").flatMap(transport -> Stream.of(0, 2, 3).map(t -> Arguments.of(transport, t)));
    }

    /** An SFU whose media port uses {@code transport} (the property is read when the port opens). */
    static SfuFixture withTransport(String transport, SfuConfig config) throws Exception {
        String before = System.getProperty("atrium.transport");
        System.setProperty("atrium.transport", transport);
        try {
            return new SfuFixture(config);
        } finally {
            if (before == null) {
                System.clearProperty("atrium.transport");
            } else {
                System.setProperty("atrium.transport", before);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} forwarding threads")
    @MethodSource("transportsAndLanes")
    void everyReceiverGetsEveryPacketInOrder(String transport, int threads) throws Exception {
        fixture = withTransport(transport, SfuConfig.defaults().withForwardingThreads(threads));
        assertEquals(transport, fixture.sfu().mediaTransport());
        PeerInRoom publisher = fixture.connected("room", "publisher");
        List<PeerInRoom> receivers = new ArrayList<>();
        List<Consumer> consumers = new ArrayList<>();
        for (int i = 0; i < RECEIVERS; i++) {
            receivers.add(fixture.connected("room", "receiver-" + i));
        }
        publisher.participant().publish("0", MediaKind.VIDEO, SSRC, -1);
        for (PeerInRoom receiver : receivers) {
            Consumer consumer = receiver.listener().nextConsumerAdded(WAIT);
            assertNotNull(consumer);
            consumer.resume();
            consumers.add(consumer);
        }

        List<byte[]> sent = new ArrayList<>();
        for (int sequence = 1; sequence <= PACKETS; sequence++) {
            byte[] payload = new byte[100 + sequence % 900];
            payload[0] = 0x10;
            payload[1] = (byte) sequence;
            payload[payload.length - 1] = (byte) (sequence >> 8);
            byte[] packet = rtp(SSRC, VP8).sequenceNumber(sequence).timestamp(3000L * (sequence / 10))
                    .payload(payload).build();
            sent.add(packet);
            publisher.peer().sendRtp(packet);
            if (sequence % 10 == 0) {
                // Bursts of 10, as a video frame arrives: lanes fill and drain. The pause
                // keeps the load well below what a cold JVM forwards, so that no socket
                // buffer overflows: order and completeness are under test, not speed. At
                // 5 ms, a machine at load 5-20 starved the receivers' threads long enough
                // for their sockets to overflow (13 packets missing at once).
                Thread.sleep(20);
            }
        }

        for (int r = 0; r < RECEIVERS; r++) {
            Consumer consumer = consumers.get(r);
            int previous = -1;
            for (int i = 0; i < PACKETS; i++) {
                byte[] received = receivers.get(r).peer().pollRtp(WAIT);
                assertNotNull(received, "receiver " + r + ", packet " + i + " of " + PACKETS);
                assertEquals(consumer.ssrc(), RtpPacket.ssrc(received, 0));
                int sequence = RtpPacket.sequenceNumber(received, 0);
                if (previous >= 0) {
                    assertEquals((previous + 1) & 0xFFFF, sequence, "receiver " + r + ": in order, none missing (SFU queue"
                            + " drops: " + fixture.sfu().metrics().drops(DropReason.QUEUE_FULL) + ")");
                }
                previous = sequence;
                byte[] original = sent.get(i);
                assertArrayEquals(payloadOf(original), payloadOf(received), "receiver " + r + ", packet " + i);
            }
        }
        assertEquals(0, fixture.sfu().metrics().drops(DropReason.QUEUE_FULL));

        // The stream ends: each receiver gets its BYE after the last packet, and the SRTP
        // state of the stream is freed on both sides of each receiver's transport.
        publisher.close();
        for (PeerInRoom receiver : receivers) {
            awaitZero(() -> receiver.participant().transport().sentSsrcCount(), "the SFU's sending state");
            awaitZero(() -> receiver.peer().receivedSsrcCount(), "the receiver's state, freed on the BYE");
        }
    }

    private static void awaitZero(java.util.function.IntSupplier count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count.getAsInt() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, count.getAsInt(), what);
    }

    @ParameterizedTest(name = "{0} forwarding threads")
    @ValueSource(ints = {0, 2})
    void aNackIsAnsweredOnTheReceiversLaneAfterWhatWasQueuedForIt(int threads) throws Exception {
        fixture = new SfuFixture(SfuConfig.defaults().withForwardingThreads(threads));
        PeerInRoom publisher = fixture.connected("room", "publisher");
        PeerInRoom receiver = fixture.connected("room", "receiver");
        publisher.participant().publish("0", MediaKind.VIDEO, SSRC, 0x1A2B3C4EL);
        Consumer consumer = receiver.listener().nextConsumerAdded(WAIT);
        assertNotNull(consumer);
        consumer.setRtxEnabled(true);
        consumer.resume();
        byte[] third = null;
        for (int sequence = 1; sequence <= 5; sequence++) {
            publisher.peer().sendRtp(rtp(SSRC, VP8).sequenceNumber(sequence).timestamp(3000L)
                    .payload(new byte[] {0x10, (byte) sequence, 2, 3}).build());
        }
        for (int i = 0; i < 5; i++) {
            byte[] forwarded = receiver.peer().pollRtp(WAIT);
            assertNotNull(forwarded);
            if (i == 2) {
                third = forwarded;
            }
        }
        byte[] nack = new byte[64];
        int length = Nack.write(nack, 0, 0x5EED0003L, consumer.ssrc(),
                new int[] {RtpPacket.sequenceNumber(third, 0)}, 1);
        receiver.peer().sendRtcp(Arrays.copyOf(nack, length));

        byte[] retransmission = receiver.peer().pollRtp(WAIT);
        assertNotNull(retransmission, "the retransmission");
        assertEquals(consumer.rtxSsrc(), RtpPacket.ssrc(retransmission, 0));
        byte[] unwrapped = retransmission.clone();
        int restored = Rtx.unwrap(unwrapped, 0, unwrapped.length, consumer.ssrc(), VP8);
        assertArrayEquals(TransportWideSequence.cleared(third),
                TransportWideSequence.cleared(Arrays.copyOf(unwrapped, restored)),
                "the packet first sent, but for its transport-wide sequence number");
    }

    private static byte[] payloadOf(byte[] packet) {
        int offset = RtpPacket.payloadOffset(packet, 0, packet.length);
        return Arrays.copyOfRange(packet, offset, offset + RtpPacket.payloadLength(packet, 0, packet.length));
    }
}
