package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.atrium.rtp.Nack;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.rtp.RtcpPacketType;
import org.atrium.rtp.RtpPacket;
import org.atrium.sctp.ChannelOptions;
import org.atrium.sfu.client.PeerDataChannels;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.relay.RelayLink;
import org.atrium.sfu.relay.RelayMessage;
import org.atrium.sfu.relay.RelayMessageCodec;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Member;
import org.atrium.sfu.room.TrackSource;
import org.atrium.sfu.stats.RelayMetrics;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two servers in one JVM, each with its own media port, joined by a real relay link (ICE,
 * DTLS, SRTP and SCTP over loopback, each server on its single media port): members, tracks,
 * media, feedback and data of each node's rooms reach the other's participants, and each
 * packet crosses the link once.
 */
@Timeout(60)
class RelayLinkTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration QUIET = Duration.ofMillis(300);
    static final int VP8 = 96;
    static final int MID_ID = 4;
    static final String ROOM = "room";

    @AutoClose
    private final SfuFixture nodeA = new SfuFixture();
    @AutoClose
    private final SfuFixture nodeB = new SfuFixture();
    private final BlockingQueue<String> closedA = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> closedB = new LinkedBlockingQueue<>();

    private record Linked(RelayLink a, RelayLink b) {
    }

    /**
     * Links node A (which asks) and node B, waits until both said hello, and opens the room on
     * node A's side only: node B, which has members there too, opens it when it hears of it.
     */
    private Linked link() throws Exception {
        RelayLink a = nodeA.sfu().relayLinks().open("node-a", "node-b", true, (link, reason) -> closedA.add(reason));
        RelayLink b = nodeB.sfu().relayLinks().open("node-b", "node-a", false, (link, reason) -> closedB.add(reason));
        a.start(b.localParameters());
        b.start(a.localParameters());
        await(() -> a.isEstablished() && b.isEstablished(), "link established");
        a.openRoom(nodeA.sfu().rooms().room(ROOM));
        await(() -> a.rooms().contains(ROOM) && b.rooms().contains(ROOM), "room open on both sides");
        return new Linked(a, b);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static byte[] vp8(long ssrc, int sequence, int i) {
        return rtp(ssrc, VP8).sequenceNumber(sequence).timestamp(3000L * i)
                .extension(MID_ID, "0".getBytes(StandardCharsets.US_ASCII))
                .payload(new byte[] {0x10, 0, 0, 0, 'v', (byte) i}).build();
    }

    /** The drop counters of a node that are not zero, for a failure's message. */
    private static String dropsOf(String name, SfuFixture node) {
        StringBuilder text = new StringBuilder("node " + name + " drops:");
        for (org.atrium.sfu.stats.DropReason reason : org.atrium.sfu.stats.DropReason.values()) {
            long n = node.sfu().metrics().drops(reason);
            if (n > 0) {
                text.append(' ').append(reason).append('=').append(n);
            }
        }
        for (RelayMetrics.Drop reason : RelayMetrics.Drop.values()) {
            long n = node.sfu().metrics().relay().drops(reason);
            if (n > 0) {
                text.append(" relay ").append(reason).append('=').append(n);
            }
        }
        return text.toString();
    }

    private RelayMetrics relayOf(SfuFixture node) {
        return node.sfu().metrics().relay();
    }

    @Test
    void membersAndTracksOfEachNodeReachTheOtherAndEachPacketCrossesTheLinkOnce() throws Exception {
        PeerInRoom alice = nodeA.connected(ROOM, "alice");
        long ssrc = 0x0A11CEL;
        alice.participant().describeTrack("0", TrackSource.CAMERA);
        alice.participant().publish("0", MediaKind.VIDEO, ssrc, 0x0A11CF);
        PeerInRoom bob = nodeB.connected(ROOM, "bob");
        PeerInRoom carol = nodeB.connected(ROOM, "carol");
        bob.listener().clear();
        carol.listener().clear();
        link();

        Member aliceOnB = bob.listener().nextParticipantJoined(WAIT);
        assertNotNull(aliceOnB, "alice joined on node B");
        assertEquals(alice.participant().id(), aliceOnB.id());
        assertEquals("alice", aliceOnB.displayName());
        assertEquals("node-a", aliceOnB.nodeId());
        Member bobOnA = alice.listener().nextParticipantJoined(WAIT);
        assertNotNull(bobOnA, "bob joined on node A");
        assertEquals("node-b", bobOnA.nodeId());
        // Carol's member-joined may cross a moment after bob's.
        await(() -> nodeA.sfu().rooms().room(ROOM).members().size() - 1 == 2, "bob and carol on node A");

        Consumer bobs = bob.listener().nextConsumerAdded(WAIT);
        Consumer carols = carol.listener().nextConsumerAdded(WAIT);
        assertNotNull(bobs, "bob receives alice's camera");
        assertNotNull(carols, "carol receives alice's camera");
        assertEquals(alice.participant().id(), bobs.producer().ownerId());
        assertEquals(TrackSource.CAMERA, nodeB.sfu().rooms().room(ROOM).memberOf(aliceOnB.id()).sourceOf("0"));
        bobs.resume();
        carols.resume();

        long sentBefore = relayOf(nodeA).packetsSent();
        int count = 30;
        for (int i = 0; i < count; i++) {
            alice.peer().sendRtp(vp8(ssrc, 1000 + i, i));
        }
        for (PeerInRoom receiver : List.of(bob, carol)) {
            for (int i = 0; i < count; i++) {
                byte[] packet = receiver.peer().pollRtp(WAIT);
                assertNotNull(packet, receiver.participant().displayName() + " missed packet " + i);
                assertArrayEquals(new byte[] {0x10, 0, 0, 0, 'v', (byte) i},
                        java.util.Arrays.copyOfRange(packet, RtpPacket.payloadOffset(packet, 0, packet.length),
                                packet.length), "payload " + i);
            }
        }
        // Two receivers on node B, one crossing: the link carried each packet once.
        assertEquals(count, relayOf(nodeA).packetsSent() - sentBefore);
        await(() -> relayOf(nodeB).packetsReceived() >= count, "node B received " + count);
        assertEquals(count, relayOf(nodeB).packetsReceived());
        assertEquals(0, relayOf(nodeB).drops(RelayMetrics.Drop.UNKNOWN_SSRC));
    }

    @Test
    void keyframeRequestsAndNacksOfTheOtherNodeAreAnswered() throws Exception {
        PeerInRoom alice = nodeA.connected(ROOM, "alice");
        long ssrc = 0x5EEDL;
        alice.participant().publish("0", MediaKind.VIDEO, ssrc, 0x5EEE);
        PeerInRoom bob = nodeB.connected(ROOM, "bob");
        Linked linked = link();
        Consumer bobs = bob.listener().nextConsumerAdded(WAIT);
        assertNotNull(bobs);
        bobs.resume();
        for (int i = 0; i < 5; i++) {
            alice.peer().sendRtp(vp8(ssrc, 200 + i, i));
        }
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertNotNull(bob.peer().pollRtp(WAIT), () -> "bob missed packet " + n + "; " + dropsOf("A", nodeA) + "; "
                    + dropsOf("B", nodeB) + "; link A sent " + relayOf(nodeA).packetsSent() + ", B received "
                    + relayOf(nodeB).packetsReceived());
        }

        // Bob's PLI reaches alice as a PLI for her own SSRC, through both servers and the link.
        alice.peer().clearReceived();
        byte[] pli = new byte[Pli.LENGTH];
        Pli.write(pli, 0, 1, bobs.ssrc());
        bob.peer().sendRtcp(pli);
        byte[] forwarded = SfuFixture.awaitRtcp(alice.peer(), WAIT, "a PLI for alice's stream",
                (b, off, len) -> Pli.is(b, off, len) && RtcpFeedback.mediaSsrc(b, off) == ssrc);
        assertNotNull(forwarded);

        // A NACK on the link, for the link's SSRC of the track, is answered from node A's cache as RTX.
        long linkSsrc = bobs.producer().ssrc();
        long retransmittedBefore = relayOf(nodeA).retransmissions();
        byte[] nack = new byte[64];
        int length = Nack.write(nack, 0, 7, linkSsrc, new int[] {202}, 1);
        assertTrue(linked.b().transport().sendRtcp(nack, 0, length));
        await(() -> relayOf(nodeA).retransmissions() > retransmittedBefore, "node A retransmits on the link");
    }

    @Test
    void dataMessagesCrossTheLinkOncePerNodeToEveryoneOrToNamedTargets() throws Exception {
        PeerInRoom alice = nodeA.connected(ROOM, "alice");
        PeerInRoom bob = nodeB.connected(ROOM, "bob");
        PeerInRoom carol = nodeB.connected(ROOM, "carol");
        for (PeerInRoom peer : List.of(alice, bob, carol)) {
            PeerDataChannels data = peer.peer().dataChannels();
            assertTrue(data.open("chat", ChannelOptions.reliable()) >= 0);
            assertTrue(data.awaitConnected(WAIT));
            assertTrue(data.awaitOpen("chat", WAIT));
        }
        link();
        // Node A's events of the link's start (alice joined) have crossed: the count below is the chat's alone.
        await(() -> nodeB.sfu().rooms().room(ROOM).memberOf(alice.participant().id()) != null, "alice on node B");

        long sentBefore = relayOfMessages(nodeA);
        assertEquals(org.atrium.sctp.SendStatus.SENT, alice.peer().dataChannels().sendText("chat", "hello all"));
        for (PeerInRoom receiver : List.of(bob, carol)) {
            PeerDataChannels.Message message = receiver.peer().dataChannels().poll(WAIT);
            assertNotNull(message, receiver.participant().displayName() + " got no message");
            assertEquals("hello all", message.textPayload());
            assertEquals(alice.participant().id(), message.senderId());
            assertEquals("chat", message.label());
        }
        assertEquals(1, relayOfMessages(nodeA) - sentBefore, "one message on the link for two receivers");

        assertEquals(org.atrium.sctp.SendStatus.SENT,
                alice.peer().dataChannels().sendTo("chat", List.of(carol.participant().id()), "just carol"));
        PeerDataChannels.Message toCarol = carol.peer().dataChannels().poll(WAIT);
        assertNotNull(toCarol);
        assertEquals("just carol", toCarol.textPayload());
        assertNull(bob.peer().dataChannels().poll(QUIET), "bob got carol's message");

        // And back: bob's message reaches alice on node A.
        assertEquals(org.atrium.sctp.SendStatus.SENT, bob.peer().dataChannels().sendText("chat", "hi alice"));
        PeerDataChannels.Message toAlice = alice.peer().dataChannels().poll(WAIT);
        assertNotNull(toAlice);
        assertEquals("hi alice", toAlice.textPayload());
        assertEquals(bob.participant().id(), toAlice.senderId());
    }

    private double relayOfMessagesRaw(SfuFixture node) {
        return node.sfu().metrics().registry().get("atrium.relay.messages").tag("direction", "sent").counter().count();
    }

    private long relayOfMessages(SfuFixture node) {
        return (long) relayOfMessagesRaw(node);
    }

    @Test
    void aMemberWhoLeavesLeavesTheOtherNodeAndAClosedLinkTakesItsMembersAlong() throws Exception {
        PeerInRoom alice = nodeA.connected(ROOM, "alice");
        PeerInRoom dave = nodeA.connected(ROOM, "dave");
        alice.participant().publish("0", MediaKind.AUDIO, 0xA0D10L, -1);
        PeerInRoom bob = nodeB.connected(ROOM, "bob");
        bob.listener().clear();
        Linked linked = link();
        assertNotNull(bob.listener().nextConsumerAdded(WAIT));
        await(() -> nodeB.sfu().rooms().room(ROOM).remoteMembers().size() == 2, "alice and dave on node B");

        alice.close();
        RecordingParticipantListener.Departure departure = bob.listener().nextParticipantLeft(WAIT);
        assertNotNull(departure, "alice left node B's view");
        assertEquals(alice.participant().id(), departure.participant().id());
        assertEquals(LeaveReason.LEFT, departure.reason());
        assertNotNull(bob.listener().nextConsumerClosed(WAIT), "bob's consumer of alice's audio closed");

        linked.a().close("test");
        RecordingParticipantListener.Departure lost = bob.listener().nextParticipantLeft(WAIT);
        assertNotNull(lost, "dave left node B's view");
        assertEquals(dave.participant().id(), lost.participant().id());
        assertEquals(LeaveReason.NODE_LOST, lost.reason());
        assertEquals("test", closedA.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        String reasonB = closedB.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(reasonB, "node B's side closed too");
        assertTrue(reasonB.startsWith("closed-by-peer"), reasonB);
        await(() -> nodeB.sfu().rooms().room(ROOM).remoteMembers().isEmpty(), "no member of node A left on B");
        assertTrue(nodeA.sfu().relayLinks().links().isEmpty());
    }

    @Test
    void theLastParticipantLeavingARoomTakesTheRoomOffTheLinkWhichServesTheOtherRooms() throws Exception {
        PeerInRoom alice = nodeA.connected(ROOM, "alice");
        PeerInRoom bob = nodeB.connected(ROOM, "bob");
        PeerInRoom erin = nodeA.connected("other", "erin");
        PeerInRoom frank = nodeB.connected("other", "frank");
        Linked linked = link();
        linked.a().openRoom(nodeA.sfu().rooms().room("other"));
        await(() -> linked.b().rooms().contains("other"), "second room open on node B");
        Member erinOnB = frank.listener().nextParticipantJoined(WAIT);
        assertNotNull(erinOnB);
        assertEquals(erin.participant().id(), erinOnB.id());

        alice.close();
        await(() -> !linked.a().rooms().contains(ROOM) && !linked.b().rooms().contains(ROOM), "room off the link");
        assertEquals(1, nodeB.sfu().rooms().room(ROOM).members().size(), "only bob left in node B's view");
        assertTrue(linked.a().rooms().contains("other"));
        assertNull(closedA.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS), "the link stays up");
        assertEquals(2, nodeB.sfu().rooms().room("other").members().size());
    }

    /**
     * A peer that speaks the link's protocol in place of node B: its hello claims another node,
     * so the link closes; and on a second link, messages that do not parse are counted and
     * dropped while the link stays up.
     */
    @Test
    void aWrongHelloClosesTheLinkAndMalformedMessagesAreDroppedAndCounted() throws Exception {
        nodeA.connected(ROOM, "alice");
        RelayLink link = nodeA.sfu().relayLinks().open("node-a", "node-b", true, (l, reason) -> closedA.add(reason));
        try (WebRtcPeer impostor = WebRtcPeer.create("impostor")) {
            connect(link, impostor);
            PeerDataChannels data = impostor.dataChannels();
            assertTrue(data.open("atrium-relay", ChannelOptions.reliable()) >= 0);
            assertTrue(data.awaitOpen("atrium-relay", WAIT));
            data.send("atrium-relay", RelayMessageCodec.encode(new RelayMessage.Hello(1, "node-x")));
            assertEquals("bad-hello", closedA.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }

        RelayLink second = nodeA.sfu().relayLinks().open("node-a", "node-b", true, (l, reason) -> closedA.add(reason));
        try (WebRtcPeer peer = WebRtcPeer.create("node-b")) {
            connect(second, peer);
            PeerDataChannels data = peer.dataChannels();
            assertTrue(data.open("atrium-relay", ChannelOptions.reliable()) >= 0);
            assertTrue(data.awaitOpen("atrium-relay", WAIT));
            data.send("atrium-relay", RelayMessageCodec.encode(new RelayMessage.Hello(1, "node-b")));
            data.send("atrium-relay", RelayMessageCodec.encode(new RelayMessage.RoomOpen(ROOM)));
            await(() -> second.rooms().contains(ROOM), "the room open on the link");
            long before = relayOf(nodeA).drops(RelayMetrics.Drop.MALFORMED_MESSAGE);
            long refusedBefore = relayOf(nodeA).drops(RelayMetrics.Drop.REFUSED_MESSAGE);
            data.send("atrium-relay", new byte[] {(byte) 0xEE, 1, 2, 3});
            data.send("atrium-relay", new byte[] {RelayMessageCodec.MEMBER_JOINED, 5, 'p'});
            data.sendText("atrium-relay", "not binary");
            await(() -> relayOf(nodeA).drops(RelayMetrics.Drop.MALFORMED_MESSAGE) - before == 3, "three drops");
            // Well-formed but for a room not open here: refused, counted.
            data.send("atrium-relay", RelayMessageCodec.encode(
                    new RelayMessage.MemberJoined("elsewhere", "p-x", "x", null)));
            await(() -> relayOf(nodeA).drops(RelayMetrics.Drop.REFUSED_MESSAGE) > refusedBefore, "refused");
            // A well-formed message still applies: the link is up.
            data.send("atrium-relay", RelayMessageCodec.encode(new RelayMessage.MemberJoined(ROOM, "p-remote", "eve",
                    null)));
            await(() -> nodeA.sfu().rooms().room(ROOM).memberOf("p-remote") != null, "eve on node A");
            assertTrue(second.isEstablished());
            assertNull(closedA.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /**
     * A stand-in for node B asks for the lowest encoding of alice's simulcast camera only: only
     * that one crosses the link, a wider demand later brings the next one back with a keyframe
     * request, and alice is told to stop encoding what no one needs.
     */
    @Test
    void onlyTheEncodingsTheOtherNodeNeedsCrossTheLinkAndThePublisherHearsOfIt() throws Exception {
        PeerInRoom alice = nodeA.connected(ROOM, "alice");
        org.atrium.sfu.media.Producer video = alice.participant().publishSimulcast("0", MediaKind.VIDEO,
                List.of("q", "h", "f"));
        long[] ssrcs = {0x100, 0x200, 0x300};
        for (int i = 0; i < 3; i++) {
            video.bindStream(video.stream(i), ssrcs[i]);
        }
        RelayLink link = nodeA.sfu().relayLinks().open("node-a", "node-b", true, (l, reason) -> closedA.add(reason));
        try (WebRtcPeer nodeBStandIn = WebRtcPeer.create("node-b")) {
            connect(link, nodeBStandIn);
            PeerDataChannels data = nodeBStandIn.dataChannels();
            data.readEnvelopes(false);
            assertTrue(data.open("atrium-relay", ChannelOptions.reliable()) >= 0);
            assertTrue(data.awaitOpen("atrium-relay", WAIT));
            data.send("atrium-relay", RelayMessageCodec.encode(new RelayMessage.Hello(1, "node-b")));
            data.send("atrium-relay", RelayMessageCodec.encode(new RelayMessage.RoomOpen(ROOM)));
            RelayMessage.TrackPublished track = null;
            while (track == null) {
                PeerDataChannels.Message message = data.poll(WAIT);
                assertNotNull(message, "no track announced");
                RelayMessage decoded = RelayMessageCodec.decode(message.payload(), 0, message.payload().length).message();
                if (decoded instanceof RelayMessage.TrackPublished published) {
                    track = published;
                }
            }
            assertEquals(video.id(), track.producerId());
            assertEquals(List.of("q", "h", "f"), track.layers().stream().map(RelayMessage.TrackPublished.Layer::rid)
                    .toList());

            data.send("atrium-relay", RelayMessageCodec.encode(new RelayMessage.LayerDemand(ROOM, video.id(), 0b001)));
            await(() -> link.outboundTrackCount() == 1, "track on the link");
            Thread.sleep(300); // the demand applies on node A's DTLS thread
            nodeBStandIn.clearReceived();
            for (int i = 0; i < 10; i++) {
                for (int layer = 0; layer < 3; layer++) {
                    alice.peer().sendRtp(vp8(ssrcs[layer], 500 + i, i));
                }
            }
            int received = 0;
            for (byte[] packet = nodeBStandIn.pollRtp(Duration.ofSeconds(1)); packet != null;
                    packet = nodeBStandIn.pollRtp(QUIET)) {
                assertEquals(track.layers().get(0).ssrc(), RtpPacket.ssrc(packet, 0), "only the lowest encoding");
                received++;
            }
            assertEquals(10, received);

            // Wanted again: encoding 1 crosses, and alice is asked for a keyframe of it.
            alice.peer().clearReceived();
            data.send("atrium-relay", RelayMessageCodec.encode(new RelayMessage.LayerDemand(ROOM, video.id(), 0b011)));
            SfuFixture.awaitRtcp(alice.peer(), WAIT, "a keyframe request for encoding 1",
                    (b, off, len) -> Pli.is(b, off, len) && RtcpFeedback.mediaSsrc(b, off) == ssrcs[1]);

            // The top encoding: no receiver here, and node B does not need it: alice stops it.
            long now = System.nanoTime();
            nodeA.sfu().rooms().allocateBandwidth(now);
            nodeA.sfu().rooms().allocateBandwidth(now + 6_000_000_000L);
            java.util.Map<String, Boolean> layers = alice.listener().nextPublishLayers(WAIT);
            assertNotNull(layers, "alice told which encodings to send");
            assertEquals(java.util.Map.of("q", true, "h", true, "f", false), layers);
        }
    }

    /** Connects a peer to the link as the other node would: controlled ICE agent, DTLS client. */
    private static void connect(RelayLink link, WebRtcPeer peer) throws Exception {
        assertSame(WebRtcPeer.Roles.ANSWERER.dtlsRole(), peer.roles().dtlsRole());
        link.start(new RelayLink.Parameters(peer.localUfrag(), peer.localPassword(), peer.fingerprint(),
                peer.localCandidates()));
        peer.connect(link.transport());
        peer.awaitConnected(WAIT);
    }
}
