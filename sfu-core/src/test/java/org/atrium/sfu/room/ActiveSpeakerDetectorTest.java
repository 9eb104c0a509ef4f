package org.atrium.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atrium.rtp.codec.AudioLevel;
import org.atrium.sfu.media.AudioLevelMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The detector with its defaults (6 dB margin, 1 s hold, speech from -80 dBov), updated
 * every 300 ms on a fake clock, as the server's timer does. Levels are smoothed levels in
 * -dBov: 40 is speech, 127 silence.
 */
class ActiveSpeakerDetectorTest {

    static final long MS = 1_000_000L;
    static final long TICK = 300 * MS;
    static final int SPEECH = 40;
    static final int SILENT = AudioLevel.SILENCE;

    private final ActiveSpeakerDetector detector = new ActiveSpeakerDetector();
    private final List<String> events = new ArrayList<>();
    private long now = 5_000 * MS;

    /** Updates once per tick for {@code durationMs} with these levels ("a", 40, "b", 127, ...). */
    private void run(long durationMs, Object... idsAndLevels) {
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (int i = 0; i < idsAndLevels.length; i += 2) {
            levels.put((String) idsAndLevels[i], (Integer) idsAndLevels[i + 1]);
        }
        for (long elapsed = 0; elapsed < durationMs; elapsed += TICK / MS) {
            now += TICK;
            String changed = detector.update(levels, now);
            if (changed != null) {
                events.add(changed + "@" + elapsed);
            }
        }
    }

    @Test
    void noSpeakerUntilSomeoneHasSpokenForTheHoldTime() {
        run(3000, "a", SILENT, "b", SILENT);
        assertEquals(List.of(), events);
        assertNull(detector.dominantSpeaker());
        // Qualified at the first tick (elapsed 0), held 1 s by the fifth (1200 ms into the run).
        run(3000, "a", SPEECH, "b", SILENT);
        assertEquals(List.of("a@1200"), events);
        assertEquals("a", detector.dominantSpeaker());
    }

    @Test
    void twoSpeakersTakingTurns() {
        run(2000, "a", SPEECH, "b", SILENT);
        run(3000, "a", SILENT, "b", SPEECH);
        run(3000, "a", SPEECH, "b", SILENT);
        run(3000, "a", SILENT, "b", SPEECH);
        assertEquals(List.of("a@1200", "b@1200", "a@1200", "b@1200"), events);
    }

    @ParameterizedTest(name = "a burst of {0} ms does not take over; {1} ms does")
    @CsvSource({"900, 1500"})
    void aCoughDoesNotSwitchButSustainedSpeechDoes(long cough, long sentence) {
        run(2000, "a", SPEECH, "b", SILENT);
        run(cough, "a", SPEECH, "b", 10);
        run(600, "a", SPEECH, "b", SILENT);
        run(cough, "a", SILENT, "b", 10); // also when a has paused
        run(600, "a", SILENT, "b", SILENT);
        assertEquals(List.of("a@1200"), events);
        run(sentence, "a", SILENT, "b", SPEECH);
        assertEquals(List.of("a@1200", "b@1200"), events);
    }

    @Test
    void silenceKeepsTheLastSpeaker() {
        run(2000, "a", SPEECH, "b", SILENT);
        run(60_000, "a", SILENT, "b", SILENT);
        assertEquals(List.of("a@1200"), events);
        assertEquals("a", detector.dominantSpeaker());
    }

    @ParameterizedTest(name = "dominant at {0}, other at {1}: takes over {2}")
    @CsvSource({
        "40,  40, false", // a tie keeps the speaker
        "40,  35, false", // 5 dB louder: under the margin
        "40,  34, true", // 6 dB: the margin
        "40,  10, true",
        "127, 80, true", // the quietest speech, against silence
        "127, 81, false", // below the speech level
        "100, 81, false", // louder by the margin but not speech
    })
    void takesOverOnlyWhenLouderByTheMarginAndSpeaking(int dominantLevel, int otherLevel, boolean takesOver) {
        run(2000, "a", SPEECH, "b", SILENT);
        run(10_000, "a", dominantLevel, "b", otherLevel);
        assertEquals(takesOver ? List.of("a@1200", "b@1200") : List.of("a@1200"), events);
    }

    @Test
    void aBreakRestartsTheHold() {
        run(2000, "a", SPEECH, "b", SILENT);
        for (int i = 0; i < 10; i++) {
            run(900, "a", SILENT, "b", SPEECH); // three ticks: 600 ms held
            run(300, "a", SPEECH, "b", SPEECH); // no longer louder by the margin
        }
        assertEquals(List.of("a@1200"), events);
    }

    @Test
    void whenTheDominantSpeakerLeavesTheNextOneTakesOverWithoutStartingItsHoldAgain() {
        run(2000, "a", 10, "b", SPEECH, "c", SILENT);
        run(600, "a", SILENT, "b", SPEECH, "c", SILENT); // b qualifies, held 300 ms
        run(1500, "b", SPEECH, "c", SILENT); // a left: held 600 ms at the first tick here
        assertEquals(List.of("a@1200", "b@600"), events);
    }

