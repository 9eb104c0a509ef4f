package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossBasedEstimatorTest {

    @ParameterizedTest(name = "{0} lost of {1}, target {2}: {3}")
    @CsvSource({
            "0, 100, 1000000, 1081000",   // under 2 %: target x 1.08 + 1 kbps
            "1, 100, 1000000, 1081000",   // 1 %
            "2, 100, 1000000, 1000000",   // 2 %: hold at the target
            "10, 100, 1000000, 1000000",  // 10 %: still hold
            "11, 100, 1000000, 945000",   // 11 %: x (1 - 0.055)
            "50, 100, 1000000, 750000",   // 50 %: x 0.75
            "100, 100, 1000000, 500000",  // all lost: halved
            "0, 100, 600000, 649000",     // increases from the combined target, not its own value
            "5, 100, 600000, 600000",     // holds at the combined target
            "1, 10, 1000000, 1000000",    // too few packets to judge: unchanged
            "100, 100, 40000, 30000",     // never below the minimum
    })
    void reactsToLoss(int lost, int reported, long target, long expected) {
        LossBasedEstimator loss = new LossBasedEstimator(1_000_000, 30_000, 20_000_000);
        assertEquals(expected, loss.onFeedback(lost, reported, target, 100_000, 1_000_000));
    }

    @Test
    void increasesAtMostOnceASecondAndDecreasesOncePerInterval() {
        LossBasedEstimator loss = new LossBasedEstimator(1_000_000, 30_000, 20_000_000);
        assertEquals(1_081_000, loss.onFeedback(0, 50, 1_000_000, 100_000, 0));
        assertEquals(1_081_000, loss.onFeedback(0, 50, 1_081_000, 100_000, 500_000));
        assertEquals(1_168_480, loss.onFeedback(0, 50, 1_081_000, 100_000, 1_000_000));
        assertEquals(876_360, loss.onFeedback(25, 50, 1_168_480, 100_000, 1_100_000));
        // The same loss episode reported again within 300 ms + rtt: no second cut.
        assertEquals(876_360, loss.onFeedback(25, 50, 876_360, 100_000, 1_300_000));
        assertEquals(657_270, loss.onFeedback(25, 50, 876_360, 100_000, 1_500_000));
        assertEquals(0.5, loss.lossFraction(), 1e-9);
    }

    @Test
    void accumulatesFeedbacksUntilEnoughPackets() {
        LossBasedEstimator loss = new LossBasedEstimator(1_000_000, 30_000, 20_000_000);
        for (int i = 0; i < 6; i++) {
            assertEquals(1_000_000, loss.onFeedback(1, 3, 1_000_000, 100_000, i * 100_000L));
        }
        // 7 of 21: a third lost.
        assertEquals(833_333, loss.onFeedback(1, 3, 1_000_000, 100_000, 600_000), 1);
    }
}
