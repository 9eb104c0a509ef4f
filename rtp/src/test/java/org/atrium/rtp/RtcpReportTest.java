package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtcpReportTest {
    private static final int OFF = 5;

    @Test
    void receiverReportReadsAndRoundTrips() {
        byte[] packet = Hex.bytes(RtcpPackets.RR);
        byte[] b = Hex.at(OFF, packet);
        assertTrue(ReceiverReport.is(b, OFF, packet.length));
        assertEquals(0xfa17fa17L, ReceiverReport.senderSsrc(b, OFF));
        assertEquals(1, ReceiverReport.reportCount(b, OFF));
        int block = ReceiverReport.reportBlockOffset(b, OFF, 0);
        assertEquals(0x12345678L, ReportBlock.ssrc(b, block));
        assertEquals(5, ReportBlock.fractionLost(b, block));
        assertEquals(42, ReportBlock.cumulativeLost(b, block));
        assertEquals(0x12345L, ReportBlock.highestSequence(b, block));
        assertEquals(27L, ReportBlock.jitter(b, block));
        assertEquals(0xd20f3c11L, ReportBlock.lastSr(b, block));
        assertEquals(0x18000L, ReportBlock.delaySinceLastSr(b, block));

        byte[] out = Hex.at(OFF, new byte[packet.length]);
        assertEquals(32, ReceiverReport.write(out, OFF, 0xfa17fa17L, 1));
        assertEquals(24, ReportBlock.write(out, ReceiverReport.reportBlockOffset(out, OFF, 0),
            0x12345678L, 5, 42, 0x12345L, 27, 0xd20f3c11L, 0x18000L));
        assertArrayEquals(b, out);
    }

    @Test
    void emptyReceiverReport() {
        byte[] b = new byte[8];
        assertEquals(8, ReceiverReport.write(b, 0, 0x01020304L, 0));
        assertEquals("80c9000101020304", Hex.of(b, 0, 8));
        assertNull(RtcpCompound.validate(b, 0, 8));
    }

    static Stream<Arguments> cumulativeLost() {
        return Stream.of(
            // written, bytes, read back
            Arguments.of(-1, "ffffff", -1),
            Arguments.of(-3, "fffffd", -3),
            Arguments.of(0x7fffff, "7fffff", 0x7fffff),
            Arguments.of(0x1000000, "7fffff", 0x7fffff),
            Arguments.of(-0x800000, "800000", -0x800000),
            Arguments.of(-0x900000, "800000", -0x800000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cumulativeLost")
    void cumulativeLostIsSigned24BitAndSaturates(int written, String bytes, int read) {
        byte[] b = new byte[24];
        ReportBlock.write(b, 0, 1, 0, written, 0, 0, 0, 0);
        assertEquals(bytes, Hex.of(b, 5, 3));
        assertEquals(read, ReportBlock.cumulativeLost(b, 0));
    }

    @Test
    void senderReportReadsAndRoundTrips() {
        byte[] packet = Hex.bytes(RtcpPackets.SR);
        byte[] b = Hex.at(OFF, packet);
        assertTrue(SenderReport.is(b, OFF, packet.length));
        assertEquals(0x12345678L, SenderReport.senderSsrc(b, OFF));
        assertEquals(0xe94c0f2a80000000L, SenderReport.ntpTimestamp(b, OFF));
        assertEquals(0x0f2a8000L, SenderReport.compactNtp(b, OFF));
        assertEquals(123456L, SenderReport.rtpTimestamp(b, OFF));
        assertEquals(100L, SenderReport.packetCount(b, OFF));
        assertEquals(16000L, SenderReport.octetCount(b, OFF));
        assertEquals(0, SenderReport.reportCount(b, OFF));

        byte[] out = Hex.at(OFF, new byte[packet.length]);
        assertEquals(28, SenderReport.write(out, OFF, 0x12345678L, 0xe94c0f2a80000000L, 123456, 100, 16000, 0));
        assertArrayEquals(b, out);
    }

    @Test
    void senderReportWithTwoBlocksRoundTrips() {
        byte[] b = new byte[28 + 48];
        assertEquals(76, SenderReport.write(b, 0, 1, 2L << 32 | 3, 4, 5, 6, 2));
        ReportBlock.write(b, SenderReport.reportBlockOffset(b, 0, 0), 10, 1, 2, 3, 4, 5, 6);
        ReportBlock.write(b, SenderReport.reportBlockOffset(b, 0, 1), 20, 255, -7, 0xffffffffL, 8, 9, 10);
        assertNull(RtcpCompound.validate(b, 0, b.length));
        assertTrue(SenderReport.is(b, 0, b.length));
        assertEquals(2, SenderReport.reportCount(b, 0));
        int second = SenderReport.reportBlockOffset(b, 0, 1);
        assertEquals(20L, ReportBlock.ssrc(b, second));
        assertEquals(255, ReportBlock.fractionLost(b, second));
        assertEquals(-7, ReportBlock.cumulativeLost(b, second));
        assertEquals(0xffffffffL, ReportBlock.highestSequence(b, second));
        assertEquals(10L, ReportBlock.delaySinceLastSr(b, second));
        assertEquals(-1, SenderReport.write(new byte[75], 0, 1, 2, 3, 4, 5, 2), "no room");
        assertEquals(-1, SenderReport.write(new byte[1024], 0, 1, 2, 3, 4, 5, 32), "RC is 5 bits");
    }

    @Test
    void reportsRejectCountsBeyondTheirLength() {
        byte[] rr = Hex.bytes("81 c9 00 01 | fa 17 fa 17");
        assertFalse(ReceiverReport.is(rr, 0, rr.length));
        byte[] sr = Hex.bytes(RtcpPackets.SR);
        sr[0] = (byte) 0x81;
        assertFalse(SenderReport.is(sr, 0, sr.length));
        assertFalse(SenderReport.is(Hex.bytes(RtcpPackets.RR), 0, 32));
    }

    @Test
    void sdesReadsChromeCnameAndRoundTrips() {
        byte[] packet = Hex.bytes(RtcpPackets.SDES_CNAME);
        byte[] b = Hex.at(OFF, packet);
        assertTrue(Sdes.is(b, OFF, packet.length));
        assertEquals(1, Sdes.chunkCount(b, OFF));
        assertEquals("nFsi2wWx3BCn1ivE", Sdes.cname(b, OFF, packet.length));

        byte[] out = Hex.at(OFF, new byte[packet.length]);
        assertEquals(packet.length, Sdes.writeCname(out, OFF, 0xfa17fa17L, "nFsi2wWx3BCn1ivE"));
        assertArrayEquals(b, out);
    }

    static Stream<Arguments> cnameLengths() {
        // Chunk = SSRC + type + length + text + 1..4 null octets, a multiple of 4.
        return Stream.of(Arguments.of("", 12), Arguments.of("a", 12), Arguments.of("ab", 16),
            Arguments.of("abc", 16), Arguments.of("abcde", 16), Arguments.of("abcdef", 20), Arguments.of("x".repeat(255), 268));
    }

    @ParameterizedTest(name = "[{index}] packet of {1} bytes")
    @MethodSource("cnameLengths")
    void sdesCnameEndsWithNullOctetsTo32Bits(String cname, int expectedLength) {
        byte[] b = new byte[300];
        assertEquals(expectedLength, Sdes.writeCname(b, 0, 9, cname));
        assertEquals(0, b[expectedLength - 1]);
        assertNull(RtcpCompound.validate(b, 0, expectedLength));
        assertEquals(cname, Sdes.cname(b, 0, expectedLength));
    }

    @Test
    void sdesWriteRefusesLongCnameAndNoRoom() {
        assertEquals(-1, Sdes.writeCname(new byte[400], 0, 1, "x".repeat(256)));
        assertEquals(-1, Sdes.writeCname(new byte[11], 0, 1, "a"));
    }

    @Test
    void sdesIteratesItemsOfSeveralChunks() {
        byte[] b = Hex.bytes("""
            82 ca 00 06   # SC=2 | SDES | length 6
            00 00 00 01   # chunk 1
            01 01 61      # CNAME "a"
            06 01 62      # TOOL "b"
            00 00         # END, pad
            00 00 00 02   # chunk 2
            01 02 63 64   # CNAME "cd"
            00 00 00 00   # END, pad
            """);
        assertNull(RtcpCompound.validate(b, 0, b.length));
        SdesIterator it = new SdesIterator();
        it.reset(b, 0, b.length);
        StringBuilder seen = new StringBuilder();
        while (it.nextItem()) {
            seen.append(it.ssrc()).append(':').append(it.itemType()).append('=')
                .append(new String(b, it.itemOffset(), it.itemLength(), java.nio.charset.StandardCharsets.US_ASCII))
                .append(' ');
        }
        assertNull(it.error());
        assertEquals("1:1=a 1:6=b 2:1=cd ", seen.toString());
    }

    static Stream<Arguments> malformedSdes() {
        return Stream.of(
            Arguments.of("item length beyond packet", "81 ca 00 02 | 00 00 00 01 | 01 09 61 00"),
            Arguments.of("chunk without END", "81 ca 00 02 | 00 00 00 01 | 01 02 61 62"),
            Arguments.of("SC=2 with one chunk", "82 ca 00 02 | 00 00 00 01 | 01 01 61 00"),
            Arguments.of("length beyond buffer", "81 ca 00 05 | 00 00 00 01 | 01 01 61 00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedSdes")
    void sdesIteratorReportsMalformedChunks(String name, String hex) {
        byte[] b = Hex.bytes(hex);
        SdesIterator it = new SdesIterator();
        it.reset(b, 0, b.length);
        while (it.nextItem()) {
            assertTrue(it.itemOffset() + it.itemLength() <= b.length);
        }
        assertEquals(PacketError.BAD_RTCP_LENGTH, it.error());
    }

    @Test
    void byeReadsAndRoundTrips() {
        byte[] packet = Hex.bytes(RtcpPackets.BYE);
        byte[] b = Hex.at(OFF, packet);
        assertTrue(Bye.is(b, OFF, packet.length));
        assertEquals(1, Bye.ssrcCount(b, OFF));
        assertEquals(0x12345678L, Bye.ssrc(b, OFF, 0));
        assertEquals(5, Bye.reasonLength(b, OFF));
        assertEquals("close", Bye.reason(b, OFF));

        byte[] out = Hex.at(OFF, new byte[packet.length]);
        assertEquals(packet.length, Bye.write(out, OFF, new long[] {0x12345678L}, 1, "close"));
        assertArrayEquals(b, out);
    }

    @Test
    void byeWithoutReason() {
        byte[] b = new byte[12];
        assertEquals(12, Bye.write(b, 0, new long[] {1, 2}, 2, null));
        assertEquals("82cb0002" + "00000001" + "00000002", Hex.of(b, 0, 12));
        assertEquals(-1, Bye.reasonOffset(b, 0));
        assertEquals(-1, Bye.reasonLength(b, 0));
        assertNull(Bye.reason(b, 0));
        assertEquals(2L, Bye.ssrc(b, 0, 1));
    }

    @Test
    void byeReasonOverrunningThePacketIsIgnored() {
        byte[] b = Hex.bytes("81 cb 00 02 | 00 00 00 01 | 09 61 62 63");
        assertTrue(Bye.is(b, 0, b.length));
        assertNull(Bye.reason(b, 0));
    }
}
