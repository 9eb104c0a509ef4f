package org.atrium.signaling.limits;

import static org.atrium.signaling.limits.MessageRateLimiter.Verdict.ACCEPT;
import static org.atrium.signaling.limits.MessageRateLimiter.Verdict.CLOSE;
import static org.atrium.signaling.limits.MessageRateLimiter.Verdict.DROP;
import static org.atrium.signaling.limits.MessageRateLimiter.Verdict.DROP_AND_TELL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atrium.signaling.limits.MessageRateLimiter.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The token bucket, message by message, at 10 messages a second with a burst of 3. */
class MessageRateLimiterTest {

    private static final long MS = 1_000_000L;

    /** Arrival times in ms, and the verdict each message must get. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a burst up to the bucket size passes", new long[] {0, 0, 0},
                        List.of(ACCEPT, ACCEPT, ACCEPT)),
                Arguments.of("one over the burst is dropped and told", new long[] {0, 0, 0, 0},
                        List.of(ACCEPT, ACCEPT, ACCEPT, DROP_AND_TELL)),
                Arguments.of("told once a second, not per message", new long[] {0, 0, 0, 0, 1, 2},
                        List.of(ACCEPT, ACCEPT, ACCEPT, DROP_AND_TELL, DROP, DROP)),
                Arguments.of("refills at the rate: one token per 100 ms", new long[] {0, 0, 0, 0, 100, 150, 200},
                        List.of(ACCEPT, ACCEPT, ACCEPT, DROP_AND_TELL, ACCEPT, DROP, ACCEPT)),
                Arguments.of("a steady 10 a second never drops", new long[] {0, 100, 200, 300, 400, 500, 600},
                        List.of(ACCEPT, ACCEPT, ACCEPT, ACCEPT, ACCEPT, ACCEPT, ACCEPT)),
                Arguments.of("told again after a second", new long[] {0, 0, 0, 0, 1000, 1000, 1000, 1000, 1001},
                        List.of(ACCEPT, ACCEPT, ACCEPT, DROP_AND_TELL, ACCEPT, ACCEPT, ACCEPT, DROP_AND_TELL, DROP)),
                Arguments.of("more drops than the burst within 10 s closes", new long[] {0, 0, 0, 0, 0, 0, 0},
                        List.of(ACCEPT, ACCEPT, ACCEPT, DROP_AND_TELL, DROP, DROP, CLOSE)),
                Arguments.of("drops spread over more than 10 s do not", new long[] {0, 0, 0, 0, 0, 11000, 11000,
                        11000, 11000, 11000},
                        List.of(ACCEPT, ACCEPT, ACCEPT, DROP_AND_TELL, DROP, ACCEPT, ACCEPT, ACCEPT, DROP_AND_TELL,
                                DROP)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdicts(String name, long[] arrivalsMillis, List<Verdict> expected) {
        long start = 5_000_000_000L;
        MessageRateLimiter limiter = new MessageRateLimiter(10, 3, start);
        List<Verdict> verdicts = new ArrayList<>();
        for (long at : arrivalsMillis) {
            verdicts.add(limiter.onMessage(start + at * MS));
        }
        assertEquals(expected, verdicts);
    }
}
