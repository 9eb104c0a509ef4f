package org.atrium.sfu.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpReportIntervalTest {

    @ParameterizedTest(name = "video={0} uniform={1} -> {2} ns")
    @CsvSource({
        "true,  0.0,  500000000",
        "true,  0.5,  1000000000",
        "true,  0.75, 1250000000",
        "false, 0.0,  2500000000",
        "false, 0.5,  5000000000",
        "false, 0.9,  7000000000",
    })
    void randomizesBetweenHalfAndOneAndAHalfTimesTheBase(boolean anyVideo, double uniform, long delay) {
        assertEquals(delay, RtcpReportInterval.nextReportDelayNanos(
                RtcpReportInterval.baseIntervalNanos(anyVideo), uniform));
    }

    @Test
    void randomDelaysStayInRange() {
        for (int i = 0; i < 1000; i++) {
            long video = RtcpReportInterval.nextReportDelayNanos(true);
            long audio = RtcpReportInterval.nextReportDelayNanos(false);
            assertTrue(video >= 500_000_000L && video < 1_500_000_000L, "video " + video);
            assertTrue(audio >= 2_500_000_000L && audio < 7_500_000_000L, "audio " + audio);
        }
    }
}
