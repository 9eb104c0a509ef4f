package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrendlineEstimatorTest {

    /**
     * Groups sent every 20 ms whose one-way delay changes by {@code delayStepMicros} each group,
     * with a little alternating jitter.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # name                                  | delay step (us) | groups | verdict
        constant delay                          | 0               | 200    | NORMAL
        constant delay, jitter only             | 0               | 60     | NORMAL
        queue growing 1 ms a group              | 1000            | 60     | OVERUSING
        queue growing 1.5 ms a group            | 1500            | 60     | OVERUSING
        growing 0.5 ms a group: under threshold | 500             | 60     | NORMAL
        queue draining 1 ms a group             | -1000           | 60     | UNDERUSING
        too few groups to judge                 | 1000            | 2      | NORMAL
        """)
    void detectsTheTrendOfTheDelay(String name, long delayStepMicros, int groups, BandwidthUsage verdict) {
        TrendlineEstimator trendline = new TrendlineEstimator();
        long send = 0;
        long arrival = 50_000;
        for (int i = 0; i < groups; i++) {
            long jitter = i % 2 == 0 ? 200 : -200;
            long sendDelta = 20_000;
            long arrivalDelta = sendDelta + delayStepMicros + (i == 0 ? 0 : 2 * jitter);
            send += sendDelta;
            arrival += arrivalDelta;
            trendline.update(arrivalDelta, sendDelta, arrival);
        }
        assertEquals(verdict, trendline.state(), name);
    }

    @ParameterizedTest(name = "modified trend {0} for 4 s: threshold {1}")
    @CsvSource({
            // Below the threshold it falls towards the trend (k_down), but not under 6.
            "0, 6.0",
            "10, 9.6",
            // Above, it rises towards it (k_up). The trend is per ms of arrival: 20 x 10 / 10.83.
            "20, 18.46",
    })
    void adaptiveThresholdFollowsTheTrend(double target, double expected) {
        TrendlineEstimator trendline = new TrendlineEstimator();
        // Feed deltas so that the trend settles at target / (60 * 4) ms per ms.
        double slope = target / (60 * TrendlineEstimator.THRESHOLD_GAIN);
        long arrival = 0;
        for (int i = 0; i < 400; i++) {
            long sendDelta = 10_000;
            long arrivalDelta = sendDelta + Math.round(slope * sendDelta);
            arrival += arrivalDelta;
            trendline.update(arrivalDelta, sendDelta, arrival);
        }
        assertEquals(expected, trendline.threshold(), 0.1);
    }
}
