package org.atrium.sfu.room;

import java.util.HashMap;
import java.util.Map;
import org.atrium.rtp.codec.AudioLevel;

/**
 * Picks the dominant speaker of one room from its participants' smoothed audio levels
 * (see {@link org.atrium.sfu.media.AudioLevelMeter}), with hysteresis so that the choice
 * does not flap.
 *
 * <p>The rule: another participant takes over when, at every update for at least
 * {@code holdNanos}, it is speaking (its level is at or above {@code speechLevel}) and
 * louder than the dominant speaker by at least {@code marginDb}. With no dominant speaker
 * yet, speaking is enough. Silence keeps the last speaker. When several qualify at once
 * the loudest wins, then the one that qualified first, then the lowest id, so that the
 * answer never depends on map order.
 *
 * <p>Why not Jitsi's dominant speaker identification (Volfin and Cohen's three time
 * scales of speech activity): it needs every packet's level and half a dozen tuned
 * parameters. Here each producer's level is already smoothed over about 300 ms, so a
 * margin and a hold time on those averages give the same stability (a cough, a laugh or
 * a chair noise does not last a second; a sentence does) with two numbers that are easy
 * to reason about and to test.
 *
 * <p>Thread-safety: not thread-safe. One room's detector is driven by one thread (the
 * server's timer); its memory is one entry per participant, forgotten when the
 * participant is no longer passed to {@link #update}.
 */
public final class ActiveSpeakerDetector {

    /** Louder by this many dB to take over: about twice the sound pressure. */
    public static final int DEFAULT_MARGIN_DB = 6;
    /** A sentence, not a cough. */
    public static final long DEFAULT_HOLD_NANOS = 1_000_000_000L;
    /** Quieter than -80 dBov is not speech, as mediasoup's audio level observer assumes by default. */
    public static final int DEFAULT_SPEECH_LEVEL = 80;

    private final int marginDb;
    private final long holdNanos;
    private final int speechLoudness;
    /** Since when each participant other than the dominant one has qualified to take over, without a break. */
    private final Map<String, Long> qualifiedSince = new HashMap<>();
    private String dominant;

    /** A detector with the defaults, tuned for levels smoothed over 300 ms and updated about every 300 ms. */
    public ActiveSpeakerDetector() {
        this(DEFAULT_MARGIN_DB, DEFAULT_HOLD_NANOS, DEFAULT_SPEECH_LEVEL);
    }

    /**
     * @param marginDb how much louder than the dominant speaker another must be, in dB
     * @param holdNanos for how long, without a break, before it takes over
     * @param speechLevel the quietest level, in -dBov (0 loudest, 127 silence), that
     *        counts as speaking
     */
    public ActiveSpeakerDetector(int marginDb, long holdNanos, int speechLevel) {
        if (marginDb < 0) {
            throw new IllegalArgumentException("margin must not be negative: " + marginDb);
        }
        if (holdNanos < 0) {
            throw new IllegalArgumentException("hold time must not be negative: " + holdNanos);
        }
        if (speechLevel < 0 || speechLevel >= AudioLevel.SILENCE) {
            throw new IllegalArgumentException("speech level must be 0-126 -dBov: " + speechLevel);
        }
        this.marginDb = marginDb;
        this.holdNanos = holdNanos;
        this.speechLoudness = AudioLevel.SILENCE - speechLevel;
    }

    /**
     * Takes the room's current levels and decides.
     *
     * @param levelsByParticipant every participant in the room with its smoothed level in
     *        -dBov (0 loudest, 127 silence); a participant without audio is passed with
     *        {@link AudioLevel#SILENCE} (or null). A participant missing from the map has
     *        left: if it was the dominant speaker there is none until another qualifies,
     *        and this is not reported (its departure says enough).
     * @param nowNanos the time of these levels, never earlier than the previous update's
     * @return the id of the new dominant speaker when it changed, else null
     */
    public String update(Map<String, Integer> levelsByParticipant, long nowNanos) {
        qualifiedSince.keySet().retainAll(levelsByParticipant.keySet());
        if (dominant != null && !levelsByParticipant.containsKey(dominant)) {
            // The others' qualifying times stay: louder than the departed speaker and
            // speaking is also enough to take over from no one.
            dominant = null;
        }
        int reference = dominant == null ? 0 : loudness(levelsByParticipant.get(dominant));

        String best = null;
        int bestLoudness = -1;
        long bestSince = 0;
        for (Map.Entry<String, Integer> entry : levelsByParticipant.entrySet()) {
            String id = entry.getKey();
            if (id.equals(dominant)) {
                continue;
            }
            int loudness = loudness(entry.getValue());
            if (loudness < speechLoudness || loudness - reference < marginDb) {
                qualifiedSince.remove(id);
                continue;
            }
            long since = qualifiedSince.computeIfAbsent(id, unused -> nowNanos);
            if (nowNanos - since >= holdNanos && isBetter(id, loudness, since, best, bestLoudness, bestSince)) {
                best = id;
                bestLoudness = loudness;
                bestSince = since;
            }
        }
        if (best == null) {
            return null;
        }
        dominant = best;
        // Everyone else qualified against the previous speaker; they start again against this one.
        qualifiedSince.clear();
        return best;
    }

    /** The current dominant speaker's id, or null before the first or after it left. */
    public String dominantSpeaker() {
        return dominant;
    }

    private static boolean isBetter(String id, int loudness, long since, String best, int bestLoudness,
            long bestSince) {
        if (best == null || loudness != bestLoudness) {
            return loudness > bestLoudness;
        }
        if (since != bestSince) {
            return since - bestSince < 0;
        }
        return id.compareTo(best) < 0;
    }

    /** dB above silence, 0 to 127; null (no audio) is silence. */
    private static int loudness(Integer level) {
        if (level == null) {
            return 0;
        }
        return AudioLevel.SILENCE - Math.max(0, Math.min(AudioLevel.SILENCE, level));
    }
}
