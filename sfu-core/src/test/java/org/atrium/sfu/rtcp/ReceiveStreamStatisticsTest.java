package org.atrium.sfu.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.atrium.rtp.ReportBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReceiveStreamStatisticsTest {

    private static final long SSRC = 0x1122_3344L;
    private static final int CLOCK = 90_000;
    private static final long MS = 1_000_000L;

    private final ReceiveStreamStatistics stats = new ReceiveStreamStatistics();
    private final byte[] block = new byte[ReportBlock.LENGTH];

    private void receive(int... sequences) {
        for (int sequence : sequences) {
            stats.onPacket(sequence, sequence * 3000L, sequence * 33L * MS, CLOCK, 1200);
        }
    }

    private void report(long nowNanos) {
        assertEquals(ReportBlock.LENGTH, stats.writeReportBlock(block, 0, SSRC, nowNanos));
        assertEquals(SSRC, ReportBlock.ssrc(block, 0));
    }

    /** One report interval: the packets received in it and the block written at its end. */
    private record Interval(String name, int[] sequences, int fractionLost, int cumulativeLost, long highest) {
    }

    private static final Interval[] INTERVALS = {
        // 1000 is the probation packet; the source starts at 1001. 1006 and 1007 lost, 1003
        // late, 1005 twice: expected 10, received 9, lost 1: 1 * 256 / 10 = 25.
        new Interval("gaps, a late packet and a duplicate",
                new int[] {1000, 1001, 1002, 1004, 1005, 1003, 1005, 1008, 1009, 1010}, 25, 1, 1010),
        // 1015..1018 lost: expected 10, received 6: 4 * 256 / 10 = 102.
        new Interval("four lost in ten", new int[] {1011, 1012, 1013, 1014, 1019, 1020}, 102, 5, 1020),
        new Interval("nothing received", new int[] {}, 0, 5, 1020),
        // Expected 0, received 2: the cumulative loss goes down, the fraction stays at 0.
        new Interval("duplicates only", new int[] {1020, 1019}, 0, 3, 1020),
        new Interval("no loss", new int[] {1021, 1022, 1023}, 0, 3, 1023),
        // Expected 16 (1024..1039), received 5: 11 * 256 / 16 = 176.
        new Interval("a burst, then one of it late", new int[] {1036, 1037, 1038, 1039, 1030}, 176, 14, 1039),
    };

    @Test
    void computesLossPerIntervalAndCumulativelyAsRfc3550A3() {
        long now = 0;
        for (Interval interval : INTERVALS) {
            receive(interval.sequences());
            report(now += 1000 * MS);
            assertEquals(interval.fractionLost(), ReportBlock.fractionLost(block, 0), interval.name());
            assertEquals(interval.cumulativeLost(), ReportBlock.cumulativeLost(block, 0), interval.name());
            assertEquals(interval.highest(), ReportBlock.highestSequence(block, 0), interval.name());
            assertEquals(interval.fractionLost(), stats.fractionLost(), interval.name());
            assertEquals(interval.cumulativeLost(), stats.cumulativeLost(), interval.name());
        }
    }

    static Stream<Arguments> sequences() {
        return Stream.of(
                // name, sequence numbers, extended highest, cumulative lost, counted as received
                Arguments.of("wrap 65535 -> 0 with 2 lost",
                        new int[] {65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 3, 4, 5}, 65_536L + 5, 1L, 10L),
                Arguments.of("reordered across the wrap",
                        new int[] {65533, 65534, 0, 65535, 1}, 65_536L + 1, 0L, 4L),
                Arguments.of("second wrap",
                        concat(range(65530, 65536), range(0, 65536), range(0, 3)), 2 * 65_536L + 2, 0L, 65_536L + 8),
                Arguments.of("probation: the first packet is not counted", new int[] {7, 8, 9}, 9L, 0L, 2L),
                Arguments.of("probation restarts when the second packet does not follow",
                        new int[] {5, 9, 10, 11}, 11L, 0L, 2L),
                Arguments.of("a stray jump is ignored",
                        concat(range(100, 111), new int[] {30_000}, range(111, 113)), 112L, 0L, 12L),
                Arguments.of("a jump followed by its successor is a restart",
                        concat(range(100, 111), range(20_000, 20_003)), 20_002L, 0L, 2L),
                Arguments.of("a jump of MAX_DROPOUT - 1 is loss",
                        new int[] {100, 101, 101 + 2999}, 101L + 2999, 2998L, 2L),
                Arguments.of("a step back of more than MAX_MISORDER is a jump",
                        concat(range(1000, 1011), range(800, 802)), 801L, 0L, 1L),
                Arguments.of("a step back of MAX_MISORDER is already a jump",
                        new int[] {1000, 1001, 1101, 1101 - 100}, 1101L, 99L, 2L),
                Arguments.of("a step back of MAX_MISORDER - 1 is reordering",
                        new int[] {1000, 1001, 1101, 1101 - 99}, 1101L, 98L, 3L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void tracksSequenceNumbersAsRfc3550A1(String name, int[] sequences, long highest, long lost, long received) {
        receive(sequences);
        assertEquals(highest, stats.extendedHighestSequence());
        assertEquals(lost, stats.cumulativeLost());
        assertEquals(received, stats.receivedCount());
        assertEquals(sequences.length, stats.packetCount());
        assertEquals(1200L * sequences.length, stats.byteCount());
        report(0);
        assertEquals(highest, ReportBlock.highestSequence(block, 0));
        assertEquals(lost, ReportBlock.cumulativeLost(block, 0));
    }

    @Test
    void writesNoBlockBeforeTheSourceIsValidated() {
        byte[] untouched = new byte[ReportBlock.LENGTH];
        assertEquals(0, stats.writeReportBlock(block, 0, SSRC, 0));
        receive(42);
        assertEquals(0, stats.writeReportBlock(block, 0, SSRC, 0));
        assertArrayEquals(untouched, block);
        receive(43);
        assertEquals(ReportBlock.LENGTH, stats.writeReportBlock(block, 0, SSRC, 0));
        assertEquals(-1, stats.writeReportBlock(new byte[30], 7, SSRC, 0));
    }

    /**
     * RFC 3550 A.8 on 8 kHz audio, 20 ms packets (160 ticks): the arrival deviations below give
     * |D| in ticks (1 ms = 8 ticks), and J16 += |D| - (J16 + 8) / 16 gives the jitter times 16.
     */
    static Stream<Arguments> transits() {
        return Stream.of(
                // name, extra delay per packet (ms), jitter (ticks), J16 / 16 in ms
                Arguments.of("constant transit", new int[] {0, 0, 0, 0, 0}, 0L, 0.0),
                // Packet 0 is on probation, packet 1 sets the transit; |D| = 40 -> J16 = 40.
                Arguments.of("one packet 5 ms late", new int[] {0, 0, 5}, 2L, 40 / 16.0 / 8),
                // Then |D| = 40 again: J16 = 40 + 40 - 3 = 77; then |D| = 0: J16 = 77 - 5 = 72.
                Arguments.of("late, back on time, steady", new int[] {0, 0, 5, 0, 0}, 4L, 72 / 16.0 / 8),
                // |D| = 80, 80, 80: J16 = 80; 80 + 80 - 5 = 155; 155 + 80 - 10 = 225.
                Arguments.of("alternating 10 ms", new int[] {0, 0, 10, 0, 10}, 14L, 225 / 16.0 / 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transits")
    void computesInterarrivalJitterAsRfc3550A8(String name, int[] extraMillis, long jitter, double jitterMillis) {
        // Near the ends of both ranges: the arrival clock's origin and the timestamps' wrap
        // must not matter.
        long origin = 7_000_000_000_000_000_000L;
        long firstTimestamp = 0xFFFF_FF00L;
        for (int i = 0; i < extraMillis.length; i++) {
            long timestamp = (firstTimestamp + 160L * i) & 0xFFFF_FFFFL;
            stats.onPacket(40_000 + i, timestamp, origin + (20L * i + extraMillis[i]) * MS, 8000, 160);
        }
        assertEquals(jitter, stats.jitter());
        assertEquals(jitterMillis, stats.jitterMillis(), 1e-9);
        report(origin);
        assertEquals(jitter, ReportBlock.jitter(block, 0));
    }

    @Test
    void lateAndDuplicatePacketsDoNotMoveTheJitter() {
        receive(1, 2, 3, 5);
        long before = stats.jitter();
        // 4 arrives 30 ms after 5 with its old timestamp: a transit 200 ms off.
        stats.onPacket(4, 4 * 3000L, 5 * 33L * MS + 200 * MS, CLOCK, 1200);
        stats.onPacket(5, 5 * 3000L, 5 * 33L * MS + 300 * MS, CLOCK, 1200);
        assertEquals(before, stats.jitter());
    }

    @Test
    void echoesTheLastSenderReport() {
        receive(1, 2, 3);
        report(5_000 * MS);
        assertEquals(0, ReportBlock.lastSr(block, 0));
        assertEquals(0, ReportBlock.delaySinceLastSr(block, 0));

        long arrival = 10_000 * MS;
        stats.onSenderReport(0xAAAA_BBBB_CCCC_DDDDL, 12345, arrival);
        // RFC 3550 6.4.1: LSR is the middle 32 bits, DLSR 5.250 s is 0x0005:4000.
        report(arrival + 5_250 * MS);
        assertEquals(0xBBBB_CCCCL, ReportBlock.lastSr(block, 0));
        assertEquals(0x0005_4000L, ReportBlock.delaySinceLastSr(block, 0));
    }

    @Test
    void allocatesNothingPerPacketOrReport() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long id = Thread.currentThread().getId();
        // The least of three rounds, the first one warming up: the JIT and class loading may
        // allocate a few hundred bytes once, while any allocation per packet, 16 bytes at
        // least, would cost over a megabyte.
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 100_000; i++) {
                stats.onPacket(i & 0xFFFF, i * 3000L, i * 33L * MS, CLOCK, 1200);
                if ((i & 1023) == 0) {
                    stats.writeReportBlock(block, 0, SSRC, i * 33L * MS);
                }
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            least = Math.min(least, allocated);
        }
        assertTrue(least < 1024, "bytes allocated by 100000 packets: " + least);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static int[] concat(int[]... parts) {
        return Stream.of(parts).flatMapToInt(java.util.Arrays::stream).toArray();
    }
}
