package org.atrium.sfu.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Times are in milliseconds from an arbitrary origin, converted to the nanoseconds the API takes. */
class NackGeneratorTest {
    static final long MS = 1_000_000L;
    /** Far from 0, so that nothing depends on the clock starting at 0. */
    static final long T0 = 5_000_000 * MS;

    static NackGenerator.Config config(int maxMissing, int maxRetries, long maxAgeMs, int perSecond) {
        NackGenerator.Config d = NackGenerator.Config.DEFAULT;
        return new NackGenerator.Config(maxMissing, d.reorderDelayNanos(), d.minRetryIntervalNanos(), maxRetries,
                maxAgeMs * MS, perSecond, d.initialRttNanos());
    }

    static void receive(NackGenerator nacks, long atMs, int... sequences) {
        for (int seq : sequences) {
            nacks.onPacket(seq, T0 + atMs * MS);
        }
    }

    static int[] collect(NackGenerator nacks, long atMs) {
        int[] out = new int[2000];
        int n = nacks.collectNacks(out, T0 + atMs * MS);
        return Arrays.copyOf(out, n);
    }

    @Test
    void gapIsRequestedAfterTheReorderDelay() {
        NackGenerator nacks = new NackGenerator(NackGenerator.Config.DEFAULT);
        receive(nacks, 0, 1, 2, 5);

        assertArrayEquals(new int[0], collect(nacks, 9));
        assertArrayEquals(new int[] {3, 4}, collect(nacks, 10));
        assertArrayEquals(new int[0], collect(nacks, 11), "not again before the retry interval");
        assertEquals(2, nacks.missingCount());
    }

    @Test
    void packetReorderedWithinToleranceIsNeverRequested() {
        NackGenerator nacks = new NackGenerator(NackGenerator.Config.DEFAULT);
        receive(nacks, 0, 1, 3);

        assertTrue(nacks.onPacket(2, T0 + 5 * MS), "late packet is news");
        assertArrayEquals(new int[0], collect(nacks, 10));
        assertArrayEquals(new int[0], collect(nacks, 500));
        assertEquals(0, nacks.missingCount());
    }

    @Test
    void onPacketTellsNewsFromDuplicates() {
        NackGenerator nacks = new NackGenerator(NackGenerator.Config.DEFAULT);

        assertTrue(nacks.onPacket(100, T0));
        assertTrue(nacks.onPacket(103, T0));
        assertFalse(nacks.onPacket(103, T0), "duplicate of the highest");
        assertFalse(nacks.onPacket(100, T0), "duplicate of an older one");
        assertFalse(nacks.onPacket(50, T0), "older than anything tracked");
        assertTrue(nacks.onPacket(101, T0), "recovered");
        assertFalse(nacks.onPacket(101, T0), "recovered twice, e.g. RTX after the late original");
        assertEquals(1, nacks.missingCount());
    }

    @Test
    void retriesAreSpacedByRttWithAFloor() {
        NackGenerator nacks = new NackGenerator(NackGenerator.Config.DEFAULT);
        nacks.setRtt(50 * MS);
        receive(nacks, 0, 10, 12);

        assertArrayEquals(new int[] {11}, collect(nacks, 10));
        assertArrayEquals(new int[0], collect(nacks, 59));
        assertArrayEquals(new int[] {11}, collect(nacks, 60));

        nacks.setRtt(5 * MS);   // shorter than the 20 ms floor
        assertArrayEquals(new int[] {11}, collect(nacks, 110), "still due from the 50 ms interval");
        assertArrayEquals(new int[0], collect(nacks, 129));
        assertArrayEquals(new int[] {11}, collect(nacks, 130));

        assertTrue(nacks.onPacket(11, T0 + 140 * MS), "retransmission arrives");
        assertArrayEquals(new int[0], collect(nacks, 200));
    }

    @Test
    void givesUpAfterTheRetryLimit() {
        NackGenerator nacks = new NackGenerator(config(1000, 3, 10_000, 1000));
        receive(nacks, 0, 1, 3);

        List<Long> requestTimes = new ArrayList<>();
        for (long t = 0; t <= 2000; t += 5) {
            if (collect(nacks, t).length > 0) {
                requestTimes.add(t);
            }
        }

        assertEquals(List.of(10L, 110L, 210L), requestTimes);
        assertEquals(0, nacks.missingCount());
        assertFalse(nacks.onPacket(2, T0 + 2000 * MS), "given up: too late to forward");
    }

    @Test
    void lastRetryCanStillBeAnswered() {
        NackGenerator nacks = new NackGenerator(config(1000, 1, 10_000, 1000));
        receive(nacks, 0, 1, 3);

        assertArrayEquals(new int[] {2}, collect(nacks, 10));
        assertArrayEquals(new int[0], collect(nacks, 50));
        assertTrue(nacks.onPacket(2, T0 + 60 * MS), "answer to the only request, inside its RTT");
    }

