package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AimdRateControlTest {
    private static final long S = 1_000_000;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # name                                       | verdict    | acked     | after (us) | expected
        normal, far from capacity: +8 % a second     | NORMAL     | 1000000   | 1000000    | 1081080
        normal, half a second: 1.08^0.5              | NORMAL     | 1000000   | 500000     | 1040269
        normal, capped by 1.5 x acked + 10 kbps      | NORMAL     | 700000    | 1000000    | 1060000
        normal, capped, already above: unchanged     | NORMAL     | 300000    | 1000000    | 1000000
        overusing: 0.85 x acked                      | OVERUSING  | 900000    | 1000000    | 765000
        overusing, acked above the estimate: kept    | OVERUSING  | 1500000   | 1000000    | 1000000
        underusing: hold                             | UNDERUSING | 1000000   | 1000000    | 1000000
        """)
    void stepsFromOneMegabit(String name, BandwidthUsage usage, long acked, long after, long expected) {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 30_000, 20_000_000);
        // Starts increasing at t = 0, by the minimum step of 1 kbps: from 1 001 000 bps.
        aimd.update(BandwidthUsage.NORMAL, acked, 0);
        assertEquals(expected, aimd.update(usage, acked, after), 1000, name);
    }

    @Test
    void increasesAdditivelyNearAKnownCapacity() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 30_000, 20_000_000);
        aimd.setRttMicros(100_000);
        aimd.update(BandwidthUsage.OVERUSING, 1_000_000, 0);
        assertEquals(850_000, aimd.estimateBps());
        assertTrue(aimd.nearCapacity());
        aimd.update(BandwidthUsage.NORMAL, 850_000, S);
        long before = aimd.estimateBps();
        aimd.update(BandwidthUsage.NORMAL, 850_000, 2 * S);
        // One average packet (28.3 kbit frames in 3 packets: 9444 bits) per rtt + 100 ms: 47 kbps/s.
        assertEquals(47_222, aimd.estimateBps() - before, 100);
    }

    @Test
    void leavesAdditiveModeWhenThroughputFarExceedsTheCapacity() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 30_000, 20_000_000);
        aimd.update(BandwidthUsage.OVERUSING, 1_000_000, 0);
        aimd.update(BandwidthUsage.NORMAL, 1_500_000, S);
        assertFalse(aimd.nearCapacity());
    }

    @Test
    void cutsOncePerReductionInterval() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 30_000, 20_000_000);
        aimd.setRttMicros(100_000);
        aimd.update(BandwidthUsage.OVERUSING, 1_000_000, 0);
        assertFalse(aimd.timeToReduceFurther(50_000, 800_000));
        assertTrue(aimd.timeToReduceFurther(100_000, 800_000));
        assertTrue(aimd.timeToReduceFurther(50_000, 400_000), "the throughput collapsed: cut at once");
    }

    @Test
    void staysWithinBounds() {
        AimdRateControl aimd = new AimdRateControl(100_000, 50_000, 2_000_000);
        aimd.update(BandwidthUsage.OVERUSING, 10_000, 0);
        assertEquals(50_000, aimd.estimateBps());
        aimd.setEstimate(5_000_000, S);
        assertEquals(2_000_000, aimd.estimateBps());
    }
}
