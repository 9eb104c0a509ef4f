package org.atrium.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator's busiest thread of a window, from two samples of per-thread CPU time. */
class ThreadCpuSampleTest {

    @Test
    void theBusiestThreadIsTheOneThatUsedTheMostBetweenTheSamples() {
        ThreadCpuSample start = new ThreadCpuSample(Map.of(1L, 5_000_000_000L, 2L, 100_000_000L),
                Map.of(1L, "receiver-1", 2L, "pacer"));
        // Over 2 s: thread 1 (long-lived, most CPU in all) used 0.2 s, the pacer 1.9 s, thread 3 (new) 0.5 s.
        ThreadCpuSample end = new ThreadCpuSample(Map.of(1L, 5_200_000_000L, 2L, 2_000_000_000L, 3L, 500_000_000L),
                Map.of(1L, "receiver-1", 2L, "pacer", 3L, "receiver-2"));
        ThreadCpuSample.Busiest busiest = end.busiestSince(start, 2.0);
        assertEquals("pacer", busiest.name());
        assertEquals(95.0, busiest.percent(), 1e-9);
    }

    @Test
    void aThreadStartedInTheWindowCountsFromZero() {
        ThreadCpuSample start = new ThreadCpuSample(Map.of(1L, 0L), Map.of(1L, "a"));
        ThreadCpuSample end = new ThreadCpuSample(Map.of(1L, 100_000_000L, 7L, 900_000_000L), Map.of(1L, "a", 7L, "b"));
        assertEquals("b", end.busiestSince(start, 1.0).name());
        assertEquals(90.0, end.busiestSince(start, 1.0).percent(), 1e-9);
    }

    @Test
    void nothingMeasuredIsNoBusiestThread() {
        assertNull(ThreadCpuSample.NONE.busiestSince(ThreadCpuSample.NONE, 1.0));
    }

    @Test
    void aRealSampleHasThisThreadAndNotTheExcludedOnes() {
        long self = Thread.currentThread().getId();
        ThreadCpuSample sample = ThreadCpuSample.take(Set.of());
        assertTrue(sample.cpuNanos().containsKey(self), "this thread");
        assertEquals(Thread.currentThread().getName(), sample.names().get(self));
        assertTrue(sample.cpuNanos().get(self) > 0);
        assertFalse(ThreadCpuSample.take(Set.of(self)).cpuNanos().containsKey(self), "excluded");
    }
}
