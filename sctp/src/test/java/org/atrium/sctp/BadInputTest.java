package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.atrium.sctp.packet.Bytes;
import org.atrium.sctp.packet.ChunkIterator;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.DataChunk;
import org.atrium.sctp.packet.SctpPacket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Each {@link SctpDropReason} produced by bad input, counted once, and the association working
 * afterwards. Bad packets are either injected (sealed with a valid CRC32C so they get past the
 * checksum) or made by rewriting one of the peer's real packets on the link.
 */
class BadInputTest {
    private static final SctpConfig CONFIG = SctpConfig.DEFAULTS;
    private static final Set<SctpDropReason> PRODUCED = EnumSet.noneOf(SctpDropReason.class);

    /** An INIT captured from usrsctp (dcSCTP sctp_packet_test.cc): ports 5000/5000, tag 0, valid CRC32C. */
    private static final byte[] CAPTURED_INIT = Hex.bytes("""
        1388 1388 00000000 aa019d33
        01 00 005a 0eddca08 00020000 03e8 03e8 55083637
        80000004 c0000004 80080009 c00fc18082000000
        80020024 c5a86155090e6f420050634cc8d6b908dfd53e17c99cb143284eaf64682ac297
        80040006 00010000 80030006 80c10000
        """);

    @AfterAll
    static void everyReasonIsProducedByATest() {
        assertEquals(EnumSet.allOf(SctpDropReason.class), PRODUCED);
    }

