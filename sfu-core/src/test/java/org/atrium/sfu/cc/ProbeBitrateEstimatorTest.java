package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeBitrateEstimatorTest {

    /**
     * A cluster of {@code sent} 1200-byte packets, 9.6 ms apart (1 Mbps), of which {@code received}
     * arrive {@code receiveGap} us apart.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # name                                    | sent | received | receive gap | result
        got through: the send rate                | 10   | 10       | 9600        | 1000000
        got through, spread a little: send rate   | 10   | 10       | 10000       | 960000
        saturated: 95 % of the receive rate       | 10   | 10       | 19200       | 475000
        most of it arrived                        | 10   | 8        | 9600        | 1000000
        too little arrived                        | 10   | 7        | 9600        | -1
        compressed by a queue, over twice         | 10   | 10       | 1000        | -1
        """)
    void ratesACluster(String name, int sent, int received, long receiveGap, long expected) {
        ProbeBitrateEstimator probes = new ProbeBitrateEstimator();
        probes.onClusterSent(7, sent, sent * 1200L);
        long result = -1;
        for (int i = 0; i < received; i++) {
            result = probes.onProbePacket(7, i * 9_600L, 50_000 + i * receiveGap, 1200);
        }
        assertEquals(expected, result, Math.max(1, expected / 1000), name);
        assertEquals(expected, probes.resultBps(7), Math.max(1, expected / 1000));
        assertEquals(-1, probes.resultBps(8));
    }
}
