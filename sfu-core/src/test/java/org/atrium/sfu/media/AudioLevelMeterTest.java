package org.atrium.sfu.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.atrium.rtp.codec.AudioLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The meter's exponential average (rising with 300 ms, falling with 1 s) on a fake clock:
 * levels in -dBov, loudness = 127 - level.
 */
class AudioLevelMeterTest {

    static final long MS = 1_000_000L;
    static final long ATTACK = AudioLevelMeter.DEFAULT_ATTACK_NANOS;
    static final long RELEASE = AudioLevelMeter.DEFAULT_RELEASE_NANOS;
    /** An arbitrary clock origin, to show that nothing depends on time zero. */
    static final long T0 = 987_654_321_000L;

    /** Feeds one packet per {@code packetMs} in [from, from + durationMs) and returns the next packet time. */
    static long feed(AudioLevelMeter meter, int level, boolean voice, long from, long durationMs, long packetMs) {
        long t = from;
        for (long elapsed = 0; elapsed < durationMs; elapsed += packetMs) {
            t = from + elapsed * MS;
            meter.onLevel(level, voice, t);
        }
        return t + packetMs * MS;
    }

    @Test
    void silentBeforeTheFirstPacket() {
        assertEquals(AudioLevel.SILENCE, new AudioLevelMeter().smoothedLevel(T0));
    }

    @ParameterizedTest(name = "steady level {0} reads {0}")
    @CsvSource({"0", "30", "64", "100", "127"})
    void aSteadyLevelReadsAsItself(int level) {
        AudioLevelMeter meter = new AudioLevelMeter();
        long end = feed(meter, level, true, T0, 3000, 20);
        assertEquals(level, meter.smoothedLevel(end - 20 * MS));
    }

    /** A step from silence to loudness 97 covers 63% in 300 ms, whatever the packets' duration. */
    @ParameterizedTest(name = "{0} ms packets")
    @CsvSource({"10", "20", "30", "60"})
    void theStepResponseDoesNotDependOnThePacketDuration(long packetMs) {
        AudioLevelMeter meter = new AudioLevelMeter();
        // The first packet stands for 20 ms before it, so the step starts 20 ms before T0.
        long lastPacket = feed(meter, 30, true, T0, 280 + packetMs, packetMs) - packetMs * MS;
        double covered = 1 - Math.exp(-(lastPacket - T0 + 20 * MS) / (double) ATTACK);
        assertEquals(127 - 97 * covered, meter.smoothedLevel(lastPacket), 0.5);
    }

    @ParameterizedTest(name = "{0} ms after the last packet: level {1}")
    @CsvSource({
        "0,     30",
        "500,   68", // 97 * e^-0.5 = 58.8
        "1000,  91", // 97 * e^-1 = 35.7
        "3000,  122", // 97 * e^-3 = 4.8
        "5000,  126", // 97 * e^-5 = 0.65
        "5300,  127", // 0.48: silence
        "60000, 127",
    })
    void decaysToSilenceWhenPacketsStop(long afterMs, int expected) {
        AudioLevelMeter meter = new AudioLevelMeter();
        long next = feed(meter, 30, true, T0, 3000, 20);
        long last = next - 20 * MS;
        assertEquals(expected, meter.smoothedLevel(last + afterMs * MS));
    }

    @Test
    void silentPacketsDecayLikeNoPackets() {
        AudioLevelMeter withPackets = new AudioLevelMeter();
        AudioLevelMeter without = new AudioLevelMeter();
        long next = feed(withPackets, 30, true, T0, 3000, 20);
        feed(without, 30, true, T0, 3000, 20);
        long end = feed(withPackets, AudioLevel.SILENCE, true, next, 600, 20);
        assertEquals(without.smoothedLevel(end - 20 * MS), withPackets.smoothedLevel(end - 20 * MS), 1);
    }

    @Test
    void onePacketAfterAPauseWeighsOnlyThe120MsItCanStandFor() {
        AudioLevelMeter meter = new AudioLevelMeter();
        meter.onLevel(AudioLevel.SILENCE, true, T0);
        meter.onLevel(0, true, T0 + 10_000 * MS);
        // 127 * (1 - e^-0.4) = 41.9: level 85, not 0.
        assertEquals(85, meter.smoothedLevel(T0 + 10_000 * MS));
    }

