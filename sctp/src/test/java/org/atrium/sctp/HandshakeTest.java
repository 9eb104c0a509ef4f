package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.atrium.sctp.packet.Chunk;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.CookieEchoChunk;
import org.atrium.sctp.packet.InitChunk;
import org.atrium.sctp.packet.Parameter;
import org.atrium.sctp.packet.PacketBuilder;
import org.atrium.sctp.packet.ParameterIterator;
import org.atrium.sctp.packet.SctpPacket;
import org.junit.jupiter.api.Test;

/** Association setup (RFC 9260 5.1, 5.2): INIT ACKs and their cookies, INIT collision, the rate limit, T1. */
class HandshakeTest {
    private static final SctpConfig CONFIG = SctpConfig.DEFAULTS;
    /** Tag 0x11223344, a_rwnd 1 MiB, 1024 outbound and 512 inbound streams, TSN 0x7ffffff0, both extensions. */
    private static final byte[] INIT = Hex.bytes("""
        01 00 001e | 11223344 | 00100000 | 0400 0200 | 7ffffff0
        c000 0004                 # Forward-TSN-Supported
        8008 0006 c0 82 0000      # Supported Extensions: FORWARD TSN, RE-CONFIG
        """);
    private static final int INIT_LENGTH = 0x1e;
    private static final int C = SctpPacket.HEADER_LENGTH;

    private final Drops drops = new Drops();
    private final PacketCapture capture = new PacketCapture();
    private final Timer t1 = new Timer();
    private final Handshake handshake = new Handshake(CONFIG, new SplittableRandom(3), drops,
        new PacketSender(CONFIG, capture), t1);

    @Test
    void answersAnInitWithACookieThatHoldsTheAssociation() {
        assertTrue(handshake.readInit(INIT, 0, INIT_LENGTH));
        handshake.answerInit(INIT, 0, 1000, false, 0, 0);
        byte[] ack = capture.last();
        assertEquals(0x11223344, SctpPacket.verificationTag(ack, 0), "addressed with the INIT's tag");
        assertTrue(handshake.readInitAck(ack, C, Chunk.length(ack, C)));
        int myTag = InitChunk.initiateTag(ack, C);
        StateCookie.Contents k = handshake.openCookie(cookieEcho(ack), 0, myTag, 1000 + CONFIG.cookieLifetimeMillis());
        assertEquals(new StateCookie.Contents(1000, myTag, 0x11223344, InitChunk.initialTsn(ack, C), 0x7ffffff0,
            1 << 20, 1024, 512, true, true), k);
    }

    @Test
    void anInitCollisionIsAnsweredWithOurTagAndTsn() {
        handshake.readInit(INIT, 0, INIT_LENGTH);
        handshake.answerInit(INIT, 0, 1000, true, 0x55667788, 77);
        byte[] ack = capture.last();
        assertEquals(0x55667788, InitChunk.initiateTag(ack, C));
        assertEquals(77, InitChunk.initialTsn(ack, C));
    }

    @Test
    void ourInitAnnouncesBothExtensions() {
        handshake.sendInit(0x0badcafe, 5, 0);
        byte[] init = capture.last();
        assertEquals(0, SctpPacket.verificationTag(init, 0));
        assertTrue(handshake.readInit(init, C, Chunk.length(init, C)));
        handshake.answerInit(init, C, 0, false, 0, 0);
        StateCookie.Contents k = handshake.openCookie(cookieEcho(capture.last()), 0,
            InitChunk.initiateTag(capture.last(), C), 0);
        assertNotNull(k);
        assertEquals(0x0badcafe, k.peerTag());
        assertEquals(5, k.peerInitialTsn());
        assertTrue(k.forwardTsn() && k.reconfig());
    }

    @Test
    void initAcksAreRateLimited() {
        for (int i = 0; i < CONFIG.initAcksPerSecond() + 1; i++) {
            handshake.readInit(INIT, 0, INIT_LENGTH);
            handshake.answerInit(INIT, 0, 1000, false, 0, 0);
        }
        assertEquals(CONFIG.initAcksPerSecond(), capture.packets.size());
        assertEquals(1, drops.snapshot().get(SctpDropReason.INIT_RATE_LIMITED));
    }