    @Test
    void givesUpAfterTheAgeLimit() {
        NackGenerator nacks = new NackGenerator(config(1000, 100, 1000, 1000));
        receive(nacks, 0, 1, 3);

        int requests = 0;
        for (long t = 0; t <= 3000; t += 10) {
            requests += collect(nacks, t).length;
        }

        assertEquals(10, requests, "at 10, 110, ..., 910 ms; 1010 ms is past the 1 s age");
        assertEquals(0, nacks.missingCount());
    }

    @Test
    void gapAcrossTheSequenceWrap() {
        NackGenerator nacks = new NackGenerator(NackGenerator.Config.DEFAULT);
        receive(nacks, 0, 65533, 65534, 2);

        assertArrayEquals(new int[] {65535, 0, 1}, collect(nacks, 10));
        assertTrue(nacks.onPacket(0, T0 + 20 * MS));
        assertFalse(nacks.onPacket(65534, T0 + 20 * MS));
        assertArrayEquals(new int[] {65535, 1}, collect(nacks, 110));
    }

    @Test
    void tooManyMissingDropsTheOldestAndNeedsAKeyframe() {
        NackGenerator nacks = new NackGenerator(config(8, 10, 1000, 1000));
        receive(nacks, 0, 1, 6);      // 2..5 missing
        assertFalse(nacks.takeKeyframeRequest());
        assertTrue(nacks.onPacket(4, T0));   // leaves a removed entry in the middle

        receive(nacks, 0, 12);        // 7..11 missing: 8 in all, fits once 4 is compacted away
        assertFalse(nacks.takeKeyframeRequest());
        assertEquals(8, nacks.missingCount());

        receive(nacks, 0, 15);        // 13, 14 missing: 2 and 3 are given up
        assertTrue(nacks.takeKeyframeRequest());
        assertFalse(nacks.takeKeyframeRequest(), "reading clears it");
        assertArrayEquals(new int[] {5, 7, 8, 9, 10, 11, 13, 14}, collect(nacks, 10));
        assertFalse(nacks.onPacket(2, T0 + 20 * MS), "given up");
    }

    @Test
    void jumpLargerThanWhatCanBeTrackedNeedsAKeyframe() {
        NackGenerator nacks = new NackGenerator(config(8, 10, 1000, 1000));
        receive(nacks, 0, 1, 3);

        receive(nacks, 0, 3 + 9 + 1);   // 9 missing at once
        assertTrue(nacks.takeKeyframeRequest());
        assertEquals(0, nacks.missingCount());
        assertArrayEquals(new int[0], collect(nacks, 10));

        receive(nacks, 0, 14, 16);      // tracking goes on from the new highest
        assertArrayEquals(new int[] {15}, collect(nacks, 20));
    }

    @Test
    void requestsAreRateLimitedOverall() {
        NackGenerator nacks = new NackGenerator(config(1000, 1000, 60_000, 10));
        receive(nacks, 0, 0, 201);      // 200 missing

        assertEquals(10, collect(nacks, 10).length, "a burst of one second's worth");
        int later = 0;
        for (long t = 20; t <= 2010; t += 10) {
            later += collect(nacks, t).length;
        }
        assertEquals(20, later, "then 10 per second");
    }

    @Test
    void requestsLeftOutByTheOutputSizeStayDue() {
        NackGenerator nacks = new NackGenerator(NackGenerator.Config.DEFAULT);
        receive(nacks, 0, 1, 7);

        int[] out = new int[2];
        assertEquals(2, nacks.collectNacks(out, T0 + 10 * MS));
        assertArrayEquals(new int[] {2, 3}, out);
        assertArrayEquals(new int[] {4, 5, 6}, collect(nacks, 11));
    }

    @Test
    void resetForgetsTheStream() {
        NackGenerator nacks = new NackGenerator(NackGenerator.Config.DEFAULT);
        receive(nacks, 0, 1, 5);
        nacks.reset();

        assertTrue(nacks.onPacket(40_000, T0), "first packet of the new numbering");
        assertTrue(nacks.onPacket(40_002, T0));
        assertArrayEquals(new int[] {40_001}, collect(nacks, 10));
    }

    @Test
    void rejectsUnusableConfig() {
        assertThrows(IllegalArgumentException.class, () -> config(0, 10, 1000, 100));
        assertThrows(IllegalArgumentException.class, () -> config(100, 0, 1000, 100));
        assertThrows(IllegalArgumentException.class, () -> config(100, 10, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> config(100, 10, 1000, 0));
    }
}