    /** A packet from port 5000 to 5000 with {@code tag} and the chunks, sealed. */
    static byte[] packet(int tag, String chunksHex) {
        byte[] chunks = Hex.bytes(chunksHex);
        byte[] p = new byte[SctpPacket.HEADER_LENGTH + chunks.length];
        SctpPacket.writeHeader(p, 0, 5000, 5000, tag);
        System.arraycopy(chunks, 0, p, SctpPacket.HEADER_LENGTH, chunks.length);
        SctpPacket.seal(p, 0, p.length);
        return p;
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    /** The verification tag {@code to} expects: the one its peer writes on its packets. */
    private static int tagOf(EndpointPair.Side to) {
        byte[] last = to.peer.sent.get(to.peer.sent.size() - 1);
        return SctpPacket.verificationTag(last, 0);
    }

    private static EndpointPair connected(long seed) {
        EndpointPair pair = new EndpointPair(CONFIG, seed);
        pair.a.recordSent = true;
        pair.b.recordSent = true;
        assertTrue(pair.connect());
        pair.run(1_000);
        return pair;
    }

    private static void expect(EndpointPair.Side side, SctpDropReason reason, Runnable input) {
        long before = side.stats().drops(reason);
        long total = side.stats().totalDrops();
        input.run();
        assertEquals(before + 1, side.stats().drops(reason), reason.name());
        assertEquals(total + 1, side.stats().totalDrops(), "only " + reason + " counted");
        PRODUCED.add(reason);
    }

    /** Messages still flow both ways on a fresh channel. */
    private static void stillWorks(EndpointPair pair) {
        int id = pair.a.endpoint.open("after", "", ChannelOptions.reliable(), pair.now);
        int before = pair.b.messages.size();
        pair.a.send(id, "ping".getBytes(StandardCharsets.UTF_8));
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == before + 1, 10_000), "association still works");
        assertTrue(pair.a.endpoint.isConnected() && pair.b.endpoint.isConnected());
    }

    /** Changes a DATA chunk at {@code off} in a packet. */
    interface Edit {
        void apply(byte[] p, int off);
    }

    /** Rewrites the first DATA chunk of the next packet {@code from} sends that has one. */
    private static void rewriteNextData(EndpointPair.Side from, Edit edit) {
        boolean[] done = {false};
        from.outMutator = p -> {
            ChunkIterator it = new ChunkIterator().reset(p, 0, p.length);
            while (!done[0] && it.next()) {
                if (it.type() == ChunkType.DATA) {
                    edit.apply(p, it.offset());
                    done[0] = true;
                }
            }
        };
    }

    @Test
    void malformedPacketsChecksumsPortsAndTags() {
        EndpointPair pair = connected(61);
        EndpointPair.Side b = pair.b;
        int tag = tagOf(b);
        expect(b, SctpDropReason.MALFORMED_PACKET, () -> pair.inject(b, new byte[] {0x13, (byte) 0x88, 0, 0, 1}));
        expect(b, SctpDropReason.MALFORMED_PACKET, () -> pair.inject(b, packet(tag, "03 00 0030 00000000")));
        expect(b, SctpDropReason.MALFORMED_PACKET, () -> pair.inject(b, packet(tag, "")));
        byte[] flipped = packet(tag, "0b 00 0004");
        flipped[13] ^= 1;
        expect(b, SctpDropReason.BAD_CHECKSUM, () -> pair.inject(b, flipped));
        byte[] otherPort = packet(tag, "0b 00 0004");
        otherPort[3] = 0x77;
        SctpPacket.seal(otherPort, 0, otherPort.length);
        expect(b, SctpDropReason.WRONG_PORT, () -> pair.inject(b, otherPort));
        expect(b, SctpDropReason.BAD_VERIFICATION_TAG, () -> pair.inject(b, packet(tag + 1, "0b 00 0004")));
        expect(b, SctpDropReason.BAD_VERIFICATION_TAG, () -> pair.inject(b, packet(tag, "06 01 0004"))); // T bit: peer's tag
        expect(b, SctpDropReason.MALFORMED_CHUNK, () -> pair.inject(b, packet(tag, "00 03 0010 00000001 0000 0000 00000035")));
        expect(b, SctpDropReason.MALFORMED_CHUNK, () -> pair.inject(b, packet(0, "01 00 0014 00000000 00020000 0001 0001 00000001")));
        expect(b, SctpDropReason.UNKNOWN_CHUNK, () -> pair.inject(b, packet(tag, "bf 00 0004")));
        expect(b, SctpDropReason.UNEXPECTED_CHUNK, () -> pair.inject(b, packet(tag, "0e 00 0004"))); // SHUTDOWN COMPLETE while established
        stillWorks(pair);
    }

    @Test
    void forgedAndExpiredCookies() {
        EndpointPair pair = new EndpointPair(CONFIG, 62);
        pair.a.recordSent = true;
        assertTrue(pair.connect());
        byte[] cookieEcho = pair.a.sent.stream().filter(p -> EndpointPair.contains(p, ChunkType.COOKIE_ECHO))
            .findFirst().orElseThrow();
        EndpointPair.Side b = pair.b;
        // A replay inside the lifetime is the lost-COOKIE-ACK case: answered, not dropped.
        long drops = b.stats().totalDrops();
        pair.inject(b, cookieEcho);
        assertEquals(drops, b.stats().totalDrops());
        byte[] forged = cookieEcho.clone();
        forged[forged.length - 1] ^= 1;
        SctpPacket.seal(forged, 0, forged.length);
        expect(b, SctpDropReason.COOKIE_BAD_SIGNATURE, () -> pair.inject(b, forged));
        expect(b, SctpDropReason.COOKIE_BAD_SIGNATURE, () -> pair.inject(b, packet(0, "0a 00 0008 12345678")));
        pair.run(CONFIG.cookieLifetimeMillis() + 1);
        expect(b, SctpDropReason.COOKIE_EXPIRED, () -> pair.inject(b, cookieEcho));
        stillWorks(pair);
    }

    @Test
    void initFloodIsRateLimitedWithoutState() {
        EndpointPair pair = new EndpointPair(CONFIG, 63);
        EndpointPair.Side b = pair.b;
        b.recordSent = true;
        for (int i = 0; i < 100; i++) {
            pair.inject(b, CAPTURED_INIT);
        }
        assertEquals(CONFIG.initAcksPerSecond(), b.sent.size(), "one INIT ACK per token");
        assertEquals(100 - CONFIG.initAcksPerSecond(), b.stats().drops(SctpDropReason.INIT_RATE_LIMITED));
        assertEquals(Long.MAX_VALUE, b.endpoint.nextTimeoutMillis(), "no timer, no association state per INIT");
        PRODUCED.add(SctpDropReason.INIT_RATE_LIMITED);
        pair.run(1_000);
        assertTrue(pair.connect());
        pair.run(1_000);
        stillWorks(pair);
        assertTrue(b.stats().drops(SctpDropReason.UNEXPECTED_CHUNK) == 0);
    }

    @Test
    void dataPastTheWindowOnUnknownStreamsAndWithUnknownPpids() {
        RawPeer peer = new RawPeer(CONFIG.withMaxMessageSize(1000).withReceiveWindow(1500));
        peer.handshake();
        SctpStats before = peer.endpoint.stats();
        byte[] open = DcepMessage.open("raw", "", ChannelOptions.reliable());
        peer.data(3, 1, 0, DataChannelEndpoint.PPID_DCEP, open);
        peer.data(3, 1, 1, DataChannelEndpoint.PPID_BINARY, new byte[] {1});
        assertEquals(1, peer.messages.size());
        int gap = peer.tsn++;
        // A first fragment past a gap is held (1000 bytes); the next does not fit a 1500-byte window.
        peer.data(DataChunk.FLAG_BEGIN, 1, 2, DataChannelEndpoint.PPID_BINARY, new byte[1000]);
        expectRaw(peer, SctpDropReason.RECEIVE_WINDOW_FULL,
            () -> peer.data(peer.tsn, 0, 1, 2, DataChannelEndpoint.PPID_BINARY, new byte[1000]));
        expectRaw(peer, SctpDropReason.TSN_OUT_OF_WINDOW,
            () -> peer.data(peer.tsn + 100_000, 3, 1, 3, DataChannelEndpoint.PPID_BINARY, new byte[1]));
        // FORWARD TSN abandons the gap and the held fragment (SSN 2 of stream 1).
        peer.inject("c0 00 000c " + RawPeer.hex(peer.tsn - 1) + " 0001 0002");
        assertEquals(gap + 2, peer.tsn);
        expectRaw(peer, SctpDropReason.DATA_ON_UNKNOWN_STREAM,
            () -> peer.data(3, 9, 0, DataChannelEndpoint.PPID_BINARY, new byte[] {2}));
        expectRaw(peer, SctpDropReason.DATA_ON_UNKNOWN_STREAM,
            () -> peer.data(3, 2000, 0, DataChannelEndpoint.PPID_BINARY, new byte[] {2})); // past the 1024 streams
        expectRaw(peer, SctpDropReason.UNKNOWN_PPID, () -> peer.data(3, 1, 3, 52, new byte[] {3}));
        peer.data(3, 1, 4, DataChannelEndpoint.PPID_BINARY, new byte[] {4});
        assertEquals(2, peer.messages.size());
        assertArrayEquals(new byte[] {4}, peer.messages.get(1));
        assertEquals(before.totalDrops() + 5, peer.endpoint.stats().totalDrops());
        // The endpoint still sends: its answer to a message lands in a DATA chunk.
        int mark = peer.received.size();
        assertEquals(SendStatus.SENT, peer.endpoint.send(1, true, new byte[] {5}, 0, 1, peer.now));
        assertTrue(peer.sentSince(mark, ChunkType.DATA));
    }

    private static void expectRaw(RawPeer peer, SctpDropReason reason, Runnable input) {
        long before = peer.endpoint.stats().drops(reason);
        long total = peer.endpoint.stats().totalDrops();
        input.run();
        assertEquals(before + 1, peer.endpoint.stats().drops(reason), reason.name());
        assertEquals(total + 1, peer.endpoint.stats().totalDrops(), "only " + reason + " counted");
        PRODUCED.add(reason);
    }

    @Test
    void invalidSackAndMessagesTooLarge() {
        SctpConfig smallMessages = CONFIG.withMaxMessageSize(1000);
        EndpointPair pair = new EndpointPair(CONFIG, smallMessages, 65);
        pair.a.recordSent = true;
        pair.b.recordSent = true;
        assertTrue(pair.connect());
        int id = pair.a.endpoint.open("big", "", ChannelOptions.reliable(), pair.now);
        pair.a.send(id, new byte[] {1});
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 1, 5_000));
        pair.run(1_000);
        EndpointPair.Side a = pair.a;
        expect(a, SctpDropReason.INVALID_SACK, () -> pair.inject(a, packet(tagOf(a), "03 00 0010 7fffffff 00100000 0000 0000")));
        EndpointPair.Side b = pair.b;
        // Fragmented and unfragmented messages over b's limit are discarded; the stream goes on.
        expect(b, SctpDropReason.MESSAGE_TOO_LARGE, () -> {
            pair.a.send(id, new byte[5000]);
            pair.run(2_000);
        });
        expect(b, SctpDropReason.MESSAGE_TOO_LARGE, () -> {
            pair.a.send(id, new byte[1001]);
            pair.run(2_000);
        });
        pair.a.send(id, new byte[] {9});
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 2, 5_000));
        assertArrayEquals(new byte[] {9}, pair.b.messages.get(1));
        stillWorks(pair);
    }

    @Test
    void badDcep() {
        EndpointPair pair = connected(66);
        int id = pair.a.endpoint.open("d", "", new ChannelOptions(false, -1, -1, 256, -1), pair.now);
        assertTrue(pair.runUntil(() -> pair.a.opened.size() == 1, 5_000));
        EndpointPair.Side b = pair.b;
        rewriteNextData(pair.a, (p, c) -> Bytes.put32(p, c + 12, DataChannelEndpoint.PPID_DCEP));
        expect(b, SctpDropReason.DCEP_MALFORMED, () -> {
            pair.a.send(id, new byte[] {7, 7});
            pair.run(1_000);
        });
        byte[] open = DcepMessage.open("again", "", ChannelOptions.reliable());
        rewriteNextData(pair.a, (p, c) -> Bytes.put32(p, c + 12, DataChannelEndpoint.PPID_DCEP));
        expect(b, SctpDropReason.DCEP_STREAM_IN_USE, () -> {
            pair.a.send(id, open);
            pair.run(1_000);
        });
        rewriteNextData(pair.a, (p, c) -> Bytes.put32(p, c + 12, DataChannelEndpoint.PPID_DCEP));
        expect(b, SctpDropReason.DCEP_UNEXPECTED, () -> {
            pair.a.send(id, DcepMessage.ack());
            pair.run(1_000);
        });
        pair.a.outMutator = null;
        assertEquals(1, b.opened.size());
        stillWorks(pair);
    }

    @Test
    void packetsAfterCloseAreCounted() {
        EndpointPair pair = connected(67);
        pair.a.endpoint.abort("done");
        expect(pair.a, SctpDropReason.ASSOCIATION_CLOSED, () -> pair.inject(pair.a, CAPTURED_INIT));
    }
}
