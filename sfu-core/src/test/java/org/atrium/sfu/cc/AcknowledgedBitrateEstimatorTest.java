package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcknowledgedBitrateEstimatorTest {

    @ParameterizedTest(name = "{0} bps, then {1} bps")
    @CsvSource({
            "1000000, 1000000",
            "2000000, 300000",
            "300000, 2000000",
    })
    void followsTheReceiveRate(long first, long second) {
        AcknowledgedBitrateEstimator acked = new AcknowledgedBitrateEstimator();
        assertEquals(-1, acked.bitrateBps());
        long t = 0;
        for (; t < 3_000_000; t += 1200 * 8_000_000L / first) {
            acked.onPacketReceived(t, 1200);
        }
        assertEquals(first, acked.bitrateBps(), first * 0.1);
        long end = t + 3_000_000;
        for (; t < end; t += 1200 * 8_000_000L / second) {
            acked.onPacketReceived(t, 1200);
        }
        assertEquals(second, acked.bitrateBps(), second * 0.1);
    }
}
