package org.atrium.srtp;

import static org.atrium.srtp.TestPackets.RTCP_LENGTH;
import static org.atrium.srtp.TestPackets.rtcp;
import static org.atrium.srtp.TestPackets.rtp;
import static org.atrium.srtp.TestPackets.rtpLength;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whole-packet behaviour of {@link SrtpSession}: round trips, replay, tampering, rollover, limits. */
class SrtpSessionTest {
    private static final int SSRC = 0x11223344;
    private static final int PAYLOAD = 160;

    private static byte[] key(SrtpProfile p) {
        byte[] k = new byte[p.keyLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 13 + 1);
        }
        return k;
    }

    private static byte[] salt(SrtpProfile p) {
        byte[] s = new byte[p.saltLength()];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (i * 29 + 5);
        }
        return s;
    }

    private static SrtpSession sender(TestCipher c) {
        SrtpProfile p = c.profile;
        return c.on(SrtpSession.forSending(p, key(p), salt(p)));
    }

    private static SrtpSession receiver(TestCipher c) {
        SrtpProfile p = c.profile;
        return c.on(SrtpSession.forReceiving(p, key(p), salt(p)));
    }

    /** Protects an RTP packet with the sequence number; returns the protected bytes (exact length). */
    private static byte[] protect(SrtpSession sender, int ssrc, int seq) {
        byte[] b = rtp(ssrc, seq, PAYLOAD);
        int len = sender.protectRtp(b, 0, rtpLength(PAYLOAD));
        assertEquals(rtpLength(PAYLOAD) + sender.profile().rtpTrailerLength(), len);
        return Arrays.copyOf(b, len);
    }

    private static int unprotect(SrtpSession receiver, byte[] protectedPacket) {
        byte[] copy = protectedPacket.clone();
        return receiver.unprotectRtp(copy, 0, copy.length);
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void rtpRoundTripRestoresThePacket(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = sender(c);
        SrtpSession rx = receiver(c);
        for (int seq = 1000; seq < 1010; seq++) {
            byte[] plain = rtp(SSRC, seq, PAYLOAD);
            byte[] buf = plain.clone();
            int len = tx.protectRtp(buf, 0, rtpLength(PAYLOAD));
            assertFalse(Arrays.equals(plain, 12, rtpLength(PAYLOAD), buf, 12, rtpLength(PAYLOAD)), "payload encrypted");
            assertEquals(rtpLength(PAYLOAD), rx.unprotectRtp(buf, 0, len));
            assertArrayEquals(Arrays.copyOf(plain, rtpLength(PAYLOAD)), Arrays.copyOf(buf, rtpLength(PAYLOAD)));
        }
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void rtpWithCsrcsAndHeaderExtensionAtAnOffsetRoundTrips(TestCipher c) {
        SrtpProfile p = c.profile;
        // V=2, X=1, CC=2; two CSRCs, a one-byte-header extension of 2 words, 40-byte payload.
        int headerLength = 12 + 8 + 4 + 8;
        int len = headerLength + 40;
        int off = 7;
        byte[] buf = new byte[off + len + SrtpSession.MAX_TRAILER];
        buf[off] = (byte) 0x92;
        buf[off + 1] = 111;
        buf[off + 3] = 5;
        TestPackets.putInt(buf, off + 8, SSRC);
        buf[off + 20] = (byte) 0xBE;
        buf[off + 21] = (byte) 0xDE;
        buf[off + 23] = 2;
        for (int i = headerLength; i < len; i++) {
            buf[off + i] = (byte) i;
        }
        byte[] original = buf.clone();
        int protectedLength = sender(c).protectRtp(buf, off, len);
        assertArrayEquals(Arrays.copyOfRange(original, off, off + headerLength),
                Arrays.copyOfRange(buf, off, off + headerLength), "header, CSRCs and extension stay clear");
        assertEquals(len, receiver(c).unprotectRtp(buf, off, protectedLength));
        assertArrayEquals(Arrays.copyOfRange(original, 0, off + len), Arrays.copyOfRange(buf, 0, off + len));
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void replayedPacketIsRejected(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = sender(c);
        SrtpSession rx = receiver(c);
        byte[] first = protect(tx, SSRC, 10);
        byte[] second = protect(tx, SSRC, 11);
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, first));
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, second));
        assertEquals(SrtpError.REPLAYED, unprotect(rx, first), "duplicate of an older packet");
        assertEquals(SrtpError.REPLAYED, unprotect(rx, second), "duplicate of the newest packet");
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void reorderedPacketsInsideTheWindowAreAcceptedOnce(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = sender(c);
        SrtpSession rx = receiver(c);
        byte[][] packets = new byte[200][];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = protect(tx, SSRC, 5000 + i);
        }
        for (int i = packets.length - 1; i >= 0; i--) {
            assertEquals(rtpLength(PAYLOAD), unprotect(rx, packets[i]), "seq " + (5000 + i));
        }
        for (byte[] packet : packets) {
            assertEquals(SrtpError.REPLAYED, unprotect(rx, packet));
        }
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void packetOlderThanTheWindowIsRejected(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = sender(c);
        SrtpSession rx = c.on(SrtpSession.forReceiving(p, key(p), salt(p), 8, 64));
        // A 64-packet window covers the highest index and the 63 below it.
        byte[] old = protect(tx, SSRC, 100);
        byte[] next = protect(tx, SSRC, 101);
        byte[] newer = protect(tx, SSRC, 100 + 63);
        byte[] newest = protect(tx, SSRC, 100 + 65);
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, newer));
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, old), "63 behind the highest");
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, newest));
        assertEquals(SrtpError.TOO_OLD, unprotect(rx, next), "64 behind the highest");
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void tamperedPacketFailsAndLeavesStateUnchanged(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = sender(c);
        SrtpSession rx = receiver(c);
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, protect(tx, SSRC, 1)));
        byte[] genuine = protect(tx, SSRC, 2);
        for (int position : new int[] {2, 12, 40, genuine.length - 1}) {
            byte[] forged = genuine.clone();
            forged[position] ^= 0x01;
            assertEquals(SrtpError.AUTH_FAILED, unprotect(rx, forged), "byte " + position + " flipped");
        }
        // A forgery claiming a far-ahead sequence number must not move the window or ROC either.
        byte[] ahead = protect(sender(c), SSRC, 30000);
        ahead[20] ^= 0x01;
        assertEquals(SrtpError.AUTH_FAILED, unprotect(rx, ahead));
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, genuine), "the genuine packet still passes");
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, protect(tx, SSRC, 3)));
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void rolloverCounterAdvancesAcrossSequenceWrap(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = sender(c);
        SrtpSession rx = receiver(c);
        byte[][] packets = new byte[40][];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = protect(tx, SSRC, (65520 + i) & 0xffff);
        }
        // Deliver with a reorder across the wrap: ..., 65535 after 0 and 1.
        int wrap = 65536 - 65520;
        for (int i = 0; i < packets.length; i++) {
            int k = i == wrap - 1 ? wrap : i == wrap ? wrap + 1 : i == wrap + 1 ? wrap - 1 : i;
            assertEquals(rtpLength(PAYLOAD), unprotect(rx, packets[k]), "packet " + k);
        }
        // The receiver's ROC is 1 now: a packet protected with ROC 0 and a post-wrap seq fails.
        SrtpSession freshSender = sender(c);
        byte[] wrongRoc = protect(freshSender, SSRC, 30);
        assertNotEquals(rtpLength(PAYLOAD), unprotect(rx, wrongRoc));
        // ...while a retransmission from before the wrap (ROC 0) is recognised as a replay.
        assertEquals(SrtpError.REPLAYED, unprotect(rx, packets[wrap - 1]));
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void senderProtectsRetransmissionsIdentically(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = sender(c);
        SrtpSession rx = receiver(c);
        byte[] first = protect(tx, SSRC, 65535);
        protect(tx, SSRC, 0);
        protect(tx, SSRC, 1);
        byte[] again = protect(tx, SSRC, 65535);
        byte[] againAndAgain = protect(tx, SSRC, 65535);
        assertArrayEquals(first, again, "a retransmission after the wrap keeps its ROC of 0");
        assertArrayEquals(first, againAndAgain, "consecutive retransmissions are allowed");
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, again));
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void ssrcLimitRefusesNewSsrcsWithAnErrorCode(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = c.on(SrtpSession.forSending(p, key(p), salt(p), 2));
        SrtpSession rx = c.on(SrtpSession.forReceiving(p, key(p), salt(p), 2, 64));
        SrtpSession unlimited = sender(c);
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, protect(tx, 1, 1)));
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, protect(tx, 2, 1)));
        byte[] third = rtp(3, 1, PAYLOAD);
        assertEquals(SrtpError.TOO_MANY_SSRCS, tx.protectRtp(third, 0, rtpLength(PAYLOAD)));
        assertEquals(SrtpError.TOO_MANY_SSRCS, unprotect(rx, protect(unlimited, 3, 1)));
        assertEquals(2, rx.rtpSsrcCount());

        rx.removeSsrc(1);
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, protect(unlimited, 3, 2)), "a freed slot is reusable");
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void forgedPacketsFromUnknownSsrcsUseNoSlot(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession rx = c.on(SrtpSession.forReceiving(p, key(p), salt(p), 1, 64));
        SrtpSession other = c.on(SrtpSession.forSending(p, new byte[p.keyLength()], salt(p)));
        for (int ssrc = 100; ssrc < 110; ssrc++) {
            assertEquals(SrtpError.AUTH_FAILED, unprotect(rx, protect(other, ssrc, 1)));
        }
        assertEquals(0, rx.rtpSsrcCount());
        assertEquals(rtpLength(PAYLOAD), unprotect(rx, protect(sender(c), SSRC, 1)));
        assertEquals(1, rx.rtpSsrcCount());
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void rtcpRoundTripAndReplay(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = sender(c);
        SrtpSession rx = receiver(c);
        byte[][] sent = new byte[5][];
        for (int i = 0; i < sent.length; i++) {
            byte[] plain = rtcp(SSRC, i);
            byte[] buf = plain.clone();
            int len = tx.protectRtcp(buf, 0, RTCP_LENGTH);
            assertEquals(RTCP_LENGTH + p.rtcpTrailerLength(), len);
            sent[i] = Arrays.copyOf(buf, len);
            byte[] copy = sent[i].clone();
            assertEquals(RTCP_LENGTH, rx.unprotectRtcp(copy, 0, copy.length));
            assertArrayEquals(Arrays.copyOf(plain, RTCP_LENGTH), Arrays.copyOf(copy, RTCP_LENGTH));
        }
        byte[] replay = sent[2].clone();
        assertEquals(SrtpError.REPLAYED, rx.unprotectRtcp(replay, 0, replay.length));
        byte[] genuine = rtcp(SSRC, 9);
        int len = tx.protectRtcp(genuine, 0, RTCP_LENGTH);
        byte[] forged = Arrays.copyOf(genuine, len);
        forged[10] ^= 0x40;
        assertEquals(SrtpError.AUTH_FAILED, rx.unprotectRtcp(forged, 0, forged.length));
        assertEquals(RTCP_LENGTH, rx.unprotectRtcp(genuine, 0, len), "the genuine packet still passes");
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void malformedInputGetsErrorCodes(TestCipher c) {
        SrtpProfile p = c.profile;
        SrtpSession tx = sender(c);
        SrtpSession rx = receiver(c);
        byte[] shortPacket = new byte[40];
        shortPacket[0] = (byte) 0x80;
        assertEquals(SrtpError.TOO_SHORT, tx.protectRtp(shortPacket, 0, 11));
        assertEquals(SrtpError.TOO_SHORT, rx.unprotectRtp(shortPacket, 0, 12 + p.rtpTrailerLength() - 1));
        assertEquals(SrtpError.TOO_SHORT, rx.unprotectRtcp(shortPacket, 0, 8 + p.rtcpTrailerLength() - 1));
        byte[] versionOne = rtp(SSRC, 1, 20);
        versionOne[0] = 0x40;
        assertEquals(SrtpError.MALFORMED, tx.protectRtp(versionOne, 0, rtpLength(20)));
        byte[] extensionBeyondEnd = rtp(SSRC, 1, 20);
        extensionBeyondEnd[0] = (byte) 0x90;
        extensionBeyondEnd[15] = 100;
        assertEquals(SrtpError.MALFORMED, tx.protectRtp(extensionBeyondEnd, 0, rtpLength(20)));
        byte[] noRoom = Arrays.copyOf(rtp(SSRC, 1, 20), rtpLength(20));
        assertEquals(SrtpError.BUFFER_TOO_SMALL, tx.protectRtp(noRoom, 0, noRoom.length));
        assertEquals(SrtpError.MALFORMED, tx.protectRtp(noRoom, 10, noRoom.length));
        assertEquals(SrtpError.WRONG_DIRECTION, rx.protectRtp(rtp(SSRC, 1, 20), 0, rtpLength(20)));
        assertEquals(SrtpError.WRONG_DIRECTION, tx.unprotectRtcp(rtcp(SSRC, 1), 0, RTCP_LENGTH));
    }
}
