package org.atrium.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which side limited a window: {@link LimitRule} as a table. */
class LimitRuleTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", textBlock = """
            # case,                                             cpus, gen %, srv %, loss %, p99 ms, fwd pps, gen busiest thread %, server's p99 ms, limited by
            'within the limits, CPU to spare',                     2,    60,    50,      0,     10,    1000,   40,   NaN, null
            'over the loss limit, CPU to spare: the server',       2,    60,    50,    1.5,     10,    1000,   40,   NaN, server
            'over the delay limit, CPU to spare: the server',      2,    60,    50,      0,     80,    1000,   40,   NaN, server
            'nothing forwarded: the server',                       2,    10,     5,      0,     NaN,      0,   40,   NaN, server
            'generator at 90% of what the server leaves',          2,   135,    50,      0,     10,    1000,   40,   NaN, generator
            'generator just below 90% of what the server leaves',  2,   134,    50,      0,     10,    1000,   40,   NaN, null
            'generator limited and over the limits: generator',    2,   140,    50,      5,    200,    1000,   40,   NaN, generator
            'server takes most, generator takes the rest',         2,    45,   150,      3,    200,    1000,   40,   NaN, generator
            'server on a core of its own, generator on the other', 2,    90,   100,      3,    200,    1000,   40,   NaN, generator
            'four processors: the same generator has room',        4,   135,    50,      3,    200,    1000,   40,   NaN, server
            'server CPU unknown: all processors left',             2,   170,    NaN,     0,     10,    1000,   40,   NaN, null
            'server CPU unknown, generator at 90% of them',        2,   180,    NaN,     0,     10,    1000,   40,   NaN, generator
            'one generator thread runs a whole core: generator',   2,    95,    50,      5,    200,    1000,   97,   NaN, generator
            'one thread at 90% of a core, within the limits',      2,    95,    50,      0,     10,    1000,   90,   NaN, generator
            'busiest thread just below 90%: the server',           2,    95,    50,      5,    200,    1000,   89,   NaN, server
            'threads not measured (SFU in process): the server',   2,    95,    50,      5,    200,    1000,  NaN,   NaN, server
            'late at the subscribers, in time at the server',      2,   110,    44,      0,   1081,    1000,    2,     2, server
            'late at both: the server',                            2,   110,    44,      0,   1081,    1000,    2, Infinity, server
            'late at the subscribers and lossy: the server',       2,   110,    44,      3,   1081,    1000,    2,     2, server
            'server in time and subscribers in time: nothing',     2,   110,    44,      0,     10,    1000,    2,     2, null
            """)
    void limitedBy(String name, int processors, double generatorCpu, double serverCpu, double loss, double p99,
            double forwarded, double busiestThread, double serverP99, String expected) {
        LimitRule rule = new LimitRule(processors, 1.0, 50.0);
        WindowResult window = window(generatorCpu, serverCpu, loss, p99, forwarded, busiestThread, serverP99);
        assertEquals(expected, rule.limitedBy(window), name);
        if (expected != null) {
            assertTrue(rule.explain(window).contains("limited by the " + (expected.equals("server") ? "server"
                    : "load generator")), rule.explain(window));
        }
    }

    @Test
    void theExplanationNamesTheBusyThread() {
        LimitRule rule = new LimitRule(2, 1.0, 50.0);
        String why = rule.explain(window(95, 50, 5, 200, 1000, 97, Double.NaN));
        assertTrue(why.contains("'pacer' ran 97.0% of a core"), why);
    }

    @Test
    void aLateWindowIsTheServersAndItsOwnP99IsGivenForWhatItIs() {
        LimitRule rule = new LimitRule(2, 1.0, 50.0);
        String why = rule.explain(window(110, 44, 0, 1081, 1000, 2, 2));
        assertTrue(why.contains("limited by the server"), why);
        assertTrue(why.contains("the server's own p99 from read to send 2.00 ms (the wait in its socket"), why);
        assertTrue(!rule.explain(window(110, 44, 0, 1081, 1000, 2, Double.NaN)).contains("own p99"),
                "the raw relay has none");
    }

    private static WindowResult window(double generatorCpu, double serverCpu, double loss, double p99,
            double forwarded, double busiestThread, double serverP99) {
        return new WindowResult("sfu", 10, 2, 64, 2000, forwarded, forwarded, 0, 2, 100, loss, 1, p99, p99, p99,
                1, 0, 0, 0, 0, 0, serverCpu, 20, 0, 0, 0, 0, 0, 0, 0, 0, generatorCpu,
                Double.isNaN(busiestThread) ? null : "pacer", busiestThread, serverP99);
    }
}
