package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.peer.WireRecorder;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RTP from one real peer reaches other real peers through a real {@link Sfu}: ICE, DTLS
 * and SRTP on both legs, with each consumer's header rewriting checked packet by packet.
 */
@Timeout(60)
class ForwardingTest {

    static final int AUDIO_LEVEL_ID = 1;
    static final int MID_ID = 4;
    static final int VP8 = 96;
    static final int OPUS = 111;
    static final Duration WAIT = Duration.ofSeconds(3);
    static final Duration QUIET = Duration.ofMillis(300);

    @AutoClose
    private final SfuFixture fixture = new SfuFixture();
    private final Sfu sfu = fixture.sfu();

    private PeerInRoom connected(String name) throws Exception {
        return fixture.connected("room", name);
    }

    @Test
    void eachSubscriberGetsEachPacketOnceRewrittenForItAndEncryptedWithItsKeys() throws Exception {
        PeerInRoom publisher = connected("publisher");
        PeerInRoom first = connected("first");
        PeerInRoom second = connected("second");
        long publisherSsrc = 0x11223344L;
        publisher.participant().publish("0", MediaKind.VIDEO, publisherSsrc, 0x55667788L);
        Consumer firstConsumer = first.listener().nextConsumerAdded(WAIT);
        Consumer secondConsumer = second.listener().nextConsumerAdded(WAIT);
        assertNotNull(firstConsumer);
        assertNotNull(secondConsumer);
        assertNotEquals(firstConsumer.ssrc(), secondConsumer.ssrc());
        firstConsumer.resume();
        secondConsumer.resume();

        WireRecorder firstWires = WireRecorder.attach(first.peer());
        WireRecorder secondWires = WireRecorder.attach(second.peer());
        int count = 50;
        int firstSequence = 65_500; // wraps during the run
        long firstTimestamp = 0xFFFF_0000L; // wraps too
        List<byte[]> sent = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < count; i++) {
            byte[] payload = vp8Payload(random, i == 0, 200 + i);
            byte[] packet = rtp(publisherSsrc, VP8)
                    .sequenceNumber(firstSequence + i)
                    .timestamp(firstTimestamp + 3000L * (i / 3))
                    .marker(i % 3 == 2)
                    .extension(AUDIO_LEVEL_ID, new byte[] {(byte) (0x80 | i)})
                    .extension(MID_ID, "0".getBytes(StandardCharsets.US_ASCII))
                    .payload(payload)
                    .build();
            sent.add(packet);
            publisher.peer().sendRtp(packet);
        }