    @Test
    void aCookieMustBeOursFreshAndAddressedWithItsTag() {
        handshake.readInit(INIT, 0, INIT_LENGTH);
        handshake.answerInit(INIT, 0, 1000, false, 0, 0);
        byte[] echo = cookieEcho(capture.last());
        int tag = InitChunk.initiateTag(capture.last(), C);
        assertNull(handshake.openCookie(echo, 0, tag, 1001 + CONFIG.cookieLifetimeMillis()));
        assertNull(handshake.openCookie(echo, 0, tag + 1, 1000));
        echo[10] ^= 1;
        assertNull(handshake.openCookie(echo, 0, tag, 1000));
        assertEquals(1, drops.snapshot().get(SctpDropReason.COOKIE_EXPIRED));
        assertEquals(1, drops.snapshot().get(SctpDropReason.BAD_VERIFICATION_TAG));
        assertEquals(1, drops.snapshot().get(SctpDropReason.COOKIE_BAD_SIGNATURE));
    }

    @Test
    void refusesAnInitWithTagZeroAndAnInitAckWithoutACookie() {
        byte[] zeroTag = INIT.clone();
        zeroTag[4] = zeroTag[5] = zeroTag[6] = zeroTag[7] = 0;
        assertFalse(handshake.readInit(zeroTag, 0, INIT_LENGTH));
        byte[] ackWithoutCookie = INIT.clone();
        ackWithoutCookie[0] = ChunkType.INIT_ACK;
        assertFalse(handshake.readInitAck(ackWithoutCookie, 0, INIT_LENGTH));
    }

    @Test
    void t1ResendsTheInitThenTheCookieEchoAndGivesUpInTheEnd() {
        handshake.sendInit(0x0badcafe, 5, 0);
        assertEquals(CONFIG.rtoInitialMillis(), t1.deadline());
        assertTrue(handshake.onT1(500));
        assertEquals(ChunkType.INIT, Chunk.type(capture.last(), C));
        assertEquals(500 + 2 * CONFIG.rtoInitialMillis(), t1.deadline());

        // The peer's INIT ACK: the answer a listening Handshake gives to our INIT.
        Handshake peer = new Handshake(CONFIG, new SplittableRandom(4), new Drops(), new PacketSender(CONFIG, capture),
            new Timer());
        byte[] init = capture.last();
        peer.readInit(init, C, Chunk.length(init, C));
        peer.answerInit(init, C, 600, false, 0, 0);
        byte[] initAck = capture.last();
        assertTrue(handshake.readInitAck(initAck, C, Chunk.length(initAck, C)));
        StateCookie.Contents k = handshake.takeInitAck(initAck, C, 600, 0x0badcafe, 5);
        handshake.sendCookieEcho(k.peerTag(), 600);
        assertEquals(600 + CONFIG.rtoInitialMillis(), t1.deadline(), "T1 starts afresh for the COOKIE ECHO");
        for (int i = 0; i < CONFIG.maxInitRetransmissions(); i++) {
            assertTrue(handshake.onT1(t1.deadline()));
            assertEquals(ChunkType.COOKIE_ECHO, Chunk.type(capture.last(), C));
            assertEquals(k.peerTag(), SctpPacket.verificationTag(capture.last(), 0));
        }
        assertFalse(handshake.onT1(t1.deadline()));
        assertFalse(t1.isRunning());
    }

    @Test
    void establishedStopsT1AndACookieAckIsWrittenOnceWhenOwed() {
        handshake.sendInit(0x0badcafe, 5, 0);
        handshake.established();
        assertFalse(t1.isRunning());
        PacketBuilder p = new PacketBuilder(CONFIG.maxPacketSize(), 1, 2);
        handshake.writeCookieAck(p.begin(1));
        assertTrue(p.isEmpty());
        handshake.ackCookie();
        handshake.writeCookieAck(p);
        assertEquals(ChunkType.COOKIE_ACK, Chunk.type(p.buffer(), C));
        handshake.writeCookieAck(p.begin(1));
        assertTrue(p.isEmpty());
    }

    /** The COOKIE ECHO a peer would send for the INIT ACK in {@code packet}. */
    private static byte[] cookieEcho(byte[] packet) {
        int cookie = ParameterIterator.find(packet, InitChunk.parametersOffset(C),
            InitChunk.parametersLength(packet, C), Parameter.STATE_COOKIE);
        int length = Parameter.length(packet, cookie) - Parameter.HEADER_LENGTH;
        byte[] echo = new byte[Chunk.HEADER_LENGTH + length];
        CookieEchoChunk.write(echo, 0, packet, cookie + Parameter.HEADER_LENGTH, length);
        return echo;
    }
}
