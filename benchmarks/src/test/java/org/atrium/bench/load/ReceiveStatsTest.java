package org.atrium.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiveStatsTest {

    /** Captures a stream's packets instead of sending them. */
    private static final class Capture implements PacketSink {
        final List<byte[]> packets = new ArrayList<>();

        @Override
        public boolean send(byte[] b, int off, int len) {
            packets.add(java.util.Arrays.copyOfRange(b, off, off + len));
            return true;
        }
    }

    private static final class CountingFeedback implements ReceiveStats.Feedback {
        final List<Integer> nacked = new ArrayList<>();
        int plis;

        @Override
        public void nack(long mediaSsrc, int[] sequences, int count) {
            for (int i = 0; i < count; i++) {
                nacked.add(sequences[i]);
            }
        }

        @Override
        public void pli(long mediaSsrc) {
            plis++;
        }
    }

    @Test
    void gapsAreCountedAsLossAndNackedAndTheKeyframeEndsThePlis() {
        Capture capture = new Capture();
        VideoStream video = new VideoStream(1234, "1", null, ExtensionIds.SFU_DEFAULTS,
                new SyntheticStream.TransportSequence(), capture, 0x10000, 1000, 30);
        long now = System.nanoTime();
        video.nextDueNanos = now;
        for (int frame = 0; frame < 10; frame++) {
            video.emit(video.nextDueNanos);
        }
        assertTrue(capture.packets.size() > 10);
        CountingFeedback feedback = new CountingFeedback();
        ReceiveStats stats = new ReceiveStats(feedback, Map.of());
        for (int i = 0; i < capture.packets.size(); i++) {
            if (i == 5 || i == 6) {
                continue; // lost
            }
            byte[] packet = capture.packets.get(i);
            stats.onRtp(packet, 0, packet.length, System.nanoTime());
        }
        LoadSnapshot.Builder snapshot = new LoadSnapshot.Builder();
        stats.addTo(snapshot);
        assertEquals(capture.packets.size() - 2, snapshot.receivedPackets);
        assertEquals(capture.packets.size(), snapshot.expectedPackets);
        assertEquals(2, snapshot.lostPackets);
        assertEquals(2, feedback.nacked.size());
        assertEquals(0, feedback.plis, "the first packet was a keyframe");
        assertTrue(DelayHistogram.quantile(snapshot.delayCounts, 0.5) > 0);
    }

    @Test
    void theHistogramReadsBackWithinItsResolution() {
        for (long micros : new long[] {0, 7, 16, 100, 1234, 50_000, 3_000_000}) {
            double value = DelayHistogram.valueOf(DelayHistogram.index(micros));
            assertEquals(micros, value, Math.max(1, micros * 0.07), "value of " + micros);
        }
        long[] counts = new long[DelayHistogram.BUCKETS];
        for (int i = 1; i <= 1000; i++) {
            counts[DelayHistogram.index(i * 10L)]++;
        }
        assertEquals(5000, DelayHistogram.quantile(counts, 0.5), 5000 * 0.07);
        assertEquals(9900, DelayHistogram.quantile(counts, 0.99), 9900 * 0.07);
    }
}
