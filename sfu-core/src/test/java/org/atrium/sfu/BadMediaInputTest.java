package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.stats.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A connected publisher sends what no well-behaved browser would, on its own ICE pair:
 * the SFU drops each datagram under the right reason, exactly once, forwards nothing of
 * it, keeps the participant, and forwards the next genuine packet.
 */
@Timeout(60)
class BadMediaInputTest {

    static final Duration WAIT = Duration.ofSeconds(3);
    static final Duration QUIET = Duration.ofMillis(250);
    static final long SSRC = 0x51525354L;
    static final int VP8 = 96;

    /** Makes the bad datagram, given the publisher's peer (for its SRTP keys). */
    interface BadDatagram {
        byte[] make(WebRtcPeer publisher, BadMediaInputTest test) throws Exception;
    }

    private final Random random = new Random(1234);
    private SfuFixture fixture;
    private Sfu sfu;
    private PeerInRoom publisher;
    private PeerInRoom subscriber;
    private Consumer consumer;
    private int nextSequence = 1000;

    @BeforeEach
    void connectPublisherAndSubscriber() throws Exception {
        fixture = new SfuFixture();
        sfu = fixture.sfu();
        publisher = fixture.connected("room", "publisher");
        subscriber = fixture.connected("room", "subscriber");
        publisher.participant().publish("0", MediaKind.VIDEO, SSRC, -1);
        consumer = subscriber.listener().nextConsumerAdded(WAIT);
        assertNotNull(consumer);
        consumer.resume();
        assertGenuinePacketForwarded();
    }

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
    }

    static Stream<Arguments> badDatagrams() {
        return Stream.of(
                Arguments.of("random bytes, first byte outside every RFC 7983 range", DropReason.UNKNOWN_PROTOCOL,
                        (BadDatagram) (peer, test) -> {
                            byte[] garbage = test.randomBytes(120);
                            garbage[0] = (byte) (192 + test.random.nextInt(64));
                            return garbage;
                        }),
                Arguments.of("first byte 70, a TURN channel number", DropReason.UNKNOWN_PROTOCOL,
                        (BadDatagram) (peer, test) -> {
                            byte[] channelData = test.randomBytes(40);
                            channelData[0] = 70;
                            return channelData;
                        }),
                Arguments.of("RTP truncated inside the fixed header", DropReason.MALFORMED_RTP,
                        (BadDatagram) (peer, test) -> Arrays.copyOf(test.genuinePacket(), 9)),
                Arguments.of("RTP whose extension runs past the end", DropReason.MALFORMED_RTP,
                        (BadDatagram) (peer, test) -> {
                            byte[] packet = test.genuinePacket();
                            RtpPacket.setExtension(packet, 0, true);
                            // Extension header says 255 words follow; the packet is far shorter.
                            byte[] truncated = Arrays.copyOf(packet, 16);
                            truncated[12] = (byte) 0xBE;
                            truncated[13] = (byte) 0xDE;
                            truncated[14] = 0;
                            truncated[15] = (byte) 0xFF;
                            return truncated;
                        }),
                Arguments.of("RTP header with random contents", DropReason.SRTP_AUTH,
                        (BadDatagram) (peer, test) -> {
                            byte[] packet = test.randomBytes(200);
                            RtpPacket.writeHeader(packet, 0, false, VP8, test.random.nextInt(65536),
                                    test.random.nextInt(), SSRC);
                            return packet;
                        }),
                Arguments.of("SRTP with a bad authentication tag", DropReason.SRTP_AUTH,
                        (BadDatagram) (peer, test) -> {
                            byte[] protectedPacket = peer.protectRtp(test.genuinePacket());
                            protectedPacket[protectedPacket.length - 1] ^= 0x01;
                            return protectedPacket;
                        }),
                Arguments.of("SRTCP with a bad authentication tag", DropReason.SRTP_AUTH,
                        (BadDatagram) (peer, test) -> {
                            byte[] protectedPacket = peer.protectRtcp(pli(consumerlessSsrc()));
                            protectedPacket[protectedPacket.length - 1] ^= 0x01;
                            return protectedPacket;
                        }),
                Arguments.of("RTCP with a length field past the end", DropReason.MALFORMED_RTCP,
                        (BadDatagram) (peer, test) -> {
                            byte[] pli = pli(consumerlessSsrc());
                            pli[3] = 10; // 11 words claimed, 3 present
                            return peer.protectRtcp(pli);
                        }),
                Arguments.of("RTCP too short to carry the SRTCP trailer", DropReason.SRTP_OTHER,
                        (BadDatagram) (peer, test) -> Arrays.copyOf(pli(consumerlessSsrc()), 8)),
                Arguments.of("SRTP that authenticates, of an SSRC no track has (forged)", DropReason.NO_ROUTE,
                        (BadDatagram) (peer, test) -> peer.protectRtp(
                                rtp(0x0BADC0DEL, VP8).sequenceNumber(1).timestamp(1).payload(test.randomBytes(50))
                                        .build())),
                // The socket reads 1500 B at most: the rest is cut off, and the tag with it.
                Arguments.of("SRTP larger than the 1500 B receive buffer (1616 B)", DropReason.SRTP_AUTH,
                        (BadDatagram) (peer, test) -> {
                            byte[] payload = test.randomBytes(1588);
                            payload[0] = 0x10;
                            return peer.protectRtp(rtp(SSRC, VP8).sequenceNumber(test.nextSequence++)
                                    .timestamp(1).payload(payload).build());
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDatagrams")
    void aBadDatagramIsDroppedAndCountedAndForwardingGoesOn(String description, DropReason expected,
            BadDatagram bad) throws Exception {
        byte[] datagram = bad.make(publisher.peer(), this);
        Map<DropReason, Long> before = drops();
        long rtpBefore = sfu.metrics().rtpPacketsReceived();

        publisher.peer().sendRaw(datagram);

        awaitDrops(expected, before.get(expected) + 1);
        assertOnlyDropped(before, expected);
        assertEquals(rtpBefore, sfu.metrics().rtpPacketsReceived(), "counted as received");
        assertNull(subscriber.peer().pollRtp(QUIET), "something of it was forwarded");
        assertGenuinePacketForwarded();
        assertFalse(publisher.participant().isClosed());
        assertNull(publisher.listener().awaitClosed(Duration.ZERO));
    }

    @Test
    void aReplayedSrtpPacketIsDroppedAfterTheOriginalIsForwarded() throws Exception {
        byte[] original = genuinePacket();
        byte[] onTheWire = publisher.peer().sendRtp(original);
        byte[] forwarded = subscriber.peer().pollRtp(WAIT);
        assertNotNull(forwarded);
        assertArrayEquals(ForwardingTest.payloadOf(original), ForwardingTest.payloadOf(forwarded));

        Map<DropReason, Long> before = drops();
        publisher.peer().sendRaw(onTheWire);
        awaitDrops(DropReason.SRTP_REPLAY, before.get(DropReason.SRTP_REPLAY) + 1);
        assertOnlyDropped(before, DropReason.SRTP_REPLAY);
        assertNull(subscriber.peer().pollRtp(QUIET), "the replay was forwarded");
        assertGenuinePacketForwarded();
    }

    @Test
    void aDatagramFromAnAddressOutsideIceChangesNothing() throws Exception {
        Map<DropReason, Long> before = drops();
        long rtpBefore = sfu.metrics().rtpPacketsReceived();
        long rtcpBefore = sfu.metrics().rtcpPacketsReceived();
        // Even a packet that would authenticate: the address is not the validated one.
        byte[] wouldAuthenticate = publisher.peer().protectRtp(genuinePacket());
        byte[] turnChannel = randomBytes(40);
        turnChannel[0] = 70;
        try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            for (byte[] datagram : List.of(wouldAuthenticate, turnChannel, randomBytes(300))) {
                stranger.send(new DatagramPacket(datagram, datagram.length, sfu.mediaAddress()));
            }
        }
        assertNull(subscriber.peer().pollRtp(Duration.ofMillis(500)), "a stranger's packet was forwarded");
        assertEquals(before, drops(), "a stranger's datagram reached the media path");
        assertEquals(rtpBefore, sfu.metrics().rtpPacketsReceived());
        assertEquals(rtcpBefore, sfu.metrics().rtcpPacketsReceived());
        assertGenuinePacketForwarded();
    }

    @Test
    void stunWithWrongCredentialsOpensNoPathAndChangesNothing() throws Exception {
        Map<DropReason, Long> before = drops();
        String sfuUfrag = publisher.participant().transport().iceUfrag();
        try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            stranger.setSoTimeout(300);
            // The right username (it names the publisher's session) with a guessed password,
            // then a username no session has.
            for (String username : List.of(sfuUfrag + ":" + publisher.peer().localUfrag(), "nobody:guess")) {
                byte[] request = StunBindingRequest.build(username, "not-the-password-at-all", random);
                stranger.send(new DatagramPacket(request, request.length, sfu.mediaAddress()));
                byte[] answer = new byte[1500];
                DatagramPacket response = new DatagramPacket(answer, answer.length);
                try {
                    stranger.receive(response);
                    int type = ((answer[0] & 0xFF) << 8) | (answer[1] & 0xFF);
                    assertTrue(type != 0x0101, "a Binding success response to wrong credentials");
                } catch (java.net.SocketTimeoutException ignored) {
                    // Silence is a fine answer too.
                }
            }
            // The stranger did not become a path: even media that would authenticate is
            // dropped, unread, as from an unknown source.
            byte[] wouldAuthenticate = publisher.peer().protectRtp(genuinePacket());
            stranger.send(new DatagramPacket(wouldAuthenticate, wouldAuthenticate.length, sfu.mediaAddress()));
        }
        assertNull(subscriber.peer().pollRtp(Duration.ofMillis(500)), "the stranger's packet was forwarded");
        awaitDrops(DropReason.UNKNOWN_SOURCE, before.get(DropReason.UNKNOWN_SOURCE) + 1);
        assertOnlyDropped(before, DropReason.UNKNOWN_SOURCE);
        assertGenuinePacketForwarded();
        assertFalse(publisher.participant().isClosed());
    }

    private void assertGenuinePacketForwarded() throws Exception {
        byte[] packet = genuinePacket();
        publisher.peer().sendRtp(packet);
        byte[] received = subscriber.peer().pollRtp(WAIT);
        assertNotNull(received, "a genuine packet was not forwarded");
        assertEquals(consumer.ssrc(), RtpPacket.ssrc(received, 0));
        assertArrayEquals(ForwardingTest.payloadOf(packet), ForwardingTest.payloadOf(received));
        assertTrue(publisher.participant().transport().isMediaReady());
    }

    /** A plain RTP packet of the published stream with the next sequence number. */
    byte[] genuinePacket() {
        int sequence = nextSequence++;
        byte[] payload = randomBytes(100);
        payload[0] = 0x10;
        return rtp(SSRC, VP8).sequenceNumber(sequence).timestamp(3000L * sequence).payload(payload).build();
    }

    byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** An SSRC that is no consumer's, so that a PLI naming it relays nothing. */
    static long consumerlessSsrc() {
        return 0x7E57;
    }

    static byte[] pli(long mediaSsrc) {
        byte[] pli = new byte[Pli.LENGTH];
        Pli.write(pli, 0, 0xFEEDL, mediaSsrc);
        return pli;
    }

    private Map<DropReason, Long> drops() {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, sfu.metrics().drops(reason));
        }
        return drops;
    }

    private void awaitDrops(DropReason reason, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sfu.metrics().drops(reason) < expected && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        assertEquals(expected, sfu.metrics().drops(reason), "drops for " + reason);
    }

    /** Every drop counter but {@code reason} is as before, and that one went up by one. */
    private void assertOnlyDropped(Map<DropReason, Long> before, DropReason reason) {
        Map<DropReason, Long> expected = new EnumMap<>(before);
        expected.put(reason, before.get(reason) + 1);
        assertEquals(expected, drops());
    }
}
