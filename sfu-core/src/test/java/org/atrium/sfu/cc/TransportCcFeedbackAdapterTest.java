package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.atrium.rtp.TransportCcFeedback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransportCcFeedbackAdapterTest {
    private final SentPacketHistory history = new SentPacketHistory(1024);
    private final TransportCcFeedbackAdapter adapter = new TransportCcFeedbackAdapter(history);
    private int feedbackCount;

    /** Feedback built with the real writer; {@code arrivals[i]} for {@code base + i}, -1 for lost. */
    private byte[] feedback(int base, long... arrivals) {
        TransportCcFeedback.Writer writer = new TransportCcFeedback.Writer(1200);
        long first = Arrays.stream(arrivals).filter(a -> a >= 0).findFirst().orElseThrow();
        writer.reset(base, first, feedbackCount++, 1200);
        for (int i = 0; i < arrivals.length; i++) {
            if (arrivals[i] >= 0) {
                assertTrue(writer.addReceived((base + i) & 0xFFFF, arrivals[i]));
            }
        }
        byte[] buf = new byte[1200];
        int len = writer.write(buf, 0, 1, 2);
        return Arrays.copyOf(buf, len);
    }

    private void sent(int first, int count) {
        for (int i = 0; i < count; i++) {
            history.onSent((first + i) & 0xFFFF, 100 + i, 1_000_000 + 10_000L * i, SentPacketHistory.NOT_PROBE);
        }
    }

    private static long[] sequences(PacketResults r) {
        long[] s = new long[r.count()];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.sequence(i) & 0xFFFF;
        }
        return s;
    }

    @Test
    void matchesEachEntryWithWhatWasSent() {
        sent(10, 5);
        byte[] fb = feedback(10, 2_000_000, 2_010_000, -1, 2_030_000, 2_040_250);
        PacketResults r = adapter.onFeedback(fb, 0, fb.length, 5_000_000);
        assertNotNull(r);
        assertArrayEquals(new long[] {10, 11, 12, 13, 14}, sequences(r));
        assertEquals(4, r.receivedCount());
        assertEquals(1, r.lostCount());
        assertFalse(r.received(2));
        assertEquals(102, r.sizeBytes(2));
        assertEquals(1_020_000, r.sendMicros(2));
        // Receive times keep their spacing (250 us ticks).
        assertEquals(10_000, r.receiveMicros(1) - r.receiveMicros(0));
        assertEquals(40_250, r.receiveMicros(4) - r.receiveMicros(0));
    }

    @Test
    void duplicateFeedbackIsCountedNotReportedTwice() {
        sent(0, 4);
        byte[] fb = feedback(0, 2_000_000, 2_001_000, -1, 2_003_000);
        assertEquals(4, adapter.onFeedback(fb, 0, fb.length, 5_000_000).count());
        PacketResults again = adapter.onFeedback(fb, 0, fb.length, 5_100_000);
        assertEquals(0, again.count());
        assertEquals(4, adapter.duplicateEntries());
        assertEquals(2, adapter.feedbackPackets());
    }

    @Test
    void reorderedFeedbackReportsOnlyWhatIsNew() {
        sent(0, 8);
        byte[] older = feedback(0, 2_000_000, -1, 2_002_000, 2_003_000);
        // The receiver rewound for packet 1, which arrived late, and went on to 7.
        byte[] newer = feedback(1, 2_004_000, -1, -1, 2_005_000, 2_006_000, 2_007_000, 2_008_000);
        PacketResults r = adapter.onFeedback(newer, 0, newer.length, 5_000_000);
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7}, sequences(r));
        assertEquals(2, r.lostCount());
        long arrivalOf1 = r.receiveMicros(0);
        r = adapter.onFeedback(older, 0, older.length, 5_100_000);
        // 0 is new; 1 was received already; 2 and 3, reported lost before, are received after all.
        assertArrayEquals(new long[] {0, 2, 3}, sequences(r));
        assertEquals(0, r.lostCount());
        assertEquals(1, adapter.duplicateEntries());
        // Both on the receiver's one clock: the late feedback's times are not shifted by its arrival.
        assertEquals(-4_000, r.receiveMicros(0) - arrivalOf1);
    }

    @Test
    void packetsAcrossTheSixteenBitWrap() {
        sent(65533, 6);
        byte[] fb = feedback(65533, 2_000_000, 2_001_000, 2_002_000, 2_003_000, 2_004_000, 2_005_000);
        PacketResults r = adapter.onFeedback(fb, 0, fb.length, 5_000_000);
        assertArrayEquals(new long[] {65533, 65534, 65535, 0, 1, 2}, sequences(r));
        for (int i = 1; i < r.count(); i++) {
            assertEquals(r.sequence(i - 1) + 1, r.sequence(i));
        }
    }

    @Test
    void referenceTimeWrapsAround() {
        sent(0, 2);
        long unit = TransportCcFeedback.REFERENCE_TIME_UNIT_MICROS;
        long last = (0xFFFFFFL) * unit;
        byte[] before = feedback(0, last + 1_000);
        byte[] after = feedback(1, last + unit + 2_000); // reference time 0x000000 after the wrap
        long t0 = adapter.onFeedback(before, 0, before.length, 5_000_000).receiveMicros(0);
        long t1 = adapter.onFeedback(after, 0, after.length, 5_100_000).receiveMicros(0);
        assertEquals(unit + 1_000, t1 - t0);
    }

    @Test
    void entriesAboutPacketsNeverSentAreCounted() {
        sent(100, 3);
        byte[] fb = feedback(100, 2_000_000, 2_001_000, 2_002_000, 2_003_000, 2_004_000);
        PacketResults r = adapter.onFeedback(fb, 0, fb.length, 5_000_000);
        assertEquals(3, r.count());
        assertEquals(2, history.unknownFeedback());
        assertEquals(2, adapter.ignoredEntries());
    }

    @ParameterizedTest(name = "cut to {0} bytes")
    @ValueSource(ints = {0, 4, 8, 19, 20, 21, 23})
    void truncatedFeedbackIsCountedNotThrown(int length) {
        sent(0, 20);
        long[] arrivals = new long[20];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = i % 3 == 0 ? -1 : 2_000_000 + 70_000L * i; // large deltas: 2-bit chunks
        }
        arrivals[0] = 2_000_000;
        byte[] fb = feedback(0, arrivals);
        assertTrue(fb.length > 23);
        assertNull(adapter.onFeedback(fb, 0, length, 5_000_000));
        assertNull(adapter.onFeedback(null, 0, 10, 5_000_000));
        assertNull(adapter.onFeedback(fb, fb.length - 2, 10, 5_000_000));
        assertEquals(3, adapter.malformedFeedback());
        assertEquals(0, adapter.feedbackPackets());
    }

    @Test
    void receivedEntriesAreListedByArrivalTime() {
        sent(0, 4);
        TransportCcFeedback.Writer writer = new TransportCcFeedback.Writer(1200);
        writer.reset(0, 2_010_000, 0, 1200);
        writer.addReceived(0, 2_010_000);
        writer.addReceived(1, 2_030_000);
        writer.addReceived(2, 2_020_000); // overtook 1 in the network: a negative delta
        writer.addReceived(3, 2_040_000);
        byte[] buf = new byte[1200];
        int len = writer.write(buf, 0, 1, 2);
        PacketResults r = adapter.onFeedback(buf, 0, len, 5_000_000);
        assertEquals(4, r.receivedCount());
        int[] order = new int[4];
        for (int k = 0; k < 4; k++) {
            order[k] = (int) r.sequence(r.receivedInArrivalOrder(k)) & 0xFFFF;
        }
        assertArrayEquals(new int[] {0, 2, 1, 3}, order);
    }
}
