package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.atrium.rtp.TransportCcFeedback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReceiverBandwidthEstimatorTest {
    private final byte[] buf = new byte[1500];

    /** Feedback for {@code count} packets from {@code base}, each received 1 ms after the previous. */
    private int feedback(TransportCcFeedback.Writer writer, int base, int count, long firstArrival, int number) {
        writer.reset(base, firstArrival, number, 1200);
        for (int i = 0; i < count; i++) {
            writer.addReceived((base + i) & 0xFFFF, firstArrival + 1_000L * i);
        }
        return writer.write(buf, 0, 1, 2);
    }

    @ParameterizedTest(name = "REMB {0} bps: estimate {1}")
    @CsvSource({
            "800000, 800000",
            "10000, 30000",         // clamped to the minimum
            "50000000, 20000000",   // and the maximum
    })
    void aReceiverWithRembOnlyIsFollowed(long remb, long expected) {
        ReceiverBandwidthEstimator estimator = new ReceiverBandwidthEstimator();
        assertEquals(BandwidthEstimatorConfig.DEFAULT_START_BPS, estimator.estimateBps());
        estimator.onRemb(remb, 1_000_000);
        assertEquals(expected, estimator.estimateBps());
    }

    @Test
    void rembCapsTheEstimateOfATransportCcReceiver() {
        ReceiverBandwidthEstimator estimator = new ReceiverBandwidthEstimator();
        TransportCcFeedback.Writer writer = new TransportCcFeedback.Writer(1200);
        for (int i = 0; i < 20; i++) {
            estimator.onPacketSent(i, 1200, 1_000L * i, SentPacketHistory.NOT_PROBE);
        }
        int len = feedback(writer, 0, 20, 50_000, 0);
        assertTrue(estimator.onTransportCcFeedback(buf, 0, len, 100_000));
        estimator.onRemb(100_000, 110_000);
        assertEquals(100_000, estimator.estimateBps());
    }

    @Test
    void badFeedbackIsCountedNeverThrown() {
        ReceiverBandwidthEstimator estimator = new ReceiverBandwidthEstimator();
        TransportCcFeedback.Writer writer = new TransportCcFeedback.Writer(1200);
        for (int i = 0; i < 10; i++) {
            estimator.onPacketSent(i, 1200, 1_000L * i, SentPacketHistory.NOT_PROBE);
        }
        // About packets 5..14: 10..14 were never sent.
        int len = feedback(writer, 5, 10, 50_000, 0);
        assertTrue(estimator.onTransportCcFeedback(buf, 0, len, 100_000));
        assertEquals(5, estimator.unknownFeedbackEntries());
        // Truncated, and garbage.
        assertFalse(estimator.onTransportCcFeedback(buf, 0, len - 4, 110_000));
        assertFalse(estimator.onTransportCcFeedback(new byte[] {(byte) 0x8F, (byte) 205, 0, 1}, 0, 4, 120_000));
        assertFalse(estimator.onTransportCcFeedback(buf, 1400, 200, 120_000));
        assertEquals(3, estimator.malformedFeedback());
        // Older feedback arriving after the newer one: packets 0..9, of which 5..9 are known already.
        len = feedback(writer, 0, 10, 45_000, 1);
        assertTrue(estimator.onTransportCcFeedback(buf, 0, len, 130_000));
        assertEquals(5, estimator.duplicateFeedbackEntries());
        assertEquals(10, estimator.ignoredFeedbackEntries());
        assertEquals(2, estimator.feedbackPackets());
        assertEquals(10, estimator.reportedPackets());
        assertEquals(0, estimator.reportedLostPackets());
    }

    @Test
    void aSuccessfulProbeRaisesTheEstimate() {
        ReceiverBandwidthEstimator estimator = new ReceiverBandwidthEstimator();
        TransportCcFeedback.Writer writer = new TransportCcFeedback.Writer(1200);
        // 10 probe packets at 1.2 Mbps (8 ms apart), received as sent.
        for (int i = 0; i < 10; i++) {
            estimator.onPacketSent(i, 1200, 8_000L * i, 3);
        }
        estimator.onProbeClusterSent(3, 10, 12_000);
        writer.reset(0, 40_000, 0, 1200);
        for (int i = 0; i < 10; i++) {
            writer.addReceived(i, 40_000 + 8_000L * i);
        }
        int len = writer.write(buf, 0, 1, 2);
        estimator.onTransportCcFeedback(buf, 0, len, 150_000);
        assertEquals(1_200_000, estimator.probeResultBps(3), 1000);
        assertEquals(1_200_000, estimator.estimateBps(), 1000);
        assertEquals(-1, estimator.probeResultBps(4));
    }

    /** onPacketSent and onTransportCcFeedback allocate nothing once running (JIT or not). */
    @Test
    void allocatesNothingPerPacketOrFeedback() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ReceiverBandwidthEstimator estimator = new ReceiverBandwidthEstimator();
        TransportCcFeedback.Writer writer = new TransportCcFeedback.Writer(1200);
        byte[] fb = new byte[1200];
        long[] allocated = new long[2];
        for (int round = 0; round < 2; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            run(estimator, writer, fb, round * 2_000);
            allocated[round] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals(0, allocated[1], "bytes allocated in steady state: " + Arrays.toString(allocated));
    }

    private static void run(ReceiverBandwidthEstimator estimator, TransportCcFeedback.Writer writer, byte[] fb, int from) {
        for (int f = 0; f < 100; f++) {
            int base = from + f * 20;
            for (int i = 0; i < 20; i++) {
                estimator.onPacketSent((base + i) & 0xFFFF, 1200, (base + i) * 5_000L, SentPacketHistory.NOT_PROBE);
            }
            writer.reset(base & 0xFFFF, base * 5_000L + 30_000, f, 1200);
            for (int i = 0; i < 20; i++) {
                if (i != 7) {
                    writer.addReceived((base + i) & 0xFFFF, (base + i) * 5_000L + 30_000);
                }
            }
            int len = writer.write(fb, 0, 1, 2);
            estimator.onTransportCcFeedback(fb, 0, len, (base + 20) * 5_000L + 60_000);
        }
    }
}
