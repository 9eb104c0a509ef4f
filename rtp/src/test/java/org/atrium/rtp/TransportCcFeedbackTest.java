package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransportCcFeedbackTest {
    private static final long SENDER = 0xFA17FA17L;
    private static final long MEDIA = 0x11223344L;

    /** One received packet: its transport-wide sequence number (unwrapped) and arrival time. */
    record Arrival(long sequence, long micros) {
    }

    // ---- draft-holmer-rmcat-transport-wide-cc-extensions-01 examples -------------------------

    @Test
    void draftRunLengthExample() {
        // 3.1.3 example 1: 0x00DD is a run of 221 "packet not received".
        assertEquals(0, TransportCcFeedback.symbol(0x00DD, 0));
        assertEquals(221, TransportCcFeedback.chunkCapacity(0x00DD));
        // The writer encodes 221 losses followed by one arrival as exactly that run.
        TransportCcFeedback.Writer w = new TransportCcFeedback.Writer(1200);
        w.reset(0, 0, 0, 1200);
        assertTrue(w.addReceived(221, 1000));
        byte[] b = new byte[64];
        int len = w.write(b, 0, SENDER, MEDIA);
        assertEquals("00dd2001", Hex.of(b, 20, 4));
        assertEquals(222, TransportCcFeedback.packetStatusCount(b, 0));
        assertEquals(28, len);
    }

    @Test
    void draftOneBitVectorExample() {
        // 3.1.4 example 1: 0x9F1C = 1-bit vector: not received, 5 received, 3 not, 3 received, 2 not.
        int[] want = {0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], TransportCcFeedback.symbol(0x9F1C, i), "symbol " + i);
        }
        assertEquals(14, TransportCcFeedback.chunkCapacity(0x9F1C));
        // Those 14 statuses and one more arrival: the writer closes them as exactly that vector.
        TransportCcFeedback.Writer w = new TransportCcFeedback.Writer(1200);
        w.reset(0, 0, 0, 1200);
        for (int seq : new int[] {1, 2, 3, 4, 5, 9, 10, 11, 14}) {
            assertTrue(w.addReceived(seq, seq * 1000L));
        }
        byte[] b = new byte[64];
        w.write(b, 0, SENDER, MEDIA);
        assertEquals("9f1c2001", Hex.of(b, 20, 4));
    }

    @Test
    void draftTwoBitVectorExampleUsesTheReservedSymbolAndIsRejected() {
        // 3.1.4 example 2: 0xCD50 = 2-bit vector 00 11 01 01 01 00 00. Symbol 11 is reserved in -01
        // and libwebrtc refuses the packet; so does the reader.
        int[] want = {0, 3, 1, 1, 1, 0, 0};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], TransportCcFeedback.symbol(0xCD50, i), "symbol " + i);
        }
        byte[] b = Hex.bytes("8f cd 00 06 | fa 17 fa 17 | 11 22 33 44 | 00 00 00 07 | 00 00 01 00"
            + "| cd 50 01 01 | 01 00 00 00");
        assertFalse(new TransportCcFeedback.Reader().reset(b, 0, b.length));
    }

    // ---- packets as libwebrtc writes them --------------------------------------------------------

    /**
     * Feedback packets from pion/rtcp transport_layer_cc_test.go (TestTransportLayerCC_Unmarshal
     * "example1" and "example4"), which have libwebrtc's shape: sender SSRC 0xFA17FA17, RTCP padding
     * with the P bit and a count in the last octet. Decoded, then re-encoded to the same bytes.
     */
    static Stream<Arguments> libwebrtcPackets() {
        return Stream.of(
            Arguments.of("one packet, run of 1",
                "af cd 00 05 | fa 17 fa 17 | 43 03 2f a0 | 00 99 00 01 | 3d e8 02 17 | 20 01 | 94 | 01",
                153, 4057090, 23, new int[] {148}),
            Arguments.of("seven packets, run of 7",
                "af cd 00 07 | fa 17 fa 17 | 19 3d d8 bb | 00 04 00 07 | 10 63 6e 01 | 20 07"
                    + "| 4c 24 24 10 0c 0c 10 | 00 00 03",
                4, 1074030, 1, new int[] {76, 36, 36, 16, 12, 12, 16}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libwebrtcPackets")
    void decodesAndReencodesLibwebrtcPackets(String name, String hex, int base, int referenceTime, int count,
                                             int[] deltas) {
        byte[] b = Hex.bytes(hex);
        assertNull(RtcpCompound.validate(b, 0, b.length));
        assertEquals(base, TransportCcFeedback.baseSequence(b, 0));
        assertEquals(referenceTime, TransportCcFeedback.referenceTime(b, 0));
        assertEquals(count, TransportCcFeedback.feedbackPacketCount(b, 0));

        TransportCcFeedback.Reader r = new TransportCcFeedback.Reader();
        assertTrue(r.reset(b, 0, b.length));
        TransportCcFeedback.Writer w = new TransportCcFeedback.Writer(1200);
        long t = referenceTime * 64_000L;
        for (int i = 0; i < deltas.length; i++) {
            assertTrue(r.next());
            assertEquals(base + i, r.sequence());
            assertEquals(TransportCcFeedback.STATUS_SMALL_DELTA, r.status());
            assertEquals(deltas[i], r.deltaTicks());
            t += deltas[i] * 250L;
            assertEquals(t, r.arrivalMicros());
            if (i == 0) {
                w.reset(base, t, count, 1200);
            }
            assertTrue(w.addReceived(r.sequence(), r.arrivalMicros()));
        }
        assertFalse(r.next());

        byte[] out = new byte[b.length];
        assertEquals(b.length, w.write(out, 0, 0xFA17FA17L, RtcpFeedback.mediaSsrc(b, 0)));
        assertArrayEquals(b, out);
    }

    // ---- round trips ---------------------------------------------------------------------------

    static Stream<Arguments> patterns() {
        return Stream.of(
            Arguments.of("all received, 5 ms apart", every(0, 100, 1, 5_000, 0)),
            Arguments.of("base near the 16-bit wrap", every(65_500, 100, 1, 2_000, 0)),
            Arguments.of("every third lost", every(10, 300, 3, 1_000, 0)),
            Arguments.of("large deltas force 2-bit vectors", mixedLarge()),
            Arguments.of("arrivals out of order give negative deltas", reordered()),
            Arguments.of("burst loss then arrivals", burstLoss()),
            Arguments.of("random", random(1)),
            Arguments.of("random, lossy", random(2)),
            Arguments.of("random, jittery", random(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    void roundTrip(String name, List<Arrival> arrivals) {
        byte[] b = new byte[1200 + 8];
        List<Arrival> decoded = new ArrayList<>();
        TransportCcFeedback.Writer w = new TransportCcFeedback.Writer(1200);
        TransportCcFeedback.Reader r = new TransportCcFeedback.Reader();
        int next = 0;
        int packets = 0;
        while (next < arrivals.size()) {
            Arrival first = arrivals.get(next);
            w.reset((int) first.sequence(), first.micros(), packets, 1200);
            int start = next;
            while (next < arrivals.size() && w.addReceived((int) arrivals.get(next).sequence(), arrivals.get(next).micros())) {
                next++;
            }
            assertTrue(next > start, "at least one arrival per packet");
            int len = w.write(b, 4, SENDER, MEDIA);
            assertTrue(len > 0 && len <= 1200 && len % 4 == 0);
            assertNull(RtcpCompound.validate(b, 4, len));
            assertEquals(packets & 0xFF, TransportCcFeedback.feedbackPacketCount(b, 4));
            assertTrue(r.reset(b, 4, len));
            long base = first.sequence();
            long expected = base;
            int statuses = 0;
            while (r.next()) {
                assertEquals(expected & 0xFFFF, r.sequence());
                statuses++;
                if (r.received()) {
                    decoded.add(new Arrival(expected, r.arrivalMicros()));
                }
                expected++;
            }
            assertEquals(TransportCcFeedback.packetStatusCount(b, 4), statuses);
            packets++;
        }
        assertEquals(arrivals.size(), decoded.size());
        for (int i = 0; i < arrivals.size(); i++) {
            Arrival want = arrivals.get(i);
            Arrival got = decoded.get(i);
            assertEquals(want.sequence(), got.sequence(), "sequence #" + i);
            // Relative to the 64 ms reference time grid; rounding never accumulates past half a tick.
            assertTrue(Math.abs(want.micros() - got.micros() - offsetFor(want.micros(), got.micros())) <= 125,
                "arrival #" + i + ": want " + want.micros() + " got " + got.micros());
        }
    }

    /** The reader's times are on the 24-bit reference-time clock; remove whole wraps of it. */
    private static long offsetFor(long want, long got) {
        long wrap = (1L << 24) * 64_000;
        return Math.round((double) (want - got) / wrap) * wrap;
    }

    @Test
    void aDeltaBeyond16BitsEndsThePacketBeforeIt() {
        TransportCcFeedback.Writer w = new TransportCcFeedback.Writer(1200);
        w.reset(7, 1_000_000, 0, 1200);
        assertTrue(w.addReceived(7, 1_000_000));
        assertTrue(w.addReceived(8, 1_010_000));
        // 32767 ticks is 8.19175 s: 8.2 s later does not fit a signed 16-bit delta.
        assertFalse(w.addReceived(10, 1_010_000 + 8_200_000));
        assertEquals(2, w.packetStatusCount(), "the rejected packet and the gap before it are not added");
        byte[] b = new byte[64];
        int len = w.write(b, 0, SENDER, MEDIA);
        TransportCcFeedback.Reader r = new TransportCcFeedback.Reader();
        assertTrue(r.reset(b, 0, len));
        assertTrue(r.next());
        assertTrue(r.next());
        assertEquals(8, r.sequence());
        assertFalse(r.next());
        // The next packet starts at the first unreported number.
        w.reset(9, 1_010_000 + 8_200_000, 1, 1200);
        assertTrue(w.addReceived(10, 1_010_000 + 8_200_000));
        len = w.write(b, 0, SENDER, MEDIA);
        assertTrue(r.reset(b, 0, len));
        assertTrue(r.next());
        assertEquals(9, r.sequence());
        assertFalse(r.received());
        assertTrue(r.next());
        assertEquals(10, r.sequence());
        assertTrue(r.received());
        // The largest deltas that do fit, both signs.
        w.reset(0, 0, 2, 1200);
        assertTrue(w.addReceived(0, 0));
        assertTrue(w.addReceived(1, 32_767 * 250L));
        assertTrue(w.addReceived(2, 0));
        assertFalse(w.addReceived(3, -32_769 * 250L));
        len = w.write(b, 0, SENDER, MEDIA);
        // 2-bit vector 01 10 10: small 0, large +32767, large -32767.
        assertEquals("da00" + "00" + "7fff" + "8001", Hex.of(b, 20, 7));
        assertEquals(28, len);
    }

    @Test
    void runsLongerThan8191AreSplit() {
        TransportCcFeedback.Writer w = new TransportCcFeedback.Writer(16_000);
        // 9000 losses then one arrival: runs of 8191 and 809 losses, then a run of one.
        w.reset(0, 0, 0, 16_000);
        assertTrue(w.addReceived(9000, 0));
        byte[] b = new byte[16_000];
        w.write(b, 0, SENDER, MEDIA);
        assertEquals("1fff" + "0329" + "2001", Hex.of(b, 20, 6));
        // 9000 arrivals 1 ms apart: runs of 8191 and 809 small deltas.
        w.reset(0, 0, 0, 16_000);
        for (int i = 0; i < 9000; i++) {
            assertTrue(w.addReceived(i, i * 1000L));
        }
        int len = w.write(b, 0, SENDER, MEDIA);
        assertEquals("3fff" + "2329", Hex.of(b, 20, 4));
        assertEquals(20 + 4 + 9000, len);
    }

    @Test
    void chunkChoiceMatchesLibwebrtc() {
        // Mixed small and missing: 1-bit vectors of 14. A large delta among 8..13 mixed statuses
        // closes the first 7 as a 2-bit vector; a lone status at the end is a run of 1.
        TransportCcFeedback.Writer w = new TransportCcFeedback.Writer(1200);
        w.reset(0, 0, 0, 1200);
        long t = 0;
        for (int seq : new int[] {0, 2, 4, 6, 8, 10, 12}) {
            assertTrue(w.addReceived(seq, t += 1000));
        }
        assertTrue(w.addReceived(13, t += 100_000));
        byte[] b = new byte[64];
        w.write(b, 0, SENDER, MEDIA);
        // 1 0 1 0 1 0 1 | 0 1 0 1 0 1 2 -> 2-bit 01 00 01 00 01 00 01, then 2-bit 00 01 00 01 00 01 10
        assertEquals("d111" + "c446", Hex.of(b, 20, 4));
    }

    @Test
    void sizeLimitIsRespectedAndARejectedPacketLeavesNoTrace() {
        Random random = new Random(7);
        for (int limit = 24; limit <= 200; limit += 4) {
            TransportCcFeedback.Writer w = new TransportCcFeedback.Writer(1200);
            w.reset(100, 0, 0, limit);
            List<Arrival> accepted = new ArrayList<>();
            long t = 0;
            long seq = 100;
            for (int i = 0; i < 400; i++) {
                seq += random.nextInt(10) == 0 ? 1 + random.nextInt(20) : 1;
                t += random.nextInt(5) == 0 ? 100_000 : 2_000;
                if (w.addReceived((int) seq, t)) {
                    accepted.add(new Arrival(seq, t));
                }
            }
            assertFalse(accepted.isEmpty(), "limit " + limit);
            assertTrue(w.lengthInBytes() <= limit, "limit " + limit);
            byte[] b = new byte[limit];
            int len = w.write(b, 0, SENDER, MEDIA);
            assertEquals(w.lengthInBytes(), len);
            TransportCcFeedback.Reader r = new TransportCcFeedback.Reader();
            assertTrue(r.reset(b, 0, len));
            int k = 0;
            while (r.next()) {
                if (r.received()) {
                    assertEquals(accepted.get(k).sequence() & 0xFFFF, r.sequence());
                    k++;
                }
            }
            assertEquals(accepted.size(), k, "limit " + limit);
            assertEquals(-1, w.write(new byte[len - 1], 0, SENDER, MEDIA));
        }
    }

    // ---- reader rejects malformed packets -------------------------------------------------------

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("zero status count", "8f cd 00 05 | fa 17 fa 17 | 11 22 33 44 | 00 01 00 00 | 00 00 01 00 | 20 01 05 00"),
            Arguments.of("chunks do not cover the count", "8f cd 00 05 | fa 17 fa 17 | 11 22 33 44 | 00 01 00 03 | 00 00 01 00 | 20 01 05 00"),
            Arguments.of("deltas past the end", "8f cd 00 05 | fa 17 fa 17 | 11 22 33 44 | 00 01 00 03 | 00 00 01 00 | 40 03 05 00"),
            Arguments.of("deltas run into the padding", "af cd 00 05 | fa 17 fa 17 | 11 22 33 44 | 00 01 00 02 | 00 00 01 00 | 20 02 05 02"),
            Arguments.of("reserved run symbol", "8f cd 00 05 | fa 17 fa 17 | 11 22 33 44 | 00 01 00 01 | 00 00 01 00 | 60 01 05 00"),
            Arguments.of("not transport-cc", "81 cd 00 05 | fa 17 fa 17 | 11 22 33 44 | 00 01 00 01 | 00 00 01 00 | 20 01 05 00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void readerRejects(String name, String hex) {
        byte[] b = Hex.bytes(hex);
        TransportCcFeedback.Reader r = new TransportCcFeedback.Reader();
        assertFalse(r.reset(b, 0, b.length));
        assertFalse(r.next());
    }

    // ---- the header extension -----------------------------------------------------------------

    static Stream<Arguments> extensions() {
        String fixed = "90 60 00 01 | 00 00 00 00 | 11 22 33 44 |";
        return Stream.of(
            Arguments.of("one-byte form", fixed + "be de 00 01 | 31 ab cd 00 | 01 02", 3, 0xABCD),
            Arguments.of("one-byte form after another element", fixed + "be de 00 02 | 10 7f 00 31 | 00 05 00 00 | 01", 3, 5),
            Arguments.of("two-byte form", fixed + "10 00 00 01 | 03 02 ff ff | 01", 3, 0xFFFF),
            Arguments.of("other id only", fixed + "be de 00 01 | 52 ab cd 00 | 01", 3, -1),
            Arguments.of("wrong length", fixed + "be de 00 01 | 30 ab 00 00 | 01", 3, -1),
            Arguments.of("no extension", "80 60 00 01 | 00 00 00 00 | 11 22 33 44 | 01", 3, -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extensions")
    void readsTheTransportSequenceNumber(String name, String hex, int id, int want) {
        byte[] b = Hex.at(3, Hex.bytes(hex));
        int len = Hex.bytes(hex).length;
        assertNull(RtpPacket.validate(b, 3, len));
        assertEquals(want, TransportCcExtension.sequence(b, 3, len, id));
        assertEquals(want >= 0, TransportCcExtension.setSequence(b, 3, len, id, 0x1234));
        if (want >= 0) {
            assertEquals(0x1234, TransportCcExtension.sequence(b, 3, len, id));
        }
    }

    // ---- patterns ------------------------------------------------------------------------------

    private static List<Arrival> every(long first, int count, int step, long gapMicros, long startMicros) {
        List<Arrival> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new Arrival(first + (long) i * step, startMicros + i * gapMicros * step));
        }
        return list;
    }

    private static List<Arrival> mixedLarge() {
        List<Arrival> list = new ArrayList<>();
        long t = 5_000_000;
        for (int i = 0; i < 200; i++) {
            t += i % 9 == 4 ? 120_000 : 1_250;
            list.add(new Arrival(i + (i / 5), t));
        }
        return list;
    }

    private static List<Arrival> reordered() {
        List<Arrival> list = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // Odd numbers arrive 3 ms after the even number that follows them.
            long t = 1_000_000 + (i % 2 == 0 ? i * 1_000L : (i + 1) * 1_000L + 3_000);
            list.add(new Arrival(i, t));
        }
        return list;
    }

    private static List<Arrival> burstLoss() {
        List<Arrival> list = new ArrayList<>(every(0, 20, 1, 1_000, 0));
        list.addAll(every(3_000, 20, 1, 1_000, 3_000_000));
        return list;
    }

    private static List<Arrival> random(long seed) {
        Random random = new Random(seed);
        List<Arrival> list = new ArrayList<>();
        long seq = random.nextInt(65_536);
        long t = random.nextLong() >> 20;
        for (int i = 0; i < 3000; i++) {
            seq += seed == 2 && random.nextInt(3) == 0 ? 1 + random.nextInt(40) : 1;
            long jitter = seed == 3 ? random.nextInt(80_000) - 30_000 : random.nextInt(4_000);
            t += jitter;
            list.add(new Arrival(seq, t));
        }
        return list;
    }
}
