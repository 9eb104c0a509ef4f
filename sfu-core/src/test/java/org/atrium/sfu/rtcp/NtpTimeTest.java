package org.atrium.sfu.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NtpTimeTest {

    static Stream<Arguments> unixMillis() {
        return Stream.of(
                // name, Unix millis, NTP 64
                Arguments.of("Unix epoch is 2208988800 s after the NTP epoch (RFC 868)", 0L, 2_208_988_800L << 32),
                Arguments.of("half a second is fraction 0x80000000", 1_500L, (2_208_988_801L << 32) | 0x8000_0000L),
                Arguments.of("a quarter second is fraction 0x40000000", 250L, (2_208_988_800L << 32) | 0x4000_0000L),
                Arguments.of("2024-01-01T00:00:00Z", 1_704_067_200_000L, (1_704_067_200L + 2_208_988_800L) << 32),
                Arguments.of("before 1970", -500L, (2_208_988_799L << 32) | 0x8000_0000L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unixMillis")
    void convertsUnixMillis(String name, long millis, long ntp) {
        assertEquals(ntp, NtpTime.fromUnixMillis(millis));
        assertEquals(millis, NtpTime.toUnixMillis(ntp));
    }

    @Test
    void compactIsTheMiddle32Bits() {
        // RFC 3550 6.4.1 example: A = 0xb710:8000 is 46864.500 s.
        assertEquals(0xb710_8000L, NtpTime.compact(0x0000_b710_8000_0000L));
        assertEquals(0x5678_9ABCL, NtpTime.compact(0x1234_5678_9ABC_DEF0L));
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                // name, nanos, compact (1/65536 s)
                Arguments.of("zero", 0L, 0L),
                Arguments.of("RFC 3550 6.4.1 DLSR 5.250 s", 5_250_000_000L, 0x0005_4000L),
                Arguments.of("RFC 3550 6.4.1 delay 6.125 s", 6_125_000_000L, 0x0006_2000L),
                Arguments.of("one unit is 15258.789 ns", 15_259L, 1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void convertsCompactDurations(String name, long nanos, long compact) {
        assertEquals(compact, NtpTime.nanosToCompact(nanos));
        assertEquals(nanos, NtpTime.compactToNanos(compact), 15_259);
    }

    @Test
    void compactDurationsSaturateAndNeverGoNegative() {
        assertEquals(0xFFFF_FFFFL, NtpTime.nanosToCompact(70_000L * 1_000_000_000L));
        assertEquals(0xFFFF_FFFFL, NtpTime.nanosToCompact(Long.MAX_VALUE));
        assertEquals(0, NtpTime.nanosToCompact(-1));
    }

    @Test
    void ticksDoNotOverflowForLongDurations() {
        // 100 days at 90 kHz: nanos * rate alone would overflow a long.
        long nanos = 100L * 86_400L * 1_000_000_000L + 500_000_000L;
        assertEquals(100L * 86_400L * 90_000L + 45_000L, NtpTime.nanosToTicks(nanos, 90_000));
        assertEquals(-45_000L, NtpTime.nanosToTicks(-500_000_000L, 90_000));
    }
}
