package org.atrium.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which side limited a window: {@link LimitRule} as a table. */
class LimitRuleTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", textBlock = """
            # case,                                             cpus, gen %, srv %, loss %, p99 ms, fwd pps, limited by
            'within the limits, CPU to spare',                     2,    60,    50,      0,     10,    1000, null
            'over the loss limit, CPU to spare: the server',       2,    60,    50,    1.5,     10,    1000, server
            'over the delay limit, CPU to spare: the server',      2,    60,    50,      0,     80,    1000, server
            'nothing forwarded: the server',                       2,    10,     5,      0,     NaN,      0, server
            'generator at 90% of what the server leaves',          2,   135,    50,      0,     10,    1000, generator
            'generator just below 90% of what the server leaves',  2,   134,    50,      0,     10,    1000, null
            'generator limited and over the limits: generator',    2,   140,    50,      5,    200,    1000, generator
            'server takes most, generator takes the rest',         2,    45,   150,      3,    200,    1000, generator
            'server on a core of its own, generator on the other', 2,    90,   100,      3,    200,    1000, generator
            'four processors: the same generator has room',        4,   135,    50,      3,    200,    1000, server
            'server CPU unknown: all processors left',             2,   170,    NaN,     0,     10,    1000, null
            'server CPU unknown, generator at 90% of them',        2,   180,    NaN,     0,     10,    1000, generator
            """)
    void limitedBy(String name, int processors, double generatorCpu, double serverCpu, double loss, double p99,
            double forwarded, String expected) {
        LimitRule rule = new LimitRule(processors, 1.0, 50.0);
        assertEquals(expected, rule.limitedBy(window(generatorCpu, serverCpu, loss, p99, forwarded)), name);
    }

    private static WindowResult window(double generatorCpu, double serverCpu, double loss, double p99,
            double forwarded) {
        return new WindowResult("sfu", 10, 2, 64, 2000, forwarded, forwarded, 0, 2, 100, loss, 1, p99, p99, p99,
                1, 0, 0, 0, 0, 0, serverCpu, 20, 0, 0, 0, 0, 0, 0, 0, 0, generatorCpu);
    }
}
