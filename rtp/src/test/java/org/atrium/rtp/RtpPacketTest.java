package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketTest {
    /** Opus as Chrome sends it: PT 111, one-byte extensions audio level (1), transport-cc (3), mid (4). */
    static final String CHROME_OPUS = """
        90 6f 4e 21   # V=2 X=1 | PT 111 | seq 20001
        5c 1a 3b 80   # timestamp 1545223040
        3a 4f 9c 1d   # SSRC
        be de 00 02   # RFC 8285 one-byte form, 2 words
        10 a5         # id 1 L=0: audio level V=1 level 37
        31 00 2a      # id 3 L=1: transport-wide sequence 42
        40 30         # id 4 L=0: mid "0"
        00            # padding
        78 0b e4 c1 36 a0   # Opus TOC + frame
        """;

    static Stream<Arguments> wellFormed() {
        return Stream.of(
            // name, hex, marker, pt, seq, ts, ssrc, csrcs, headerLength, payloadLength, paddingLength
            Arguments.of("chrome opus with extensions", CHROME_OPUS,
                false, 111, 20001, 0x5c1a3b80L, 0x3a4f9c1dL, 0, 24, 6, 0),
            Arguments.of("minimal header, empty payload", "80 60 00 00 | 00 00 00 00 | 00 00 00 01",
                false, 96, 0, 0L, 1L, 0, 12, 0, 0),
            Arguments.of("marker, two CSRCs, max field values", """
                82 ff ff ff | ff ff ff ff | ff ff ff fe   # CC=2 M=1 PT 127 seq 65535
                00 00 00 0a | 00 00 00 0b                 # CSRCs
                de ad
                """, true, 127, 65535, 0xffffffffL, 0xfffffffeL, 2, 20, 2, 0),
            Arguments.of("padding 3 (count included)", """
                a0 60 00 07 | 00 00 10 00 | 00 00 00 02   # P=1
                11 22 33 | 00 00 03
                """, false, 96, 7, 0x1000L, 2L, 0, 12, 3, 3),
            Arguments.of("padding is the whole rest", "a0 60 00 07 | 00 00 10 00 | 00 00 00 02 | 00 00 00 04",
                false, 96, 7, 0x1000L, 2L, 0, 12, 0, 4),
            Arguments.of("extension block of length 0", "90 60 00 01 | 00 00 00 00 | 00 00 00 03 | be de 00 00 | ff",
                false, 96, 1, 0L, 3L, 0, 16, 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void readsWellFormedPackets(String name, String hex, boolean marker, int pt, int seq, long ts, long ssrc,
                                int csrcs, int headerLength, int payloadLength, int paddingLength) {
        byte[] packet = Hex.bytes(hex);
        int off = 5;
        byte[] b = Hex.at(off, packet);
        int len = packet.length;

        assertNull(RtpPacket.validate(b, off, len));
        assertEquals(2, RtpPacket.version(b, off));
        assertEquals(marker, RtpPacket.marker(b, off));
        assertEquals(pt, RtpPacket.payloadType(b, off));
        assertEquals(seq, RtpPacket.sequenceNumber(b, off));
        assertEquals(ts, RtpPacket.timestamp(b, off));
        assertEquals(ssrc, RtpPacket.ssrc(b, off));
        assertEquals(csrcs, RtpPacket.csrcCount(b, off));
        assertEquals(headerLength, RtpPacket.headerLength(b, off, len));
        assertEquals(off + headerLength, RtpPacket.payloadOffset(b, off, len));
        assertEquals(payloadLength, RtpPacket.payloadLength(b, off, len));
        assertEquals(paddingLength, RtpPacket.paddingLength(b, off, len));
        assertEquals(paddingLength > 0, RtpPacket.hasPadding(b, off));
    }

    @Test
    void readsCsrcsAndExtensionBlock() {
        byte[] b = Hex.bytes("92 60 00 01 | 00 00 00 00 | 00 00 00 03 | 00 00 00 0a | 00 00 00 0b"
            + "| 10 00 00 01 | 01 01 77 00 | aa");
        assertNull(RtpPacket.validate(b, 0, b.length));
        assertEquals(0x0aL, RtpPacket.csrc(b, 0, 0));
        assertEquals(0x0bL, RtpPacket.csrc(b, 0, 1));
        assertEquals(0x1000, RtpPacket.extensionProfile(b, 0, b.length));
        assertEquals(24, RtpPacket.extensionOffset(b, 0, b.length));
        assertEquals(4, RtpPacket.extensionLength(b, 0, b.length));
    }

    @Test
    void extensionAccessorsReportAbsence() {
        byte[] b = Hex.bytes("80 60 00 01 | 00 00 00 00 | 00 00 00 03 | aa");
        assertFalse(RtpPacket.hasExtension(b, 0));
        assertEquals(-1, RtpPacket.extensionOffset(b, 0, b.length));
        assertEquals(-1, RtpPacket.extensionLength(b, 0, b.length));
        assertEquals(-1, RtpPacket.extensionProfile(b, 0, b.length));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("empty", "", PacketError.TOO_SHORT),
            Arguments.of("11 bytes", "80 60 00 01 | 00 00 00 00 | 00 00 00", PacketError.TOO_SHORT),
            Arguments.of("version 1", "40 60 00 01 | 00 00 00 00 | 00 00 00 03", PacketError.BAD_VERSION),
            Arguments.of("version 0 (STUN-like)", "00 01 00 00 | 21 12 a4 42 | 00 00 00 00", PacketError.BAD_VERSION),
            Arguments.of("CC=1 without CSRC", "81 60 00 01 | 00 00 00 00 | 00 00 00 03", PacketError.BAD_CSRC_COUNT),
            Arguments.of("CC=15 in a short packet", "8f 60 00 01 | 00 00 00 00 | 00 00 00 03 | 00 00 00 0a",
                PacketError.BAD_CSRC_COUNT),
            Arguments.of("X=1 without extension header", "90 60 00 01 | 00 00 00 00 | 00 00 00 03 | be de",
                PacketError.BAD_EXTENSION_LENGTH),
            Arguments.of("extension length past end", "90 60 00 01 | 00 00 00 00 | 00 00 00 03 | be de 00 02 | 10 aa 00 00",
                PacketError.BAD_EXTENSION_LENGTH),
            Arguments.of("extension length 0xffff", "90 60 00 01 | 00 00 00 00 | 00 00 00 03 | be de ff ff",
                PacketError.BAD_EXTENSION_LENGTH),
            Arguments.of("padding count 0", "a0 60 00 01 | 00 00 00 00 | 00 00 00 03 | aa 00", PacketError.BAD_PADDING),
            Arguments.of("padding larger than payload", "a0 60 00 01 | 00 00 00 00 | 00 00 00 03 | aa 03",
                PacketError.BAD_PADDING),
            Arguments.of("padding with no room at all", "a0 60 00 01 | 00 00 00 00 | 00 00 00 03", PacketError.BAD_PADDING),
            Arguments.of("padding reaching into the extension",
                "b0 60 00 01 | 00 00 00 00 | 00 00 00 03 | be de 00 01 | 10 aa 00 00 | 05", PacketError.BAD_PADDING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedPackets(String name, String hex, PacketError expected) {
        byte[] b = Hex.at(3, Hex.bytes(hex));
        assertEquals(expected, RtpPacket.validate(b, 3, b.length - 3 - 7));
    }

    @Test
    void rejectsRangesOutsideTheBuffer() {
        byte[] b = new byte[20];
        assertEquals(PacketError.OUT_OF_BOUNDS, RtpPacket.validate(b, 10, 12));
        assertEquals(PacketError.OUT_OF_BOUNDS, RtpPacket.validate(b, -1, 12));
        assertEquals(PacketError.OUT_OF_BOUNDS, RtpPacket.validate(b, 0, -1));
        assertEquals(PacketError.OUT_OF_BOUNDS, RtpPacket.validate(null, 0, 0));
    }

    @Test
    void settersRewriteOnlyTheirField() {
        byte[] original = Hex.bytes(CHROME_OPUS);
        byte[] b = original.clone();
        RtpPacket.setMarker(b, 0, true);
        RtpPacket.setPayloadType(b, 0, 100);
        RtpPacket.setSequenceNumber(b, 0, 0xfffe);
        RtpPacket.setTimestamp(b, 0, 0xfedcba98L);
        RtpPacket.setSsrc(b, 0, 0x87654321L);

        assertTrue(RtpPacket.marker(b, 0));
        assertEquals(100, RtpPacket.payloadType(b, 0));
        assertEquals(0xfffe, RtpPacket.sequenceNumber(b, 0));
        assertEquals(0xfedcba98L, RtpPacket.timestamp(b, 0));
        assertEquals(0x87654321L, RtpPacket.ssrc(b, 0));
        assertEquals(original[0], b[0]);
        assertArrayEquals(Arrays.copyOfRange(original, 12, original.length), Arrays.copyOfRange(b, 12, b.length));

        RtpPacket.setMarker(b, 0, false);
        RtpPacket.setPayloadType(b, 0, 111);
        RtpPacket.setSequenceNumber(b, 0, 20001);
        RtpPacket.setTimestamp(b, 0, 0x5c1a3b80L);
        RtpPacket.setSsrc(b, 0, 0x3a4f9c1dL);
        assertArrayEquals(original, b);
    }

    @Test
    void writeHeaderThenExtensionsRebuildsTheChromePacket() {
        byte[] expected = Hex.bytes(CHROME_OPUS);
        byte[] b = new byte[expected.length];
        int n = RtpPacket.writeHeader(b, 0, false, 111, 20001, 0x5c1a3b80L, 0x3a4f9c1dL);
        RtpPacket.setExtension(b, 0, true);
        ExtensionBlockWriter w = new ExtensionBlockWriter();
        w.start(b, n, false);
        assertTrue(w.add(1, new byte[] {(byte) 0xa5}, 0, 1));
        assertTrue(w.add(3, new byte[] {0x00, 0x2a}, 0, 2));
        assertTrue(w.add(4, new byte[] {'0'}, 0, 1));
        n += w.finish();
        byte[] payload = Hex.bytes("78 0b e4 c1 36 a0");
        System.arraycopy(payload, 0, b, n, payload.length);

        assertEquals(expected.length, n + payload.length);
        assertArrayEquals(expected, b);
    }
}
