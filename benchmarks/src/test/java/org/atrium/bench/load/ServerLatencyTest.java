package org.atrium.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The servers' own forwarding delay from their /metrics text, as the server writes it. */
class ServerLatencyTest {

    /** The lines of a server's /metrics for the histogram, as read from the server, with counts. */
    private static String metrics(long... counts) {
        String[] bounds = {"5.0E-5", "1.0E-4", "2.0E-4", "5.0E-4", "0.001", "0.002", "0.005", "0.01", "0.02", "+Inf"};
        StringBuilder text = new StringBuilder("""
                # HELP atrium_forwarding_latency_seconds Per forwarded packet
                # TYPE atrium_forwarding_latency_seconds histogram
                """);
        for (int i = 0; i < bounds.length; i++) {
            text.append("atrium_forwarding_latency_seconds_bucket{le=\"").append(bounds[i]).append("\"} ")
                    .append(counts[i]).append('\n');
        }
        text.append("atrium_forwarding_latency_seconds_count ").append(counts[counts.length - 1]).append('\n');
        text.append("atrium_forwarding_latency_seconds_sum 0.5\n");
        text.append("atrium_forwarding_latency_seconds_max 0.003\n");
        return text.toString();
    }

    @Test
    void bucketsAreReadInOrderAndSummedOverNodes() {
        ServerLatency latency = ServerLatency.parse(List.of(metrics(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
                metrics(10, 20, 30, 40, 50, 60, 70, 80, 90, 100)));
        assertEquals(10, latency.upperBoundsSeconds().length);
        assertEquals(5.0e-5, latency.upperBoundsSeconds()[0]);
        assertEquals(Double.POSITIVE_INFINITY, latency.upperBoundsSeconds()[9]);
        assertEquals("[11, 22, 33, 44, 55, 66, 77, 88, 99, 110]", Arrays.toString(latency.cumulativeCounts()));
    }

    @Test
    void theQuantileIsTheBoundOfTheWindowsBucket() {
        ServerLatency start = ServerLatency.parse(List.of(metrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        // 1000 packets in the window: 900 under 500 us, 990 under 1 ms, all under 2 ms.
        ServerLatency end = ServerLatency.parse(List.of(metrics(0, 100, 500, 900, 990, 1000, 1000, 1000, 1000, 1000)));
        assertEquals(1.0, ServerLatency.quantileMs(start, end, 0.99), 1e-9);
        assertEquals(0.5, ServerLatency.quantileMs(start, end, 0.90), 1e-9);
        assertEquals(0.2, ServerLatency.quantileMs(start, end, 0.50), 1e-9);
        // Only the window counts: the same counts before it leave nothing.
        assertTrue(Double.isNaN(ServerLatency.quantileMs(end, end, 0.99)));
        // Past the last finite bucket: no bound but infinity.
        ServerLatency late = ServerLatency.parse(List.of(metrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 1000)));
        assertEquals(Double.POSITIVE_INFINITY, ServerLatency.quantileMs(start, late, 0.99));
    }

    @Test
    void aNodeWithoutTheHistogramOrNoAnswerIsNotKnown() {
        assertNull(ServerLatency.parse(List.of(metrics(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), "process_cpu_seconds_total 3\n")));
        assertNull(ServerLatency.parse(java.util.Arrays.asList(metrics(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), null)));
        assertTrue(Double.isNaN(ServerLatency.quantileMs(null, null, 0.99)));
    }
}
