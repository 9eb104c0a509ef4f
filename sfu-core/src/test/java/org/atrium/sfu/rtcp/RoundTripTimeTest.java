package org.atrium.sfu.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTimeTest {

    static Stream<Arguments> reports() {
        return Stream.of(
                // name, A, LSR, DLSR, RTT (compact units)
                Arguments.of("RFC 3550 6.4.1 example: 46864.500 - 46853.125 - 5.250 = 6.125 s",
                        0xb710_8000L, 0xb705_2000L, 0x0005_4000L, 0x0006_2000L),
                Arguments.of("across the 2^32 wrap of compact NTP",
                        0x0000_1000L, 0xFFFF_F000L, 0x0000_1000L, 0x0000_1000L),
                Arguments.of("zero RTT", 0x1234_0000L, 0x1233_0000L, 0x0001_0000L, 0L),
                Arguments.of("no SR echoed: LSR 0", 0xb710_8000L, 0L, 0L, RoundTripTime.UNKNOWN),
                Arguments.of("negative: the clock stepped back", 0x1000_0000L, 0x1000_0000L, 0x10L,
                        RoundTripTime.UNKNOWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void computesRttAsALessLsrLessDlsr(String name, long a, long lsr, long dlsr, long rtt) {
        assertEquals(rtt, RoundTripTime.compute(lsr, dlsr, a));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void convertsRttToNanos(String name, long a, long lsr, long dlsr, long rtt) {
        long expected = rtt == RoundTripTime.UNKNOWN ? RoundTripTime.UNKNOWN : rtt * 1_000_000_000L / 65_536L;
        assertEquals(expected, RoundTripTime.computeNanos(lsr, dlsr, a));
    }
}