    @ParameterizedTest(name = "level {0}, voice {1}, honour voice {2}: {3}")
    @CsvSource({
        "30,  true,  true,  30",
        "30,  false, true,  127",
        "30,  false, false, 30",
        "30,  true,  false, 30",
        "-5,  true,  false, 0",
        "200, true,  false, 127",
    })
    void voiceActivityAndOutOfRangeLevels(int level, boolean voice, boolean honourVoice, int expected) {
        AudioLevelMeter meter = new AudioLevelMeter(ATTACK, RELEASE, honourVoice);
        long end = feed(meter, level, voice, T0, 3000, 20);
        assertEquals(expected, meter.smoothedLevel(end - 20 * MS));
    }

    @Test
    void aReaderClockSlightlyBehindThePacketTimeDoesNotDecay() {
        AudioLevelMeter meter = new AudioLevelMeter();
        long end = feed(meter, 30, true, T0, 3000, 20);
        assertEquals(30, meter.smoothedLevel(end - 25 * MS));
    }

    @Test
    void packetsAtTheSameInstantOrReorderedAddNoWeight() {
        AudioLevelMeter meter = new AudioLevelMeter();
        long end = feed(meter, 30, true, T0, 3000, 20);
        long last = end - 20 * MS;
        meter.onLevel(0, true, last);
        meter.onLevel(0, true, last - 5 * MS);
        assertEquals(30, meter.smoothedLevel(last));
    }

    @ParameterizedTest(name = "clock origin {0}")
    @CsvSource({"-9223372036854775807", "-1000", "0", "9223372036853775807"})
    void worksAnywhereOnTheNanosecondClockIncludingAcrossItsWrap(long origin) {
        AudioLevelMeter meter = new AudioLevelMeter();
        long end = feed(meter, 30, true, origin, 3000, 20); // the last origin wraps past Long.MAX_VALUE
        long last = end - 20 * MS;
        assertEquals(30, meter.smoothedLevel(last));
        assertEquals(91, meter.smoothedLevel(last + 1000 * MS));
        assertEquals(127, meter.smoothedLevel(last + 10_000 * MS));
    }

    @Test
    void aSentencesPausesBarelyLowerIt() {
        // Speech at -40 dBov in 300 ms bursts with 200 ms of silence between them.
        AudioLevelMeter meter = new AudioLevelMeter();
        long t = T0;
        int loudest = AudioLevel.SILENCE;
        int quietest = 0;
        for (int word = 0; word < 10; word++) {
            t = feed(meter, 40, true, t, 300, 20);
            loudest = Math.min(loudest, meter.smoothedLevel(t - 20 * MS));
            t = feed(meter, AudioLevel.SILENCE, true, t, 200, 20);
            if (word > 2) {
                quietest = Math.max(quietest, meter.smoothedLevel(t - 20 * MS));
            }
        }
        // Steady state: 78.7 dB above silence after a word, 64.4 after a pause.
        assertEquals(48, loudest, 1);
        assertEquals(63, quietest, 1);
    }

    @ParameterizedTest(name = "{1} ms at level {0} peaks at {2}")
    @CsvSource({
        "0,  200, 65", // 127 * (1 - e^-(2/3)) = 61.8
        "0,  600, 17", // 127 * (1 - e^-2) = 109.8
        "40, 200, 85", // 87 * (1 - e^-(2/3)) = 42.3
    })
    void aShortBurstReachesOnlyPartOfItsLoudness(int level, long durationMs, int peak) {
        AudioLevelMeter meter = new AudioLevelMeter();
        meter.onLevel(AudioLevel.SILENCE, true, T0 - 20 * MS);
        long end = feed(meter, level, true, T0, durationMs, 20);
        assertEquals(peak, meter.smoothedLevel(end - 20 * MS), 1);
    }

    @Test
    void rejectsNonPositiveTimeConstants() {
        assertThrows(IllegalArgumentException.class, () -> new AudioLevelMeter(0, RELEASE, false));
        assertThrows(IllegalArgumentException.class, () -> new AudioLevelMeter(ATTACK, 0, false));
    }
}