        byte[] firstWire = assertReceivedRewritten(first.peer(), firstWires, firstConsumer, sent);
        byte[] secondWire = assertReceivedRewritten(second.peer(), secondWires, secondConsumer, sent);
        assertFalse(Arrays.equals(firstWire, secondWire), "both legs carried the same bytes");
        assertTrue(WireRecorder.canDecryptRtp(first.peer(), firstWire));
        assertFalse(WireRecorder.canDecryptRtp(second.peer(), firstWire), "second subscriber holds the first's keys");
        assertFalse(WireRecorder.canDecryptRtp(first.peer(), secondWire), "first subscriber holds the second's keys");
        assertEquals(count, firstConsumer.packetCount());
        assertEquals(count, secondConsumer.packetCount());
        assertEquals(0, first.peer().undecryptableCount());
        assertEquals(0, second.peer().undecryptableCount());
    }

    @Test
    void nothingIsForwardedBeforeTheConsumerIsResumed() throws Exception {
        PeerInRoom publisher = connected("publisher");
        PeerInRoom subscriber = connected("subscriber");
        long ssrc = 0x0A0B0C0DL;
        publisher.participant().publish("0", MediaKind.VIDEO, ssrc, -1);
        Consumer consumer = subscriber.listener().nextConsumerAdded(WAIT);
        assertNotNull(consumer);
        assertFalse(consumer.isResumed());

        long receivedBefore = sfu.metrics().rtpPacketsReceived();
        for (int i = 0; i < 10; i++) {
            publisher.peer().sendRtp(rtp(ssrc, VP8).sequenceNumber(100 + i).timestamp(9000L * i)
                    .payload(new byte[] {0x10, 0, 0, 0, (byte) i}).build());
        }
        awaitCount(() -> sfu.metrics().rtpPacketsReceived() - receivedBefore, 10);
        assertNull(subscriber.peer().pollRtp(QUIET), "forwarded while paused");
        assertEquals(0, consumer.packetCount());

        consumer.resume();
        byte[] payload = {0x10, 0, 0, 0, 42};
        publisher.peer().sendRtp(rtp(ssrc, VP8).sequenceNumber(110).timestamp(90_000).payload(payload).build());
        byte[] received = subscriber.peer().pollRtp(WAIT);
        assertNotNull(received, "not forwarded after resume");
        assertEquals(consumer.ssrc(), RtpPacket.ssrc(received, 0));
        assertArrayEquals(payload, payloadOf(received));
        assertNull(subscriber.peer().pollRtp(QUIET), "packets from before the resume arrived late");
    }

    @Test
    void audioAndVideoOfOnePublisherGoToTheirOwnConsumers() throws Exception {
        PeerInRoom publisher = connected("publisher");
        PeerInRoom subscriber = connected("subscriber");
        long audioSsrc = 1111;
        long videoSsrc = 2222;
        publisher.participant().publish("0", MediaKind.AUDIO, audioSsrc, -1);
        publisher.participant().publish("1", MediaKind.VIDEO, videoSsrc, 3333);
        Consumer audio = subscriber.listener().nextConsumerAdded(WAIT);
        Consumer video = subscriber.listener().nextConsumerAdded(WAIT);
        assertNotNull(audio);
        assertNotNull(video);
        assertEquals(MediaKind.AUDIO, audio.kind());
        assertEquals(MediaKind.VIDEO, video.kind());
        audio.resume();
        video.resume();

        int rounds = 20;
        for (int i = 0; i < rounds; i++) {
            publisher.peer().sendRtp(rtp(audioSsrc, OPUS).sequenceNumber(i).timestamp(960L * i)
                    .extension(AUDIO_LEVEL_ID, new byte[] {(byte) 0x85})
                    .extension(MID_ID, "0".getBytes(StandardCharsets.US_ASCII))
                    .payload(new byte[] {'a', (byte) i}).build());
            publisher.peer().sendRtp(rtp(videoSsrc, VP8).sequenceNumber(5000 + i).timestamp(3000L * i)
                    .extension(MID_ID, "1".getBytes(StandardCharsets.US_ASCII))
                    .payload(new byte[] {0x10, 0, 0, 0, 'v', (byte) i}).build());
        }
        int audioSeen = 0;
        int videoSeen = 0;
        for (int i = 0; i < 2 * rounds; i++) {
            byte[] packet = subscriber.peer().pollRtp(WAIT);
            assertNotNull(packet, "packet " + i + " missing");
            byte[] payload = payloadOf(packet);
            long ssrc = RtpPacket.ssrc(packet, 0);
            if (ssrc == audio.ssrc()) {
                assertEquals(OPUS, RtpPacket.payloadType(packet, 0));
                assertArrayEquals(new byte[] {'a', (byte) audioSeen}, payload);
                audioSeen++;
            } else {
                assertEquals(video.ssrc(), ssrc, "unknown SSRC");
                assertEquals(VP8, RtpPacket.payloadType(packet, 0));
                assertArrayEquals(new byte[] {0x10, 0, 0, 0, 'v', (byte) videoSeen}, payload);
                videoSeen++;
            }
            assertEquals(-1, HeaderExtensions.find(packet, 0, packet.length, MID_ID));
        }
        assertEquals(rounds, audioSeen);
        assertEquals(rounds, videoSeen);
        assertNull(subscriber.peer().pollRtp(QUIET));
    }

    /**
     * Receives one packet for each sent and checks the rewriting; returns the last packet
     * as it was on the wire.
     */
    private static byte[] assertReceivedRewritten(WebRtcPeer peer, WireRecorder wires, Consumer consumer,
            List<byte[]> sent)
            throws InterruptedException {
        int sequenceDelta = 0;
        long timestampDelta = 0;
        byte[] wire = null;
        for (int i = 0; i < sent.size(); i++) {
            byte[] original = sent.get(i);
            byte[] received = peer.pollRtp(WAIT);
            assertNotNull(received, peer.name() + " missed packet " + i);
            wire = wires.pollRtp(WAIT);
            assertNotNull(wire);
            assertNull(RtpPacket.validate(received, 0, received.length));
            assertEquals(consumer.ssrc(), RtpPacket.ssrc(received, 0), "SSRC");
            assertEquals(RtpPacket.payloadType(original, 0), RtpPacket.payloadType(received, 0), "payload type");
            assertEquals(RtpPacket.marker(original, 0), RtpPacket.marker(received, 0), "marker");
            int sequenceOffset = (RtpPacket.sequenceNumber(received, 0) - RtpPacket.sequenceNumber(original, 0)) & 0xFFFF;
            long timestampOffset = (RtpPacket.timestamp(received, 0) - RtpPacket.timestamp(original, 0)) & 0xFFFFFFFFL;
            if (i == 0) {
                sequenceDelta = sequenceOffset;
                timestampDelta = timestampOffset;
            } else {
                // Same offsets as the first packet: consecutive sequence numbers in, out.
                assertEquals(sequenceDelta, sequenceOffset, "sequence number of packet " + i);
                assertEquals(timestampDelta, timestampOffset, "timestamp of packet " + i);
            }
            assertArrayEquals(payloadOf(original), payloadOf(received), "payload of packet " + i);
            assertArrayEquals(extension(original, AUDIO_LEVEL_ID), extension(received, AUDIO_LEVEL_ID),
                    "audio level of packet " + i);
            assertEquals(-1, HeaderExtensions.find(received, 0, received.length, MID_ID), "MID kept in packet " + i);
        }
        assertNull(peer.pollRtp(QUIET), peer.name() + " received more than was sent");
        return wire;
    }

    static byte[] payloadOf(byte[] packet) {
        int offset = RtpPacket.payloadOffset(packet, 0, packet.length);
        return Arrays.copyOfRange(packet, offset, offset + RtpPacket.payloadLength(packet, 0, packet.length));
    }

    static byte[] extension(byte[] packet, int id) {
        long found = HeaderExtensions.find(packet, 0, packet.length, id);
        if (found < 0) {
            return null;
        }
        int offset = HeaderExtensions.dataOffset(found);
        return Arrays.copyOfRange(packet, offset, offset + HeaderExtensions.dataLength(found));
    }

    /** A VP8 payload descriptor (RFC 7741 4.2, S bit on the first) and random data. */
    static byte[] vp8Payload(Random random, boolean keyframeStart, int length) {
        byte[] payload = new byte[length];
        random.nextBytes(payload);
        payload[0] = (byte) (keyframeStart ? 0x10 : 0x00);
        if (keyframeStart) {
            payload[1] &= (byte) 0xFE; // P bit 0: keyframe
        }
        return payload;
    }

    /** Waits up to a few seconds for a counter to reach a value. */
    static void awaitCount(LongSupplier counter, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (counter.getAsLong() < expected && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        assertEquals(expected, counter.getAsLong());
    }
}