    @Test
    void whenTheDominantSpeakerLeavesInSilenceNoOneIsAnnounced() {
        run(2000, "a", SPEECH, "b", SILENT);
        run(3000, "b", SILENT);
        assertEquals(List.of("a@1200"), events);
        assertNull(detector.dominantSpeaker());
        run(1500, "b", SPEECH);
        assertEquals(List.of("a@1200", "b@1200"), events);
    }

    @Test
    void aChallengerWhoLeavesAndComesBackStartsItsHoldAgain() {
        run(2000, "a", SPEECH, "b", SILENT);
        run(600, "a", SILENT, "b", SPEECH);
        run(300, "a", SILENT);
        run(900, "a", SILENT, "b", SPEECH); // held 0, 300, 600 ms: 900, 1200, 1500 without the break
        assertEquals(List.of("a@1200"), events);
        run(600, "a", SILENT, "b", SPEECH);
        assertEquals(List.of("a@1200", "b@300"), events);
    }

    @ParameterizedTest(name = "insertion order {0}")
    @CsvSource({"'b,c'", "'c,b'"})
    void equallyLoudNewcomersAreDecidedByIdNotMapOrder(String order) {
        String[] ids = order.split(",");
        run(2000, "a", SPEECH, ids[0], SILENT, ids[1], SILENT);
        run(1500, "a", SILENT, ids[0], 20, ids[1], 20);
        assertEquals(List.of("a@1200", "b@1200"), events);
    }

    /** Both have held for 1 s by the late update at 1.5 s: who qualified first, or the louder, wins. */
    @ParameterizedTest(name = "{0} at 0 s, {1} at 0.2 s: {2}")
    @CsvSource({
        "20, 20, b", // equally loud: b qualified first
        "20, 19, c", // louder beats earlier
        "19, 20, b",
    })
    void amongNewcomersWhoHaveHeldTheLouderThenTheEarlierWins(int bLevel, int cLevel, String winner) {
        assertNull(detector.update(Map.of("b", bLevel, "c", SILENT), 0));
        assertNull(detector.update(Map.of("b", bLevel, "c", cLevel), 200 * MS));
        assertEquals(winner, detector.update(Map.of("b", bLevel, "c", cLevel), 1500 * MS));
    }

    @Test
    void earlierWinsOverALowerId() {
        assertNull(detector.update(Map.of("b", SILENT, "c", 20), 0));
        assertNull(detector.update(Map.of("b", 20, "c", 20), 200 * MS));
        assertEquals("c", detector.update(Map.of("b", 20, "c", 20), 1500 * MS));
    }

    @Test
    void nullAndOutOfRangeLevels() {
        Map<String, Integer> levels = new HashMap<>();
        levels.put("a", null);
        levels.put("b", 500);
        levels.put("c", -20);
        assertNull(detector.update(levels, 0));
        assertEquals("c", detector.update(levels, ActiveSpeakerDetector.DEFAULT_HOLD_NANOS));
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ActiveSpeakerDetector(-1, 0, 80));
        assertThrows(IllegalArgumentException.class, () -> new ActiveSpeakerDetector(6, -1, 80));
        assertThrows(IllegalArgumentException.class, () -> new ActiveSpeakerDetector(6, 0, 127));
    }

    /**
     * The meter and the detector together, from per-packet levels (20 ms packets): the
     * defaults of both are tuned for each other.
     */
    @Test
    void withMetersACoughDoesNotSwitchAndASentenceWithPausesDoes() {
        AudioLevelMeter a = new AudioLevelMeter();
        AudioLevelMeter b = new AudioLevelMeter();
        ActiveSpeakerDetector speakers = new ActiveSpeakerDetector();
        List<String> changes = new ArrayList<>();
        long t = 0;
        for (long ms = 0; ms < 12_000; ms += 20) {
            t = ms * MS;
            boolean aSpeaks = ms < 4000 && ms % 500 < 350; // words with pauses
            boolean bCoughs = ms >= 5000 && ms < 5300; // loud, a third of a second
            boolean bSpeaks = ms >= 7000 && ms % 500 < 350;
            a.onLevel(aSpeaks ? 40 : SILENT, true, t);
            b.onLevel(bCoughs ? 0 : bSpeaks ? 45 : SILENT, true, t);
            if (ms % 300 == 0) {
                String changed = speakers.update(Map.of("a", a.smoothedLevel(t), "b", b.smoothedLevel(t)), t);
                if (changed != null) {
                    changes.add(changed + "@" + ms);
                }
            }
        }
        // a after 1.5 s of words; b 1.4 s after it starts its sentence, not at the cough.
        assertEquals(List.of("a@1500", "b@8400"), changes);
    }
}
