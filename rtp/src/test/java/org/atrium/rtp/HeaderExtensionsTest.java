package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeaderExtensionsTest {
    private static final String RTP_X = "90 60 00 01 | 00 00 00 00 | 00 00 00 03 ";

    /** The one-byte example of RFC 8285 4.2 with ids 1, 2, 3 and two padding bytes. */
    static final String RFC8285_ONE_BYTE = RTP_X + """
        be de 00 03
        10 aa         # id 1 L=0: 1 byte
        21 bb bb      # id 2 L=1: 2 bytes
        00 00         # padding
        33 cc cc cc cc   # id 3 L=3: 4 bytes
        99            # payload
        """;

    /** The two-byte example of RFC 8285 4.3 with ids 1, 2, 3. */
    static final String RFC8285_TWO_BYTE = RTP_X + """
        10 00 00 03
        01 00         # id 1, length 0
        02 01 aa      # id 2, length 1
        00            # padding
        03 04 cc cc cc cc   # id 3, length 4
        99
        """;

    static Stream<Arguments> finds() {
        return Stream.of(
            // name, packet, id, expected data hex or null when absent
            Arguments.of("one-byte id 1", RFC8285_ONE_BYTE, 1, "aa"),
            Arguments.of("one-byte id 2", RFC8285_ONE_BYTE, 2, "bbbb"),
            Arguments.of("one-byte id 3 after padding", RFC8285_ONE_BYTE, 3, "cccccccc"),
            Arguments.of("one-byte absent id", RFC8285_ONE_BYTE, 4, null),
            Arguments.of("two-byte empty element", RFC8285_TWO_BYTE, 1, ""),
            Arguments.of("two-byte id 2", RFC8285_TWO_BYTE, 2, "aa"),
            Arguments.of("two-byte id 3 after padding", RFC8285_TWO_BYTE, 3, "cccccccc"),
            Arguments.of("two-byte absent id", RFC8285_TWO_BYTE, 200, null),
            Arguments.of("two-byte with app bits 0x100f", RTP_X + "10 0f 00 01 | 07 01 ab 00", 7, "ab"),
            Arguments.of("chrome mid", RtpPacketTest.CHROME_OPUS, 4, "30"),
            Arguments.of("chrome transport-cc", RtpPacketTest.CHROME_OPUS, 3, "002a"),
            Arguments.of("id 15 ends parsing (RFC 8285 4.2)", RTP_X + "be de 00 01 | f0 10 aa 00", 1, null),
            Arguments.of("one-byte element overruns block", RTP_X + "be de 00 01 | 10 aa 13 bb", 1, "aa"),
            Arguments.of("element after an overrun is not found", RTP_X + "be de 00 01 | 13 aa bb cc | 20 dd 00 00", 2, null),
            Arguments.of("two-byte length overruns block", RTP_X + "10 00 00 01 | 01 05 aa bb", 1, null),
            Arguments.of("two-byte id byte alone at block end", RTP_X + "10 00 00 01 | 00 00 00 02", 2, null),
            Arguments.of("profile not RFC 8285", RTP_X + "12 34 00 01 | 10 aa 00 00", 1, null),
            Arguments.of("no extension", "80 60 00 01 | 00 00 00 00 | 00 00 00 03 | 10 aa", 1, null),
            Arguments.of("id 0 is never an element", RFC8285_ONE_BYTE, 0, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finds")
    void findsElements(String name, String packetHex, int id, String expectedData) {
        byte[] packet = Hex.bytes(packetHex);
        int off = 9;
        byte[] b = Hex.at(off, packet);
        assertNull(RtpPacket.validate(b, off, packet.length));

        long found = HeaderExtensions.find(b, off, packet.length, id);

        if (expectedData == null) {
            assertEquals(-1, found);
        } else {
            assertTrue(found >= 0);
            assertEquals(expectedData, Hex.of(b, HeaderExtensions.dataOffset(found), HeaderExtensions.dataLength(found)));
        }
    }

    static Stream<Arguments> copies() {
        return Stream.of(
            // name, source packet, id map "from=to ...", expected packet
            Arguments.of("strip mid, keep audio level and transport-cc", RtpPacketTest.CHROME_OPUS, "1=1 3=3", """
                90 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                be de 00 02 | 10 a5 31 00 | 2a 00 00 00
                78 0b e4 c1 36 a0
                """),
            Arguments.of("keep only audio level", RtpPacketTest.CHROME_OPUS, "1=1", """
                90 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                be de 00 01 | 10 a5 00 00
                78 0b e4 c1 36 a0
                """),
            Arguments.of("remap ids within the one-byte form", RtpPacketTest.CHROME_OPUS, "1=2 3=5 4=14", """
                90 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                be de 00 02 | 20 a5 51 00 | 2a e0 30 00
                78 0b e4 c1 36 a0
                """),
            Arguments.of("nothing kept: block and X bit removed", RtpPacketTest.CHROME_OPUS, "", """
                80 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                78 0b e4 c1 36 a0
                """),
            Arguments.of("ids beyond the map are dropped", RtpPacketTest.CHROME_OPUS, "1=1 2=2", """
                90 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                be de 00 01 | 10 a5 00 00
                78 0b e4 c1 36 a0
                """),
            Arguments.of("id 15 needs the two-byte form", RtpPacketTest.CHROME_OPUS, "1=15", """
                90 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                10 00 00 01 | 0f 01 a5 00
                78 0b e4 c1 36 a0
                """),
            Arguments.of("id 200 needs the two-byte form", RtpPacketTest.CHROME_OPUS, "1=1 3=200", """
                90 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                10 00 00 02 | 01 01 a5 c8 | 02 00 2a 00
                78 0b e4 c1 36 a0
                """),
            Arguments.of("two-byte source fits one-byte", RFC8285_TWO_BYTE, "2=2 3=3", RTP_X + """
                be de 00 02 | 20 aa 33 cc | cc cc cc 00
                99
                """),
            Arguments.of("empty element keeps the two-byte form", RFC8285_TWO_BYTE, "1=1 2=2", RTP_X + """
                10 00 00 02 | 01 00 02 01 | aa 00 00 00
                99
                """),
            Arguments.of("one-byte source, padding skipped", RFC8285_ONE_BYTE, "1=1 2=2 3=3", RTP_X + """
                be de 00 03 | 10 aa 21 bb | bb 33 cc cc | cc cc 00 00
                99
                """),
            Arguments.of("CSRCs and RTP padding preserved", """
                b2 60 00 05 | 00 00 00 00 | 00 00 00 03 | 00 00 00 0a | 00 00 00 0b
                be de 00 01 | 10 aa 00 00
                11 22 | 00 02
                """, "", """
                a2 60 00 05 | 00 00 00 00 | 00 00 00 03 | 00 00 00 0a | 00 00 00 0b
                11 22 | 00 02
                """),
            Arguments.of("elements after id 15 are dropped", RTP_X + "be de 00 01 | 10 aa f0 20 | 99", "1=1 2=2", RTP_X + """
                be de 00 01 | 10 aa 00 00
                99
                """),
            Arguments.of("profile not RFC 8285 is dropped", RTP_X + "12 34 00 01 | 10 aa 00 00 | 99", "1=1", """
                80 60 00 01 | 00 00 00 00 | 00 00 00 03 | 99
                """),
            Arguments.of("no extension: copied as is", "80 60 00 01 | 00 00 00 00 | 00 00 00 03 | 99", "1=1",
                "80 60 00 01 | 00 00 00 00 | 00 00 00 03 | 99"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("copies")
    void copiesWithRebuiltExtensions(String name, String sourceHex, String map, String expectedHex) {
        byte[] source = Hex.bytes(sourceHex);
        byte[] expected = Hex.bytes(expectedHex);
        int srcOff = 3;
        byte[] src = Hex.at(srcOff, source);
        assertNull(RtpPacket.validate(src, srcOff, source.length));
        int dstOff = 6;
        byte[] dst = new byte[dstOff + expected.length];

        int written = HeaderExtensions.copyWithExtensions(src, srcOff, source.length, dst, dstOff, idMap(map));

        assertEquals(expected.length, written);
        assertEquals(Hex.of(expected, 0, expected.length), Hex.of(dst, dstOff, written));
        assertNull(RtpPacket.validate(dst, dstOff, written));
        assertEquals(Hex.of(source, 0, source.length), Hex.of(src, srcOff, source.length), "source untouched");
    }

    static Stream<Arguments> copiesWithAddedElement() {
        return Stream.of(
            Arguments.of("added after the kept ones, one-byte form", RFC8285_ONE_BYTE, "1=1 3=3", 5, 2, RTP_X + """
                be de 00 03 | 10 aa 33 cc | cc cc cc 51 | 00 00 00 00
                99
                """),
            Arguments.of("the only element of a packet without extensions", "80 60 00 01 | 00 00 00 00 | 00 00 00 03 | 99",
                "", 3, 2, RTP_X + """
                be de 00 01 | 31 00 00 00
                99
                """),
            Arguments.of("the source's element of that id mapped away", RTP_X + "be de 00 01 | 31 12 34 00 | 99", "", 3, 2,
                RTP_X + """
                be de 00 01 | 31 00 00 00
                99
                """),
            Arguments.of("two-byte form kept for the added element too", RFC8285_TWO_BYTE, "1=1 2=2", 3, 2, RTP_X + """
                10 00 00 03 | 01 00 02 01 | aa 03 02 00 | 00 00 00 00
                99
                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("copiesWithAddedElement")
    void appendsAnElementToFillInLater(String name, String sourceHex, String map, int id, int length,
            String expectedHex) {
        byte[] source = Hex.bytes(sourceHex);
        byte[] expected = Hex.bytes(expectedHex);
        byte[] dst = new byte[expected.length];

        int written = HeaderExtensions.copyWithExtensions(source, 0, source.length, dst, 0, idMap(map), id, length);

        assertEquals(Hex.of(expected, 0, expected.length), Hex.of(dst, 0, Math.max(0, written)));
        assertNull(RtpPacket.validate(dst, 0, written));
        long found = HeaderExtensions.find(dst, 0, written, id);
        assertEquals(length, HeaderExtensions.dataLength(found));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("copies")
    void refusesDestinationsOneByteTooSmall(String name, String sourceHex, String map, String expectedHex) {
        byte[] source = Hex.bytes(sourceHex);
        int expectedLength = Hex.bytes(expectedHex).length;
        byte[] dst = new byte[2 + expectedLength - 1];
        byte[] untouched = dst.clone();

        assertEquals(-1, HeaderExtensions.copyWithExtensions(source, 0, source.length, dst, 2, idMap(map)));
        assertEquals(Hex.of(untouched, 0, untouched.length), Hex.of(dst, 0, dst.length));
    }

    @Test
    void idsBeyondAShortMapAreDropped() {
        byte[] src = Hex.bytes(RtpPacketTest.CHROME_OPUS);
        byte[] dst = new byte[64];
        int n = HeaderExtensions.copyWithExtensions(src, 0, src.length, dst, 0, new byte[] {0, 7});
        assertEquals(12 + 4 + 4 + 6, n);
        assertEquals("a5", dataOf(dst, n, 7));
        assertEquals(-1, HeaderExtensions.find(dst, 0, n, 3));
        assertEquals(-1, HeaderExtensions.find(dst, 0, n, 4));
    }

    @Test
    void nullMapDropsTheBlock() {
        byte[] src = Hex.bytes(RtpPacketTest.CHROME_OPUS);
        byte[] dst = new byte[64];
        int n = HeaderExtensions.copyWithExtensions(src, 0, src.length, dst, 0, null);
        assertEquals(src.length - 12, n);
        assertFalse(RtpPacket.hasExtension(dst, 0));
    }

    @Test
    void writerRoundTripsTheTwoByteExample() {
        byte[] expected = Hex.bytes(RTP_X + "10 00 00 03 | 01 00 02 01 | aa 03 04 cc | cc cc cc 00");
        byte[] b = new byte[expected.length];
        RtpPacket.writeHeader(b, 0, false, 96, 1, 0, 3);
        RtpPacket.setExtension(b, 0, true);
        ExtensionBlockWriter w = new ExtensionBlockWriter();
        w.start(b, 12, true);
        assertTrue(w.add(1, new byte[0], 0, 0));
        assertTrue(w.add(2, new byte[] {(byte) 0xaa}, 0, 1));
        assertTrue(w.add(3, Hex.bytes("cc cc cc cc"), 0, 4));
        assertEquals(16, w.finish());
        assertEquals(Hex.of(expected, 0, expected.length), Hex.of(b, 0, b.length));
        assertEquals("cccccccc", dataOf(b, b.length, 3));
    }

    @Test
    void writerRefusesWhatItsFormCannotCarry() {
        byte[] b = new byte[64];
        ExtensionBlockWriter w = new ExtensionBlockWriter();
        w.start(b, 12, false);
        assertFalse(w.add(15, new byte[1], 0, 1), "id 15 is reserved in the one-byte form");
        assertFalse(w.add(0, new byte[1], 0, 1));
        assertFalse(w.add(1, new byte[0], 0, 0), "one-byte elements carry at least 1 byte");
        assertFalse(w.add(1, new byte[17], 0, 17));
        assertTrue(w.add(1, new byte[16], 0, 16));
        assertEquals(4 + 20, w.finish());

        w.start(b, 12, true);
        assertFalse(w.add(256, new byte[1], 0, 1));
        assertFalse(w.add(1, new byte[256], 0, 256));
        assertFalse(w.add(1, new byte[60], 0, 60), "no room left in the buffer");
        assertTrue(w.add(255, new byte[3], 0, 3));
        assertEquals(4 + 8, w.finish());
    }

    static Stream<Arguments> remaps() {
        return Stream.of(
            // name, packet, id map "from=to ...", expected packet (same length, rewritten in place)
            Arguments.of("one-byte ids rewritten, lengths kept", RtpPacketTest.CHROME_OPUS, "1=2 3=5 4=6", """
                90 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                be de 00 02
                20 a5         # id 2 L=0
                51 00 2a      # id 5 L=1
                60 30         # id 6 L=0
                00
                78 0b e4 c1 36 a0
                """),
            Arguments.of("one-byte unmapped id erased into padding", RtpPacketTest.CHROME_OPUS, "1=1 4=4", """
                90 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                be de 00 02
                10 a5
                00 00 00      # was id 3 L=1: now three padding bytes
                40 30
                00
                78 0b e4 c1 36 a0
                """),
            Arguments.of("one-byte id mapped above 14 is erased", RtpPacketTest.CHROME_OPUS, "1=200 3=3 4=15", """
                90 6f 4e 21 | 5c 1a 3b 80 | 3a 4f 9c 1d
                be de 00 02
                00 00 | 31 00 2a | 00 00 | 00
                78 0b e4 c1 36 a0
                """),
            Arguments.of("padding bytes between elements left as they are", RFC8285_ONE_BYTE, "1=9 2=8 3=7", RTP_X + """
                be de 00 03
                90 aa | 81 bb bb | 00 00 | 73 cc cc cc cc
                99
                """),
            Arguments.of("one-byte id 15 ends the block: bytes after it untouched", RTP_X + """
                be de 00 02 | 10 aa f0 21 | bb bb 00 00 | 99
                """, "1=3 2=4", RTP_X + """
                be de 00 02 | 30 aa f0 21 | bb bb 00 00 | 99
                """),
            Arguments.of("two-byte ids rewritten, up to 255", RFC8285_TWO_BYTE, "1=14 2=200 3=255", RTP_X + """
                10 00 00 03
                0e 00         # id 14, length 0
                c8 01 aa      # id 200, length 1
                00
                ff 04 cc cc cc cc
                99
                """),
            Arguments.of("two-byte unmapped ids erased, empty element too", RFC8285_TWO_BYTE, "2=2", RTP_X + """
                10 00 00 03
                00 00
                02 01 aa
                00
                00 00 00 00 00 00
                99
                """),
            Arguments.of("two-byte app bits kept", RTP_X + "10 0f 00 01 | 07 01 ab 00 | 99", "7=3",
                RTP_X + "10 0f 00 01 | 03 01 ab 00 | 99"),
            Arguments.of("profile not RFC 8285: untouched", RTP_X + "12 34 00 01 | 10 aa 00 00 | 99", "1=2",
                RTP_X + "12 34 00 01 | 10 aa 00 00 | 99"),
            Arguments.of("no extension: untouched", "80 60 00 01 | 00 00 00 00 | 00 00 00 03 | 10 aa", "1=2",
                "80 60 00 01 | 00 00 00 00 | 00 00 00 03 | 10 aa"),
            Arguments.of("after CSRCs, with RTP padding", """
                b2 60 00 05 | 00 00 00 00 | 00 00 00 03 | 00 00 00 0a | 00 00 00 0b
                be de 00 01 | 10 aa 00 00
                11 22 | 00 02
                """, "1=5", """
                b2 60 00 05 | 00 00 00 00 | 00 00 00 03 | 00 00 00 0a | 00 00 00 0b
                be de 00 01 | 50 aa 00 00
                11 22 | 00 02
                """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("remaps")
    void remapsIdsInPlace(String name, String packetHex, String map, String expectedHex) {
        byte[] packet = Hex.bytes(packetHex);
        byte[] expected = Hex.bytes(expectedHex);
        int off = 5;
        byte[] b = Hex.at(off, packet);
        byte[] before = b.clone();

        assertNull(HeaderExtensions.remapIds(b, off, packet.length, wideIdMap(map)));

        assertEquals(Hex.of(expected, 0, expected.length), Hex.of(b, off, packet.length));
        assertEquals(Hex.of(before, 0, off), Hex.of(b, 0, off), "bytes before the packet");
        assertEquals(Hex.of(before, off + packet.length, b.length - off - packet.length),
                Hex.of(b, off + packet.length, b.length - off - packet.length), "bytes after the packet");
        assertNull(RtpPacket.validate(b, off, packet.length));
    }

    static Stream<Arguments> malformedRemaps() {
        return Stream.of(
            // name, packet (the X bit set), expected error
            Arguments.of("one-byte element overruns block", RTP_X + "be de 00 01 | 10 aa 13 bb | 99",
                PacketError.BAD_EXTENSION_ELEMENT),
            Arguments.of("two-byte length overruns block", RTP_X + "10 00 00 01 | 01 05 aa bb | 99",
                PacketError.BAD_EXTENSION_ELEMENT),
            Arguments.of("two-byte id byte alone at block end", RTP_X + "10 00 00 01 | 00 00 00 02",
                PacketError.BAD_EXTENSION_ELEMENT),
            Arguments.of("block length beyond the packet", RTP_X + "be de 00 02 | 10 aa 00 00",
                PacketError.BAD_EXTENSION_LENGTH),
            Arguments.of("no room for the block header", RTP_X + "be de",
                PacketError.BAD_EXTENSION_LENGTH),
            Arguments.of("CSRCs run past the packet", "9f 60 00 01 | 00 00 00 00 | 00 00 00 03 | be de 00 00",
                PacketError.BAD_EXTENSION_LENGTH),
            Arguments.of("shorter than the fixed header", "90 60 00 01 | 00 00 00 00 | 00 00 00",
                PacketError.TOO_SHORT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRemaps")
    void malformedBlocksAreReportedWithoutWritingOutsideThePacket(String name, String packetHex,
            PacketError expected) {
        byte[] packet = Hex.bytes(packetHex);
        int off = 5;
        byte[] b = Hex.at(off, packet);
        byte[] before = b.clone();

        assertEquals(expected, HeaderExtensions.remapIds(b, off, packet.length, wideIdMap("1=2 2=3")));

        assertEquals(Hex.of(before, 0, off), Hex.of(b, 0, off));
        assertEquals(Hex.of(before, off + packet.length, b.length - off - packet.length),
                Hex.of(b, off + packet.length, b.length - off - packet.length));
    }

    @Test
    void remapRefusesBoundsOutsideTheBuffer() {
        byte[] b = Hex.bytes(RtpPacketTest.CHROME_OPUS);
        byte[] before = b.clone();
        assertEquals(PacketError.OUT_OF_BOUNDS, HeaderExtensions.remapIds(b, 1, b.length, wideIdMap("1=2")));
        assertEquals(PacketError.OUT_OF_BOUNDS, HeaderExtensions.remapIds(b, -1, 12, wideIdMap("1=2")));
        assertEquals(PacketError.OUT_OF_BOUNDS, HeaderExtensions.remapIds(null, 0, 12, wideIdMap("1=2")));
        assertEquals(Hex.of(before, 0, before.length), Hex.of(b, 0, b.length));
    }

    @Test
    void remapWithANullOrShortMapErasesEveryElement() {
        byte[] b = Hex.bytes(RtpPacketTest.CHROME_OPUS);
        assertNull(HeaderExtensions.remapIds(b, 0, b.length, null));
        assertEquals("0000000000000000", Hex.of(b, 16, 8));
        b = Hex.bytes(RtpPacketTest.CHROME_OPUS);
        assertNull(HeaderExtensions.remapIds(b, 0, b.length, new byte[] {0, 1}));
        assertEquals("10a5000000000000", Hex.of(b, 16, 8));
    }

    private static byte[] wideIdMap(String map) {
        byte[] idMap = new byte[256];
        for (String pair : map.trim().split("\\s+")) {
            if (!pair.isEmpty()) {
                String[] fromTo = pair.split("=");
                idMap[Integer.parseInt(fromTo[0])] = (byte) Integer.parseInt(fromTo[1]);
            }
        }
        return idMap;
    }

    private static String dataOf(byte[] b, int len, int id) {
        long found = HeaderExtensions.find(b, 0, len, id);
        return Hex.of(b, HeaderExtensions.dataOffset(found), HeaderExtensions.dataLength(found));
    }

    private static byte[] idMap(String map) {
        byte[] idMap = new byte[15];
        for (String pair : map.trim().split("\\s+")) {
            if (!pair.isEmpty()) {
                String[] fromTo = pair.split("=");
                idMap[Integer.parseInt(fromTo[0])] = (byte) Integer.parseInt(fromTo[1]);
            }
        }
        return idMap;
    }
}
