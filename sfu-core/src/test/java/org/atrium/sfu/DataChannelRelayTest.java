package org.atrium.sfu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.atrium.sctp.ChannelOptions;
import org.atrium.sctp.SctpConfig;
import org.atrium.sctp.SendStatus;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.HeartbeatChunk;
import org.atrium.sctp.packet.SctpPacket;
import org.atrium.sfu.client.PeerDataChannels;
import org.atrium.sfu.client.PeerDataChannels.Message;
import org.atrium.sfu.room.Admission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Data channels through a real {@link Sfu}: each peer's SCTP association runs over its real
 * ICE and DTLS transport, and every message crosses the room relay in its envelope.
 */
@Timeout(60)
class DataChannelRelayTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(300);

    private SfuFixture fixture;
    private MeterRegistry registry;

    @BeforeEach
    void startSfu() throws Exception {
        fixture = new SfuFixture();
        registry = fixture.sfu().metrics().registry();
    }

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
    }

    /** A peer in the room with its association up and, when a label is given, its own reliable channel of it. */
    private PeerInRoom withData(Admission admission, String... labels) throws Exception {
        PeerInRoom peer = fixture.connected("room", admission);
        PeerDataChannels data = peer.peer().dataChannels();
        for (String label : labels) {
            assertTrue(data.open(label, ChannelOptions.reliable()) >= 0, label);
        }
        assertTrue(data.awaitConnected(WAIT), admission.displayName() + " association");
        for (String label : labels) {
            assertTrue(data.awaitOpen(label, WAIT), admission.displayName() + " channel " + label);
        }
        return peer;
    }

    private PeerInRoom withData(String name, String... labels) throws Exception {
        return withData(Admission.open(name), labels);
    }

    private static PeerDataChannels data(PeerInRoom peer) {
        return peer.peer().dataChannels();
    }

    private static String id(PeerInRoom peer) {
        return peer.participant().id();
    }

    private static Message next(PeerInRoom peer) throws InterruptedException {
        Message message = data(peer).poll(WAIT);
        assertNotNull(message, peer.participant().displayName() + " received nothing");
        return message;
    }

    private static void assertNothing(PeerInRoom... peers) throws InterruptedException {
        for (PeerInRoom peer : peers) {
            Message message = data(peer).poll(QUIET);
            assertNull(message, () -> peer.participant().displayName() + " received " + message);
        }
    }

    private double dropped(String reason) {
        return registry.get("atrium.data.dropped.messages").tag("reason", reason).counter().count();
    }

    private double sctpDropped(String reason) {
        return registry.get("atrium.sctp.dropped.packets").tag("reason", reason).counter().count();
    }

    @Test
    void roomWideAndTargetedMessagesReachTheirReceiversWithTheSendersId() throws Exception {
        PeerInRoom alice = withData("alice", "chat");
        PeerInRoom bob = withData("bob", "chat");
        // Carol opens no channel: the SFU opens "chat" toward her to deliver.
        PeerInRoom carol = withData("carol");

        assertEquals(SendStatus.SENT, data(alice).sendTo("chat", List.of(), "hello room"));
        for (PeerInRoom receiver : List.of(bob, carol)) {
            Message m = next(receiver);
            assertEquals("chat", m.label());
            assertEquals(id(alice), m.senderId());
            assertTrue(m.text());
            assertEquals("hello room", m.textPayload());
        }
        assertNothing(alice);
        assertTrue(data(carol).isOpen("chat"), "the channel the SFU opened");

        assertEquals(SendStatus.SENT, data(alice).sendTo("chat", List.of(id(carol)), "for carol"));
        Message toCarol = next(carol);
        assertEquals(id(alice), toCarol.senderId());
        assertEquals("for carol", toCarol.textPayload());
        assertNothing(alice, bob);

        // Carol answers on the channel the SFU opened, binary, to both.
        byte[] bytes = {0, 1, 2, (byte) 0xFF};
        assertEquals(SendStatus.SENT, data(carol).sendTo("chat", List.of(id(alice), id(bob)), bytes));
        for (PeerInRoom receiver : List.of(alice, bob)) {
            Message m = next(receiver);
            assertEquals(id(carol), m.senderId());
            assertFalse(m.text());
            assertArrayEquals(bytes, m.payload());
        }

        // A plain string has no envelope: it is for the whole room.
        assertEquals(SendStatus.SENT, data(bob).sendText("chat", "plain"));
        for (PeerInRoom receiver : List.of(alice, carol)) {
            Message m = next(receiver);
            assertEquals(id(bob), m.senderId());
            assertEquals("plain", m.textPayload());
        }
        assertNothing(alice, bob, carol);
        assertEquals(4, registry.get("atrium.data.messages").tag("direction", "received").counter().count());
        assertEquals(7, registry.get("atrium.data.messages").tag("direction", "sent").counter().count());
        assertEquals(3, registry.get("atrium.data.associations").gauge().value());
    }

    @Test
    void aParticipantWithoutTheDataGrantIsRefusedAndCountedWhileTheOthersCarryOn() throws Exception {
        PeerInRoom alice = withData("alice", "chat");
        PeerInRoom bob = withData("bob", "chat");
        PeerInRoom muted = withData(new Admission("muted", null, true, true, false), "chat");

        assertEquals(SendStatus.SENT, data(muted).sendTo("chat", List.of(), "let me speak"));
        assertEquals(SendStatus.SENT, data(muted).sendTo("chat", List.of(id(alice)), "to alice"));
        assertNothing(alice, bob);
        assertEquals(2, dropped("not_allowed"));
        assertEquals("chat not_allowed", muted.listener().nextDataRefusal(WAIT), "told once");
        assertNull(muted.listener().nextDataRefusal(QUIET));

        // It still receives, and the others still talk.
        assertEquals(SendStatus.SENT, data(alice).sendTo("chat", List.of(), "still here"));
        for (PeerInRoom receiver : List.of(bob, muted)) {
            Message m = next(receiver);
            assertEquals(id(alice), m.senderId());
            assertEquals("still here", m.textPayload());
        }
        assertEquals(2, dropped("not_allowed"));
    }

    @Test
    void malformedEnvelopesAndUnknownTargetsAreDroppedAndCountedAndTheAssociationCarriesOn() throws Exception {
        PeerInRoom alice = withData("alice", "chat");
        PeerInRoom bob = withData("bob", "chat");

        assertEquals(SendStatus.SENT, data(alice).send("chat", new byte[] {(byte) 0x80, 0, 'x'}), "reserved flag");
        assertEquals(SendStatus.SENT, data(alice).send("chat", new byte[] {0, 1, 10, 'x'}), "id past the end");
        assertEquals(SendStatus.SENT, data(alice).send("chat", new byte[] {0}), "no id count");
        assertEquals(SendStatus.SENT, data(alice).sendTo("chat", List.of("nobody"), "hello?"));
        assertNothing(bob);
        assertEquals(3, dropped("bad_envelope"));
        assertEquals(1, dropped("unknown_target"));
        assertEquals("chat bad_envelope", alice.listener().nextDataRefusal(WAIT));
        assertEquals("chat unknown_target", alice.listener().nextDataRefusal(WAIT));

        assertEquals(SendStatus.SENT, data(alice).sendTo("chat", List.of(id(bob)), "after"));
        assertEquals("after", next(bob).textPayload());
        assertTrue(data(alice).isConnected());
        assertEquals(0, data(alice).stats().sctp().totalDrops(), "the SFU's answers were all good SCTP");
    }

    @Test
    void badSctpPacketsAreDroppedAndCountedAndTheRoomCarriesOn() throws Exception {
        PeerInRoom alice = withData("alice", "chat");
        PeerInRoom bob = withData("bob", "chat");

        byte[] garbage = new byte[100];
        new Random(11).nextBytes(garbage);
        assertTrue(data(alice).sendRawPacket(new byte[] {1, 2, 3, 4, 5}), "shorter than the common header");
        assertTrue(data(alice).sendRawPacket(garbage), "random bytes");
        assertTrue(data(alice).sendRawPacket(heartbeatWithTag(0x0BAD7A65)), "a wrong verification tag");

        // The SFU reports SCTP's counters at most once a second, after a call into the association.
        long deadline = System.nanoTime() + WAIT.toNanos();
        int pings = 0;
        while (sctpDropped("bad_verification_tag") < 1 && System.nanoTime() < deadline) {
            data(alice).sendTo("chat", List.of(id(bob)), "ping " + pings++);
            Thread.sleep(200);
        }
        assertEquals(1, sctpDropped("malformed_packet"));
        assertEquals(1, sctpDropped("bad_checksum"));
        assertEquals(1, sctpDropped("bad_verification_tag"));
        for (int i = 0; i < pings; i++) {
            assertEquals("ping " + i, next(bob).textPayload(), "every ping, in order");
        }

        assertEquals(SendStatus.SENT, data(bob).sendTo("chat", List.of(), "and back"));
        Message back = next(alice);
        assertEquals(id(bob), back.senderId());
        assertEquals("and back", back.textPayload());
        assertTrue(data(alice).isConnected() && data(bob).isConnected());
        assertFalse(alice.participant().isClosed());
        assertEquals(0, dropped("receiver_not_connected"));
    }

    /** A well-formed HEARTBEAT with a good checksum, under a verification tag that is not the association's. */
    private static byte[] heartbeatWithTag(int tag) {
        byte[] packet = new byte[SctpPacket.HEADER_LENGTH + 16];
        SctpPacket.writeHeader(packet, 0, 5000, 5000, tag);
        int length = SctpPacket.HEADER_LENGTH
                + HeartbeatChunk.write(packet, SctpPacket.HEADER_LENGTH, ChunkType.HEARTBEAT, new byte[8], 0, 8);
        SctpPacket.seal(packet, 0, length);
        return Arrays.copyOf(packet, length);
    }

    /**
     * A receiver that stops reading (its SCTP receive side paused: no SACKs, so everything for
     * it waits at the SFU) costs the others nothing. Its reliable channel is closed when the
     * SFU's buffer for it is full, it is told, and unreliable messages for it are shed from half
     * the buffer on; it keeps the association and, reading again, gets a gapless prefix of what
     * was sent and the rest of the room's traffic.
     */
    @Test
    void aReceiverThatStopsReadingLosesItsReliableChannelNotTheRoom() throws Exception {
        PeerInRoom sender = withData("sender", "bulk");
        PeerInRoom reader = withData("reader", "bulk");
        PeerInRoom stalled = withData("stalled", "bulk");
        // One unreliable kind at everyone, so that the SFU delivers on each one's own channel.
        ChannelOptions unreliable = ChannelOptions.unreliableUnordered(0);
        for (PeerInRoom peer : List.of(sender, reader, stalled)) {
            assertTrue(data(peer).open("lossy", unreliable) >= 0);
        }
        for (PeerInRoom peer : List.of(sender, reader, stalled)) {
            assertTrue(data(peer).awaitOpen("lossy", WAIT));
        }

        data(stalled).pauseReceiving(true);
        int size = 64 * 1024;
        int bufferLimit = SctpConfig.DEFAULTS.sendBufferLimit();
        int count = bufferLimit / size + 16;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (int i = 0; i < count; i++) {
            byte[] envelope = PeerDataChannels.envelope(List.of(), sequenced(i, size));
            while (data(sender).send("bulk", envelope) == SendStatus.BUFFER_FULL) {
                assertTrue(System.nanoTime() < deadline, "the sender's buffer never drained");
                Thread.sleep(2);
            }
        }
        for (int i = 0; i < count; i++) {
            Message m = next(reader);
            assertEquals("bulk", m.label());
            assertEquals(i, ByteBuffer.wrap(m.payload()).getInt(), "the reader gets every message in order");
            assertEquals(size, m.payload().length);
        }
        assertEquals("bulk", stalled.listener().nextDataOverflow(WAIT), "the stalled one is told");
        assertTrue(dropped("receiver_overflow") >= 1);
        assertTrue(stalled.participant().data().bufferedAmount() <= bufferLimit);

        double shedBefore = dropped("receiver_slow");
        for (int i = 0; i < 10; i++) {
            data(sender).sendTo("lossy", List.of(id(stalled)), "unreliable " + i);
        }
        long shedDeadline = System.nanoTime() + WAIT.toNanos();
        while (dropped("receiver_slow") < shedBefore + 10 && System.nanoTime() < shedDeadline) {
            Thread.sleep(10);
        }
        assertEquals(shedBefore + 10, dropped("receiver_slow"), "unreliable shed while over half the buffer");

        data(stalled).pauseReceiving(false);
        List<Integer> got = new ArrayList<>();
        long resumeDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (data(stalled).isOpen("bulk") && System.nanoTime() < resumeDeadline) {
            Message m = data(stalled).poll(Duration.ofMillis(50));
            if (m != null && m.label().equals("bulk")) {
                got.add(ByteBuffer.wrap(m.payload()).getInt());
            }
        }
        for (Message m = data(stalled).poll(QUIET); m != null; m = data(stalled).poll(QUIET)) {
            if (m.label().equals("bulk")) {
                got.add(ByteBuffer.wrap(m.payload()).getInt());
            }
        }
        assertFalse(data(stalled).isOpen("bulk"), "the SFU closed the reliable channel it could not keep");
        assertTrue(got.size() < count, "not everything fitted: " + got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, got.get(i), "a gapless prefix of what was sent");
        }

        assertEquals(count - got.size(), dropped("receiver_overflow") + dropped("receiver_not_connected"),
                "each message it missed was counted");
        assertTrue(data(stalled).isConnected(), "the association stays");
        assertTrue(data(stalled).open("chat", ChannelOptions.reliable()) >= 0);
        assertTrue(data(sender).open("chat", ChannelOptions.reliable()) >= 0);
        assertTrue(data(stalled).awaitOpen("chat", WAIT));
        assertEquals(SendStatus.SENT, data(sender).sendTo("chat", List.of(id(stalled)), "welcome back"));
        Message back = data(stalled).poll(WAIT);
        while (back != null && !back.label().equals("chat")) {
            back = data(stalled).poll(WAIT);
        }
        assertNotNull(back, "the room's later messages reach it");
        assertEquals("welcome back", back.textPayload());
        assertEquals(0, data(stalled).stats().heldDropped());
    }

    /** A payload of {@code size} bytes that starts with its sequence number. */
    private static byte[] sequenced(int sequence, int size) {
        byte[] payload = new byte[size];
        ByteBuffer.wrap(payload).putInt(sequence);
        return payload;
    }
}
