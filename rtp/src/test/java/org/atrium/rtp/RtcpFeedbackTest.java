package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtcpFeedbackTest {
    private static final int OFF = 3;

    private static byte[] at(String hex) {
        return Hex.at(OFF, Hex.bytes(hex));
    }

    private static int len(String hex) {
        return Hex.bytes(hex).length;
    }

    @Test
    void pliReadsAndRoundTrips() {
        byte[] b = at(RtcpPackets.PLI);
        assertTrue(Pli.is(b, OFF, 12));
        assertEquals(0xfa17fa17L, RtcpFeedback.senderSsrc(b, OFF));
        assertEquals(0x12345678L, RtcpFeedback.mediaSsrc(b, OFF));
        assertEquals(0, RtcpFeedback.fciLength(b, OFF));
        assertEquals(OFF + 12, RtcpFeedback.fciOffset(b, OFF));

        byte[] out = Hex.at(OFF, new byte[12]);
        assertEquals(12, Pli.write(out, OFF, 0xfa17fa17L, 0x12345678L));
        assertArrayEquals(b, out);
    }

    @Test
    void firReadsAndRoundTrips() {
        byte[] b = at(RtcpPackets.FIR);
        assertTrue(Fir.is(b, OFF, 20));
        assertEquals(1, Fir.entryCount(b, OFF));
        assertEquals(0x12345678L, Fir.entrySsrc(b, OFF, 0));
        assertEquals(7, Fir.entrySequence(b, OFF, 0));
        assertEquals(0, RtcpFeedback.mediaSsrc(b, OFF));

        byte[] out = Hex.at(OFF, new byte[20]);
        assertEquals(20, Fir.write(out, OFF, 0xfa17fa17L, 0x12345678L, 7));
        assertArrayEquals(b, out);
    }

    @Test
    void firWithTwoEntries() {
        byte[] b = Hex.bytes("84 ce 00 06 | fa 17 fa 17 | 00 00 00 00 | 00 00 00 01 | 09 00 00 00 | 00 00 00 02 | ff 00 00 00");
        assertTrue(Fir.is(b, 0, b.length));
        assertEquals(2, Fir.entryCount(b, 0));
        assertEquals(2L, Fir.entrySsrc(b, 0, 1));
        assertEquals(255, Fir.entrySequence(b, 0, 1));
    }

    @Test
    void nackReadsLostSequences() {
        byte[] b = at(RtcpPackets.NACK);
        assertTrue(Nack.is(b, OFF, 16));
        assertEquals(1, Nack.pairCount(b, OFF));
        assertEquals(1234, Nack.pid(b, OFF, 0));
        assertEquals(5, Nack.blp(b, OFF, 0));
        assertEquals(3, Nack.lostCount(b, OFF));
        int[] lost = new int[17];
        assertEquals(3, Nack.lostSequences(b, OFF, lost));
        assertArrayEquals(new int[] {1234, 1235, 1237}, Arrays.copyOf(lost, 3));
        int[] small = new int[2];
        assertEquals(2, Nack.lostSequences(b, OFF, small), "stops when the output is full");
    }

    static Stream<Arguments> nackWrites() {
        return Stream.of(
            // name, lost sequence numbers, expected FCI
            Arguments.of("the capture above", new int[] {1234, 1235, 1237}, "04 d2 00 05"),
            Arguments.of("one", new int[] {7}, "00 07 00 00"),
            Arguments.of("full bitmask", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "00 00 ff ff"),
            Arguments.of("17 apart needs a second pair", new int[] {100, 117}, "00 64 00 00 | 00 75 00 00"),
            Arguments.of("across the wrap", new int[] {65534, 65535, 0, 3}, "ff fe 00 13"),
            Arguments.of("duplicates collapse", new int[] {5, 5, 6}, "00 05 00 01"),
            Arguments.of("three pairs", new int[] {1, 2, 40, 41, 42, 1000}, "00 01 00 01 | 00 28 00 03 | 03 e8 00 00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nackWrites")
    void nackWritesMinimalPairs(String name, int[] seqs, String expectedFci) {
        byte[] fci = Hex.bytes(expectedFci);
        byte[] out = new byte[OFF + 12 + fci.length];
        assertEquals(12 + fci.length, Nack.write(out, OFF, 0xfa17fa17L, 0x12345678L, seqs, seqs.length));
        assertTrue(Nack.is(out, OFF, 12 + fci.length));
        assertEquals(Hex.of(fci, 0, fci.length), Hex.of(out, OFF + 12, fci.length));
        assertEquals(0x12345678L, RtcpFeedback.mediaSsrc(out, OFF));

        int[] lost = new int[64];
        int n = Nack.lostSequences(out, OFF, lost);
        assertArrayEquals(Arrays.stream(seqs).distinct().toArray(), Arrays.copyOf(lost, n), "write -> read");
    }

    @Test
    void nackWriteRefusesNoRoomAndNothingLost() {
        assertEquals(-1, Nack.write(new byte[15], 0, 1, 2, new int[] {1}, 1));
        assertEquals(-1, Nack.write(new byte[64], 0, 1, 2, new int[] {1}, 0));
    }

    @Test
    void rembReadsAndRoundTrips() {
        byte[] b = at(RtcpPackets.REMB);
        int len = len(RtcpPackets.REMB);
        assertTrue(Remb.is(b, OFF, len));
        assertEquals(1_000_000L, Remb.bitrate(b, OFF));
        assertEquals(1, Remb.ssrcCount(b, OFF));
        assertEquals(0x12345678L, Remb.ssrc(b, OFF, 0));

        byte[] out = Hex.at(OFF, new byte[len]);
        assertEquals(len, Remb.write(out, OFF, 0xfa17fa17L, 1_000_000L, new long[] {0x12345678L}, 1));
        assertArrayEquals(b, out);
    }

    static Stream<Arguments> rembBitrates() {
        return Stream.of(
            // bitrate written, bitrate read back (18 significant bits kept)
            Arguments.of(0L, 0L),
            Arguments.of(262_143L, 262_143L),
            Arguments.of(262_144L, 262_144L),
            Arguments.of(2_500_001L, 2_500_000L),
            Arguments.of(30_000_000_000L, 29_999_890_432L));
    }

    @ParameterizedTest(name = "{0} bps")
    @MethodSource("rembBitrates")
    void rembKeepsEighteenSignificantBits(long written, long read) {
        byte[] b = new byte[28];
        assertEquals(28, Remb.write(b, 0, 1, written, new long[] {2, 3}, 2));
        assertTrue(Remb.is(b, 0, 28));
        assertEquals(read, Remb.bitrate(b, 0));
        assertEquals(3L, Remb.ssrc(b, 0, 1));
    }

    @Test
    void rembSaturatesHugeExponents() {
        byte[] b = Hex.bytes("8f ce 00 04 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 00 ff ff ff");
        assertTrue(Remb.is(b, 0, b.length));
        assertEquals(Long.MAX_VALUE, Remb.bitrate(b, 0));
    }

    static Stream<Arguments> notRemb() {
        return Stream.of(
            Arguments.of("other AFB identifier", "8f ce 00 04 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 43 | 00 01 00 00"),
            Arguments.of("SSRC count beyond packet", "8f ce 00 04 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 02 01 00 00"),
            Arguments.of("no bitrate word", "8f ce 00 03 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42"),
            Arguments.of("PLI", RtcpPackets.PLI),
            Arguments.of("transport-cc", RtcpPackets.TRANSPORT_CC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRemb")
    void rembRecognitionIsStrict(String name, String hex) {
        byte[] b = Hex.bytes(hex);
        assertFalse(Remb.is(b, 0, b.length));
    }

    @Test
    void transportCcHeaderFields() {
        byte[] b = at(RtcpPackets.TRANSPORT_CC);
        int len = len(RtcpPackets.TRANSPORT_CC);
        assertTrue(TransportCcFeedback.is(b, OFF, len));
        assertFalse(Nack.is(b, OFF, len));
        assertEquals(100, TransportCcFeedback.baseSequence(b, OFF));
        assertEquals(3, TransportCcFeedback.packetStatusCount(b, OFF));
        assertEquals(-2, TransportCcFeedback.referenceTime(b, OFF));
        assertEquals(-128_000L, TransportCcFeedback.referenceTimeMicros(b, OFF));
        assertEquals(7, TransportCcFeedback.feedbackPacketCount(b, OFF));
        assertEquals(13, RtcpFeedback.fciLength(b, OFF), "padding excluded");
    }

    static Stream<Arguments> feedbackRecognition() {
        return Stream.of(
            // name, packet, is PLI, is FIR, is NACK, is transport-cc
            Arguments.of("PLI", RtcpPackets.PLI, true, false, false, false),
            Arguments.of("FIR", RtcpPackets.FIR, false, true, false, false),
            Arguments.of("NACK", RtcpPackets.NACK, false, false, true, false),
            Arguments.of("transport-cc", RtcpPackets.TRANSPORT_CC, false, false, false, true),
            Arguments.of("NACK without FCI", "81 cd 00 02 | fa 17 fa 17 | 12 34 56 78", false, false, false, false),
            Arguments.of("FIR without FCI", "84 ce 00 02 | fa 17 fa 17 | 00 00 00 00", false, false, false, false),
            Arguments.of("transport-cc without fixed fields", "8f cd 00 03 | fa 17 fa 17 | 12 34 56 78 | 00 64 00 03",
                false, false, false, false),
            Arguments.of("PLI with length beyond buffer", "81 ce 00 03 | fa 17 fa 17 | 12 34 56 78", false, false, false, false),
            Arguments.of("RR", RtcpPackets.RR, false, false, false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("feedbackRecognition")
    void recognisesFeedbackByTypeFormatAndSize(String name, String hex, boolean pli, boolean fir, boolean nack, boolean tcc) {
        byte[] b = Hex.bytes(hex);
        assertEquals(pli, Pli.is(b, 0, b.length));
        assertEquals(fir, Fir.is(b, 0, b.length));
        assertEquals(nack, Nack.is(b, 0, b.length));
        assertEquals(tcc, TransportCcFeedback.is(b, 0, b.length));
    }
}
