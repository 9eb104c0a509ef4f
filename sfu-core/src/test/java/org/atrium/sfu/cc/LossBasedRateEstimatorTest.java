package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossBasedRateEstimatorTest {

    @ParameterizedTest(name = "loss {0}: {1} bps")
    @CsvSource({
            "0.00, 324000",   // grows 8 %
            "0.019, 324000",  // still under 2 %
            "0.05, 300000",   // holds
            "0.10, 300000",   // holds at the edge
            "0.20, 270000",   // drops by half the loss
            "1.00, 150000",   // everything lost: halves
    })
    void reactsToLossAsGoogleCongestionControlDoes(double loss, long expected) {
        LossBasedRateEstimator estimator = new LossBasedRateEstimator();
        assertEquals(expected, estimator.update(1_000_000, loss));
    }

    @Test
    void rampsUpWhileTheSenderFollows() {
        LossBasedRateEstimator estimator = new LossBasedRateEstimator();
        long estimate = LossBasedRateEstimator.START_BPS;
        for (int second = 0; second < 20; second++) {
            estimate = estimator.update(estimate, 0);
        }
        // 8 % a second for 20 s: about 4.66 times the start.
        assertTrue(estimate > 1_300_000 && estimate < 1_500_000, String.valueOf(estimate));
    }

    @Test
    void doesNotRunAheadOfAnAppLimitedSender() {
        LossBasedRateEstimator estimator = new LossBasedRateEstimator();
        long estimate = 0;
        for (int second = 0; second < 100; second++) {
            estimate = estimator.update(100_000, 0);
        }
        assertEquals(1.5 * 100_000 + 200_000, estimate, 1);
    }

    @Test
    void staysWithinBounds() {
        LossBasedRateEstimator estimator = new LossBasedRateEstimator();
        for (int i = 0; i < 100; i++) {
            estimator.update(0, 1);
        }
        assertEquals(LossBasedRateEstimator.MIN_BPS, estimator.estimateBps());
        for (int i = 0; i < 500; i++) {
            estimator.update(100_000_000, 0);
        }
        assertEquals(LossBasedRateEstimator.MAX_BPS, estimator.estimateBps());
    }
}
