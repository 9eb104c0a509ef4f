package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.atrium.sfu.peer.Vp8Payloads.pictureId;
import static org.atrium.sfu.peer.Vp8Payloads.tl0PicIdx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.rtp.Bye;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.peer.Vp8Payloads;
import org.atrium.sfu.room.Admission;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.RoomException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A participant that receives only what it asks for (a WHEP player: it may not subscribe)
 * through a real {@link Sfu}: {@link Participant#forward} on SSRCs it reserved, one stream
 * carried on from one publisher to another without a BYE, a forwarded stream whose
 * publisher leaves kept for a continuation, and the room telling it what it could forward.
 * Where packets must cross, the peers are real (ICE, DTLS, SRTP on loopback).
 */
@Timeout(60)
class ForwardOnRequestTest {

    static final Duration WAIT = Duration.ofSeconds(3);
    static final Duration QUIET = Duration.ofMillis(400);
    static final int VP8 = 96;
    static final long ALICE_VIDEO = 0xA11CE001L;
    static final long ALICE_AUDIO = 0xA11CE002L;
    static final long BOB_VIDEO = 0xB0B00001L;

    @AutoClose
    private final SfuFixture fixture = new SfuFixture();
    private final Sfu sfu = fixture.sfu();

    private static Admission player() {
        return new Admission("player", null, false, false);
    }

    /** A member whose transport is never started: enough where no packet must cross. */
    private record Member(Participant participant, RecordingParticipantListener listener) {
    }

    private Member member(String name, Admission admission) throws Exception {
        RecordingParticipantListener listener = new RecordingParticipantListener();
        return new Member(sfu.join("room", admission, listener), listener);
    }

    @Test
    void aPlayerFollowsOnePublisherThenAnotherOnOneStreamWithoutABye() throws Exception {
        PeerInRoom alice = fixture.connected("room", "alice");
        PeerInRoom bob = fixture.connected("room", "bob");
        PeerInRoom player = fixture.connected("room", player());
        Producer aliceVideo = alice.participant().publish("0", MediaKind.VIDEO, ALICE_VIDEO, -1);
        Producer bobVideo = bob.participant().publish("0", MediaKind.VIDEO, BOB_VIDEO, -1);
        assertSame(aliceVideo, player.listener().nextProducerAdded(WAIT));
        assertSame(bobVideo, player.listener().nextProducerAdded(WAIT));
        assertNull(player.listener().nextConsumerAdded(Duration.ofMillis(100)), "nothing forwarded unasked");

        long ssrc = player.participant().reserveSsrc();
        long rtxSsrc = player.participant().reserveSsrc();
        assertNotEquals(ssrc, rtxSsrc);
        Consumer fromAlice = player.participant().forward(aliceVideo, ssrc, rtxSsrc, null);
        assertTrue(fromAlice.isResumed());
        assertEquals(ssrc, fromAlice.ssrc());
        assertTrue(player.participant().consumers().contains(fromAlice));
        assertNotNull(nextPli(alice.peer(), ALICE_VIDEO), "Alice asked for a keyframe");

        Vp8Stream aliceStream = new Vp8Stream(ALICE_VIDEO, 1000, 10_000, 200, 20);
        aliceStream.send(alice.peer(), true, 4);
        List<byte[]> received = new ArrayList<>(receive(player.peer(), 5));

        bob.peer().clearReceived();
        Consumer fromBob = player.participant().forward(bobVideo, ssrc, rtxSsrc, fromAlice);
        assertTrue(fromAlice.isClosed() || awaitClosed(fromAlice));
        assertFalse(player.participant().consumers().contains(fromAlice));
        assertTrue(player.participant().consumers().contains(fromBob));
        assertNotNull(nextPli(bob.peer(), BOB_VIDEO), "Bob asked for a keyframe at the switch");

        Vp8Stream bobStream = new Vp8Stream(BOB_VIDEO, 50_000, 3_000_000_000L, 30_000, 200);
        bobStream.send(bob.peer(), false, 1); // delta frames: the player could not decode them
        bobStream.send(bob.peer(), true, 2);
        received.addAll(receive(player.peer(), 3));
        assertNull(player.peer().pollRtp(QUIET), "Bob's frames before his keyframe were left out");
        assertContinuous(received, ssrc);
        assertTrue(isKeyframe(received.get(5)), "Bob's first packet the player gets is a keyframe's");
        assertFalse(byeFor(player.peer(), ssrc, QUIET), "no BYE at the switch");

        // Bob stops: the stream ends without a BYE, ready to go on with someone else.
        bob.participant().unpublish("0");
        assertSame(fromBob, player.listener().nextConsumerClosed(WAIT));
        assertSame(bobVideo, player.listener().nextProducerClosed(WAIT));
        assertFalse(byeFor(player.peer(), ssrc, QUIET), "no BYE when the followed publisher stops");

        Consumer again = player.participant().forward(aliceVideo, ssrc, rtxSsrc, fromBob);
        aliceStream.send(alice.peer(), true, 1);
        received.addAll(receive(player.peer(), 2));
        assertContinuous(received, ssrc);

        player.participant().stopForwarding(again, false);
        assertTrue(byeFor(player.peer(), ssrc, WAIT), "BYE once the player's stream ends");
        assertFalse(player.participant().consumers().contains(again));
    }

    @Test
    void forwardRefusesWhatItCannotDo() throws Exception {
        Member alice = member("alice", Admission.open("alice"));
        Member player = member("player", player());
        Producer video = alice.participant().publish("0", MediaKind.VIDEO, ALICE_VIDEO, -1);
        Producer audio = alice.participant().publish("1", MediaKind.AUDIO, ALICE_AUDIO, -1);
        Participant receiver = player.participant();
        long ssrc = receiver.reserveSsrc();
        long rtxSsrc = receiver.reserveSsrc();
        Consumer forwarded = receiver.forward(video, ssrc, rtxSsrc, null);

        assertEquals("kind-mismatch", refusal(() -> receiver.forward(audio, ssrc, rtxSsrc, forwarded)));
        assertEquals("ssrc-in-use", refusal(() -> receiver.forward(audio, ssrc, -1, null)));
        assertEquals("ssrc-in-use", refusal(() -> receiver.forward(audio, receiver.feedbackSsrc(), -1, null)));
        assertEquals("already-forwarded", refusal(() -> receiver.forward(video, receiver.reserveSsrc(), -1, null)));

        Member elsewhere = new Member(sfu.join("other-room", Admission.open("carol"), new RecordingParticipantListener()),
                null);
        Producer foreign = elsewhere.participant().publish("0", MediaKind.AUDIO, 0xC0L, -1);
        assertEquals("no-such-producer", refusal(() -> receiver.forward(foreign, receiver.reserveSsrc(), -1, null)));

        alice.participant().unpublish("1");
        assertTrue(audio.isClosed());
        assertEquals("no-such-producer", refusal(() -> receiver.forward(audio, receiver.reserveSsrc(), -1, null)));

    }

    @Test
    void stoppingWithoutKeepingTheSsrcSendsAByeAndFreesIt() throws Exception {
        PeerInRoom alice = fixture.connected("room", "alice");
        PeerInRoom player = fixture.connected("room", player());
        Producer video = alice.participant().publish("0", MediaKind.VIDEO, ALICE_VIDEO, -1);
        long ssrc = player.participant().reserveSsrc();
        Consumer forwarded = player.participant().forward(video, ssrc, -1, null);

        player.participant().stopForwarding(forwarded, true);
        assertTrue(forwarded.isClosed());
        assertFalse(byeFor(player.peer(), ssrc, QUIET), "the SSRC is kept for a continuation");
        assertEquals("ssrc-in-use", refusal(() -> player.participant().forward(video, ssrc, -1, null)));

        player.participant().stopForwarding(forwarded, false);
        assertTrue(byeFor(player.peer(), ssrc, WAIT), "BYE for the stream that ended");
        Consumer fresh = player.participant().forward(video, ssrc, -1, null);
        assertEquals(ssrc, fresh.ssrc(), "a reserved SSRC freed by its BYE carries a new stream");
    }

    @Test
    void theOtherMembersHearOfEachTrackPublishedAndClosed() throws Exception {
        Member alice = member("alice", Admission.open("alice"));
        Member bob = member("bob", Admission.open("bob"));
        Member player = member("player", player());
        Producer video = alice.participant().publish("0", MediaKind.VIDEO, ALICE_VIDEO, -1);
        Producer audio = alice.participant().publish("1", MediaKind.AUDIO, ALICE_AUDIO, -1);
        for (Member other : List.of(bob, player)) {
            assertSame(video, other.listener().nextProducerAdded(WAIT));
            assertSame(audio, other.listener().nextProducerAdded(WAIT));
        }
        assertNull(alice.listener().nextProducerAdded(Duration.ofMillis(100)), "not told of its own");

        alice.participant().unpublish("1");
        for (Member other : List.of(bob, player)) {
            assertSame(audio, other.listener().nextProducerClosed(WAIT));
        }
        alice.participant().leave();
        for (Member other : List.of(bob, player)) {
            assertSame(video, other.listener().nextProducerClosed(WAIT), "closed when its owner leaves");
        }
        assertNull(alice.listener().nextProducerClosed(Duration.ofMillis(100)));
    }

    @Test
    void aForwardedVideoTakesPartInTheReceiversAllocationAsAnAutomaticOneDoes() throws Exception {
        Member alice = member("alice", Admission.open("alice"));
        Member carol = member("carol", Admission.open("carol"));
        Member player = member("player", player());
        Producer video = alice.participant().publishSimulcast("0", MediaKind.VIDEO, List.of("q", "h", "f"));
        Consumer automatic = carol.listener().nextConsumerAdded(WAIT);
        assertNotNull(automatic);
        automatic.resume();
        Consumer forwarded = player.participant().forward(video, player.participant().reserveSsrc(),
                player.participant().reserveSsrc(), null);

        assertTrue(player.participant().consumers().contains(forwarded), "where the allocation reads them");
        assertEquals(0, forwarded.targetSpatialLayer(), "a simulcast video starts on its lowest encoding");
        assertEquals(automatic.targetSpatialLayer(), forwarded.targetSpatialLayer());

        // Neither receiver sends congestion feedback: after a while both get the top encoding.
        long now = System.nanoTime();
        sfu.rooms().allocateBandwidth(now);
        sfu.rooms().allocateBandwidth(now + 3_000_000_000L);
        assertEquals(2, automatic.targetSpatialLayer());
        assertEquals(2, forwarded.targetSpatialLayer(), "set by the allocation as the automatic one is");
    }

    // ---- helpers

    private static String refusal(Runnable call) {
        return assertThrows(RoomException.class, call::run).code();
    }

    private static boolean awaitClosed(Consumer consumer) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!consumer.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return consumer.isClosed();
    }

    /** A VP8 publisher's stream: one packet per frame, temporal layer 0, 30 frames a second. */
    private static final class Vp8Stream {
        private final long ssrc;
        private int sequence;
        private long timestamp;
        private int pictureId;
        private int tl0;

        Vp8Stream(long ssrc, int sequence, long timestamp, int pictureId, int tl0) {
            this.ssrc = ssrc;
            this.sequence = sequence;
            this.timestamp = timestamp;
            this.pictureId = pictureId;
            this.tl0 = tl0;
        }

        /** Sends a keyframe (or a delta frame when not {@code key}) and {@code deltas} delta frames after it. */
        void send(WebRtcPeer peer, boolean key, int deltas) throws Exception {
            for (int i = 0; i <= deltas; i++) {
                byte[] payload = new byte[Vp8Payloads.FRAME_START_LENGTH + 4];
                Vp8Payloads.writeFrameStart(payload, 0, pictureId, tl0, 0, false, key && i == 0);
                peer.sendRtp(rtp(ssrc, VP8).sequenceNumber(sequence).timestamp(timestamp).marker(true)
                        .payload(payload).build());
                sequence = (sequence + 1) & 0xFFFF;
                timestamp = (timestamp + 3000) & 0xFFFFFFFFL;
                pictureId = (pictureId + 1) & 0x7FFF;
                tl0 = (tl0 + 1) & 0xFF;
                Thread.sleep(5);
            }
        }
    }

    private static List<byte[]> receive(WebRtcPeer peer, int count) throws InterruptedException {
        List<byte[]> packets = new ArrayList<>();
        while (packets.size() < count) {
            byte[] packet = peer.pollRtp(WAIT);
            assertNotNull(packet, "got " + packets.size() + " of " + count + " packets");
            packets.add(packet);
        }
        return packets;
    }

    /** One stream: one SSRC, sequence numbers, picture ids and TL0PICIDX on by one, time moving on. */
    private static void assertContinuous(List<byte[]> packets, long ssrc) {
        for (int i = 0; i < packets.size(); i++) {
            assertEquals(ssrc, RtpPacket.ssrc(packets.get(i), 0));
            if (i == 0) {
                continue;
            }
            byte[] previous = packets.get(i - 1);
            byte[] packet = packets.get(i);
            String where = "packet " + i;
            assertEquals((RtpPacket.sequenceNumber(previous, 0) + 1) & 0xFFFF, RtpPacket.sequenceNumber(packet, 0), where);
            long step = (RtpPacket.timestamp(packet, 0) - RtpPacket.timestamp(previous, 0)) & 0xFFFFFFFFL;
            assertTrue(step > 0 && step < 90_000L * 10, where + ": timestamp moves on by " + step);
            assertEquals((pictureId(previous) + 1) & 0x7FFF, pictureId(packet), where + ": picture id");
            assertEquals((tl0PicIdx(previous) + 1) & 0xFF, tl0PicIdx(packet), where + ": TL0PICIDX");
        }
    }

    private static boolean isKeyframe(byte[] packet) {
        int off = RtpPacket.payloadOffset(packet, 0, packet.length);
        return (packet[off] & 0x10) != 0 && (packet[off + 6] & 0x01) == 0;
    }

    /** The next PLI the publisher's peer gets for its SSRC, or null within {@link #WAIT}. */
    private static byte[] nextPli(WebRtcPeer publisher, long mediaSsrc) throws InterruptedException {
        return SfuFixture.nextRtcp(publisher, WAIT,
                (b, off, len) -> Pli.is(b, off, len) && RtcpFeedback.mediaSsrc(b, off) == mediaSsrc);
    }

    /** Whether a BYE naming the SSRC reaches the peer within the timeout. */
    private static boolean byeFor(WebRtcPeer peer, long ssrc, Duration timeout) throws InterruptedException {
        return SfuFixture.nextRtcp(peer, timeout, (b, off, len) -> Bye.is(b, off, len) && names(b, off, ssrc)) != null;
    }

    private static boolean names(byte[] bye, int off, long ssrc) {
        for (int i = 0; i < Bye.ssrcCount(bye, off); i++) {
            if (Bye.ssrc(bye, off, i) == ssrc) {
                return true;
            }
        }
        return false;
    }
}
