package org.atrium.sfu.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.atrium.rtp.SenderReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SenderReportGeneratorTest {

    private static final long CONSUMER_SSRC = 0xCAFE_BABEL;
    private static final long MS = 1_000_000L;
    /** An NTP time in 2023: seconds since 1900. */
    private static final long NTP_BASE_SECONDS = 3_900_000_000L;
    /** An arbitrary origin of the monotonic clock. */
    private static final long MONOTONIC_ORIGIN = 123_456_789_000L;

    private final byte[] sr = new byte[SenderReport.MIN_LENGTH];

    static Stream<Arguments> mappings() {
        return Stream.of(
                // name, clock rate, publisher SR RTP timestamp, consumer offset, ms since the SR, SR RTP timestamp
                Arguments.of("one second of video", 90_000, 1000L, 0L, 1000L, 91_000L),
                Arguments.of("the offset is added", 48_000, 1000L, 5000L, 500L, 30_000L),
                Arguments.of("the publisher's timestamp wraps", 90_000, 0xFFFF_FF00L, 0L, 10L, 900L - 256L),
                Arguments.of("the offset makes it wrap", 90_000, 0x8000_0000L, 0x9000_0000L, 0L, 0x1000_0000L),
                Arguments.of("an offset of -1 mod 2^32", 48_000, 0L, 0xFFFF_FFFFL, 1L, 47L),
                Arguments.of("100 s after the SR", 90_000, 0L, 0L, 100_000L, 9_000_000L),
                Arguments.of("a fraction of a tick is truncated", 8_000, 0L, 0L, 1L, 8L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void extrapolatesThePublishersTimestampAndAddsTheOffset(String name, int clockRate, long publisherRtp,
            long offset, long elapsedMillis, long expectedRtp) {
        SenderReportGenerator generator = new SenderReportGenerator(clockRate);
        long arrival = MONOTONIC_ORIGIN;
        generator.onPublisherSenderReport(ntp(NTP_BASE_SECONDS, 0), publisherRtp, arrival);
        generator.setTimestampOffset(offset);
        long nowNtp = ntp(NTP_BASE_SECONDS + 10, 0.25);

        int n = generator.writeSenderReport(sr, 0, CONSUMER_SSRC, nowNtp, arrival + elapsedMillis * MS);

        assertEquals(SenderReport.MIN_LENGTH, n);
        assertEquals(true, SenderReport.is(sr, 0, n));
        assertEquals(CONSUMER_SSRC, SenderReport.senderSsrc(sr, 0));
        assertEquals(nowNtp, SenderReport.ntpTimestamp(sr, 0));
        assertEquals(expectedRtp, SenderReport.rtpTimestamp(sr, 0));
        assertEquals(0, SenderReport.reportCount(sr, 0));
    }

    /**
     * What the receiver sees: with the SFU's clock equal to the publisher's and no delay, every
     * SR the SFU writes lies on the publisher's NTP-to-RTP line shifted by the offset, across
     * the 2^32 wrap of the timestamps.
     */
    @Test
    void theReceiversLineIsThePublishersShiftedByTheOffset() {
        int clockRate = 90_000;
        long publisherRtpAtZero = 0xFFF0_0000L;
        long offset = 0x7654_3210L;
        SenderReportGenerator generator = new SenderReportGenerator(clockRate);
        generator.setTimestampOffset(offset);
        // The publisher's SR at t = 2 s.
        generator.onPublisherSenderReport(ntp(NTP_BASE_SECONDS + 2, 0),
                (publisherRtpAtZero + 2L * clockRate) & 0xFFFF_FFFFL, MONOTONIC_ORIGIN + 2_000 * MS);

        for (long t = 2_000; t <= 120_000; t += 7_919) {
            long nowNanos = MONOTONIC_ORIGIN + t * MS;
            long nowNtp = ntp(NTP_BASE_SECONDS + t / 1000, (t % 1000) / 1000.0);
            assertEquals(SenderReport.MIN_LENGTH, generator.writeSenderReport(sr, 0, CONSUMER_SSRC, nowNtp, nowNanos));
            long publisherLineAtT = publisherRtpAtZero + t * clockRate / 1000;
            assertEquals((publisherLineAtT + offset) & 0xFFFF_FFFFL, SenderReport.rtpTimestamp(sr, 0), "t=" + t);
        }
    }

    /**
     * Audio and video of one publisher, each with its own consumer offset, a publisher clock
     * 3.7 s behind the SFU's and SRs 40 and 42 ms on the way. A receiver maps the timestamps
     * of a sample captured at one instant through the SFU's SRs: both land on the same NTP
     * time to within the 2 ms difference in the SRs' delays, so lip sync holds.
     */
    @Test
    void keepsAudioAndVideoInSyncAcrossDifferentOffsets() {
        long audioAtZero = 0x0123_4567L;
        long videoAtZero = 0xFEDC_BA98L;
        SenderReportGenerator audio = new SenderReportGenerator(48_000);
        SenderReportGenerator video = new SenderReportGenerator(90_000);
        audio.setTimestampOffset(0xF000_0000L);
        video.setTimestampOffset(0x1234_5678L);
        // Publisher SRs sent at t = 1.0 s (audio) and 1.3 s (video), publisher clock.
        audio.onPublisherSenderReport(ntpAt(1.0), rtpAt(audioAtZero, 48_000, 1.0), monotonicAt(1.0 + 0.040));
        video.onPublisherSenderReport(ntpAt(1.3), rtpAt(videoAtZero, 90_000, 1.3), monotonicAt(1.3 + 0.042));

        byte[] audioSr = new byte[SenderReport.MIN_LENGTH];
        byte[] videoSr = new byte[SenderReport.MIN_LENGTH];
        double sfuAhead = 3.7;
        audio.writeSenderReport(audioSr, 0, 1, ntpAt(2.0 + sfuAhead), monotonicAt(2.0));
        video.writeSenderReport(videoSr, 0, 2, ntpAt(2.5 + sfuAhead), monotonicAt(2.5));

        double capture = 1.7;
        long audioTimestamp = (rtpAt(audioAtZero, 48_000, capture) + 0xF000_0000L) & 0xFFFF_FFFFL;
        long videoTimestamp = (rtpAt(videoAtZero, 90_000, capture) + 0x1234_5678L) & 0xFFFF_FFFFL;
        double audioNtp = receiverNtpOf(audioSr, audioTimestamp, 48_000);
        double videoNtp = receiverNtpOf(videoSr, videoTimestamp, 90_000);

        assertEquals(capture + sfuAhead + 0.040, audioNtp, 1e-4);
        assertEquals(capture + sfuAhead + 0.042, videoNtp, 1e-4);
        assertEquals(-0.002, audioNtp - videoNtp, 1e-4);
    }

    @Test
    void writesNothingBeforeThePublishersSenderReportOrTheOffset() {
        SenderReportGenerator generator = new SenderReportGenerator(90_000);
        byte[] untouched = new byte[SenderReport.MIN_LENGTH];
        generator.onPacketSent(1000);
        assertEquals(0, generator.writeSenderReport(sr, 0, CONSUMER_SSRC, ntp(NTP_BASE_SECONDS, 0), 0));
        generator.setTimestampOffset(0);
        assertEquals(0, generator.writeSenderReport(sr, 0, CONSUMER_SSRC, ntp(NTP_BASE_SECONDS, 0), 0));
        assertArrayEquals(untouched, sr);

        SenderReportGenerator noOffset = new SenderReportGenerator(90_000);
        noOffset.onPublisherSenderReport(ntp(NTP_BASE_SECONDS, 0), 0, 0);
        assertEquals(0, noOffset.writeSenderReport(sr, 0, CONSUMER_SSRC, ntp(NTP_BASE_SECONDS, 0), 0));
        assertEquals(-1, noOffset.rtpTimestampAt(0));

        generator.onPublisherSenderReport(ntp(NTP_BASE_SECONDS, 0), 0, 0);
        assertEquals(SenderReport.MIN_LENGTH, generator.writeSenderReport(sr, 0, CONSUMER_SSRC, 0, 0));
        assertEquals(-1, generator.writeSenderReport(new byte[40], 20, CONSUMER_SSRC, 0, 0));
    }

    @Test
    void countsTheConsumersOwnPacketsAndPayloadOctets() {
        SenderReportGenerator generator = new SenderReportGenerator(48_000);
        generator.onPublisherSenderReport(ntp(NTP_BASE_SECONDS, 0), 0, 0);
        generator.setTimestampOffset(0);
        for (int payload : new int[] {100, 100, 100, 1000}) {
            generator.onPacketSent(payload);
        }
        generator.writeSenderReport(sr, 0, CONSUMER_SSRC, ntp(NTP_BASE_SECONDS, 0), 0);
        assertEquals(4, SenderReport.packetCount(sr, 0));
        assertEquals(1300, SenderReport.octetCount(sr, 0));
        assertEquals(4, generator.packetsSent());
        assertEquals(1300, generator.octetsSent());
    }

    /** The receiver echoes our SR's compact NTP as LSR after holding it DLSR = 0.5 s. */
    @Test
    void measuresRoundTripTimeFromTheReceiversReportBlocks() {
        SenderReportGenerator generator = new SenderReportGenerator(90_000);
        generator.onPublisherSenderReport(ntp(NTP_BASE_SECONDS, 0), 0, 0);
        generator.setTimestampOffset(0);
        assertEquals(RoundTripTime.UNKNOWN, generator.roundTripTimeNanos());

        long sentNtp = NtpTime.fromUnixMillis(1_700_000_000_123L);
        generator.writeSenderReport(sr, 0, CONSUMER_SSRC, sentNtp, 0);
        long lastSr = SenderReport.compactNtp(sr, 0);
        generator.onReportBlock(lastSr, 0x8000, NtpTime.fromUnixMillis(1_700_000_000_123L + 600));
        assertEquals(100 * MS, generator.roundTripTimeNanos(), 31_000);

        // A block that echoes no SR leaves the last measurement.
        generator.onReportBlock(0, 0, NtpTime.fromUnixMillis(1_700_000_001_000L));
        assertEquals(100 * MS, generator.roundTripTimeNanos(), 31_000);

        // RFC 3550 6.4.1's example: 6.125 s.
        generator.onReportBlock(0xb705_2000L, 0x0005_4000L, 0x0000_b710_8000_0000L);
        assertEquals(6_125 * MS, generator.roundTripTimeNanos());
    }

    @Test
    void rejectsANonPositiveClockRate() {
        assertThrows(IllegalArgumentException.class, () -> new SenderReportGenerator(0));
    }

    @Test
    void allocatesNothingPerPacketOrReport() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long id = Thread.currentThread().getId();
        SenderReportGenerator generator = new SenderReportGenerator(90_000);
        generator.setTimestampOffset(77);
        // The least of three rounds, the first one warming up: the JIT and class loading may
        // allocate a few hundred bytes once, while any allocation per packet, 16 bytes at
        // least, would cost over a megabyte.
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 100_000; i++) {
                generator.onPacketSent(1100);
                if ((i & 1023) == 0) {
                    generator.onPublisherSenderReport(ntp(NTP_BASE_SECONDS + i, 0), i * 90L, i * MS);
                    generator.writeSenderReport(sr, 0, CONSUMER_SSRC, ntp(NTP_BASE_SECONDS + i, 0.5), i * MS + MS);
                    generator.onReportBlock(0x1234_0000L, 0x100, 0x0000_1235_0000_0000L);
                }
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            least = Math.min(least, allocated);
        }
        assertTrue(least < 1024, "bytes allocated by 100000 packets: " + least);
    }

    private static long ntp(long seconds, double fraction) {
        return seconds << 32 | (long) (fraction * 4_294_967_296.0);
    }

    private static long ntpAt(double seconds) {
        long whole = (long) Math.floor(seconds);
        return ntp(NTP_BASE_SECONDS + whole, seconds - whole);
    }

    private static long monotonicAt(double seconds) {
        return MONOTONIC_ORIGIN + Math.round(seconds * 1e9);
    }

    private static long rtpAt(long atZero, int clockRate, double seconds) {
        return (atZero + Math.round(seconds * clockRate)) & 0xFFFF_FFFFL;
    }

    /** Seconds since NTP_BASE_SECONDS the receiver assigns to a timestamp by an SR's mapping. */
    private static double receiverNtpOf(byte[] sr, long rtpTimestamp, int clockRate) {
        long ntp = SenderReport.ntpTimestamp(sr, 0);
        double srSeconds = (ntp >>> 32) - NTP_BASE_SECONDS + (ntp & 0xFFFF_FFFFL) / 4_294_967_296.0;
        int ticks = (int) (rtpTimestamp - SenderReport.rtpTimestamp(sr, 0));
        return srSeconds + (double) ticks / clockRate;
    }
}
