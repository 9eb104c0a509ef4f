package org.atrium.sfu.media;

import org.atrium.rtp.codec.AudioLevel;

/**
 * The smoothed loudness of one audio producer, from the RFC 6464 level of its packets.
 *
 * <p>Smoothing: an exponential moving average of the loudness ({@code 127 - level}, in dB
 * above silence) that rises with a time constant of 300 ms (attack) and falls with one of
 * 1 s (release), as a VU meter does: a sentence's pauses between words barely lower it,
 * while a cough of a few hundred milliseconds only reaches part of its own loudness. Each
 * packet weighs {@code 1 - exp(-dt / tau)}, where {@code dt} is the time since the
 * previous packet (at most 120 ms; a longer gap counts as silence), so the result does
 * not depend on the packet duration (10, 20 or 60 ms). When no packet arrives (a muted or
 * ended track) the average keeps falling as if silent packets were arriving, and reads as
 * {@link AudioLevel#SILENCE} once it is less than half a dB above it: about 5 s after
 * loud speech with the defaults.
 *
 * <p>Thread-safety: one writer thread ({@link #onLevel}, the publisher's receive thread)
 * and any number of reader threads ({@link #smoothedLevel}, the room's timer). The writer
 * publishes the average and its time together in one volatile long, so a reader never
 * sees one without the other and neither side takes a lock or allocates.
 */
public final class AudioLevelMeter {

    /** The rising time constant that the active speaker detection is tuned for. */
    public static final long DEFAULT_ATTACK_NANOS = 300_000_000L;
    /** The falling time constant that the active speaker detection is tuned for. */
    public static final long DEFAULT_RELEASE_NANOS = 1_000_000_000L;

    /** The weight of the first packet, as if the stream had been silent one frame before. */
    private static final long FIRST_PACKET_INTERVAL_NANOS = 20_000_000L;

    /**
     * The most time one packet stands for: the longest Opus packet (RFC 6716 3.2.5). A
     * longer gap before a packet was silence, so that one packet after a pause cannot
     * take the average straight to its own level.
     */
    private static final long MAX_PACKET_INTERVAL_NANOS = 120_000_000L;

    /*
     * The published state: loudness in 1/256 dB in the low 16 bits (at most 127 * 256),
     * time in 1024 ns units in the high 48 bits. Only time differences are used, and a
     * shift keeps them right across the wrap of the nanosecond clock (2^64 ns is a
     * multiple of 2^48 units); the units themselves wrap after 9 years.
     */
    private static final int LOUDNESS_BITS = 16;
    private static final long LOUDNESS_MASK = (1L << LOUDNESS_BITS) - 1;
    private static final double LOUDNESS_SCALE = 256.0;
    private static final int TIME_SHIFT = 10;
    private static final double NANOS_PER_TIME_UNIT = 1 << TIME_SHIFT;
    private static final long NOTHING_PUBLISHED = -1L;

    private final double attackNanos;
    private final double releaseNanos;
    private final boolean honourVoiceActivity;

    // Writer-only state.
    private double loudness;
    private long lastPacketNanos;
    private boolean hadPacket;

    private volatile long published = NOTHING_PUBLISHED;

    /** A meter with the default time constants that ignores the voice activity flag. */
    public AudioLevelMeter() {
        this(DEFAULT_ATTACK_NANOS, DEFAULT_RELEASE_NANOS, false);
    }

    /**
     * @param attackNanos how fast the average rises: after a step up, it covers 63% of the
     *        step in this time
     * @param releaseNanos how fast it falls, likewise
     * @param honourVoiceActivity count packets whose voice activity flag is clear as
     *        silent. Leave it off unless the senders are known to set the flag: it is
     *        only meaningful when negotiated (RFC 6464 4), and a sender without a voice
     *        detector sends it clear on every packet, which would make it silent forever.
     */
    public AudioLevelMeter(long attackNanos, long releaseNanos, boolean honourVoiceActivity) {
        if (attackNanos <= 0 || releaseNanos <= 0) {
            throw new IllegalArgumentException("time constants must be positive: " + attackNanos + ", "
                    + releaseNanos);
        }
        this.attackNanos = attackNanos;
        this.releaseNanos = releaseNanos;
        this.honourVoiceActivity = honourVoiceActivity;
    }

    /**
     * One packet's audio level. Called by one thread at a time.
     *
     * @param level the RFC 6464 level, 0 (loudest) to 127 (silence) -dBov; values outside
     *        are clamped
     * @param voice the packet's voice activity flag
     * @param nowNanos the packet's arrival time, on the clock passed to {@link #smoothedLevel}
     */
    public void onLevel(int level, boolean voice, long nowNanos) {
        double sample = honourVoiceActivity && !voice ? 0 : AudioLevel.SILENCE - clamp(level);
        long elapsed = hadPacket ? nowNanos - lastPacketNanos : FIRST_PACKET_INTERVAL_NANOS;
        // A packet at the same instant or earlier adds no weight: the weight is time.
        if (elapsed > 0) {
            long packetNanos = Math.min(elapsed, MAX_PACKET_INTERVAL_NANOS);
            loudness *= Math.exp(-(elapsed - packetNanos) / releaseNanos);
            double keep = Math.exp(-packetNanos / (sample > loudness ? attackNanos : releaseNanos));
            loudness = loudness * keep + sample * (1 - keep);
            lastPacketNanos = nowNanos;
        }
        hadPacket = true;
        published = pack(loudness, lastPacketNanos);
    }

    /**
     * The smoothed level at {@code nowNanos}, in -dBov: 0 (loudest) to
     * {@link AudioLevel#SILENCE}, which is also the answer before the first packet.
     */
    public int smoothedLevel(long nowNanos) {
        long state = published;
        if (state == NOTHING_PUBLISHED) {
            return AudioLevel.SILENCE;
        }
        double value = (state & LOUDNESS_MASK) / LOUDNESS_SCALE;
        long sinceUnits = unitsSince(state >>> LOUDNESS_BITS, nowNanos);
        if (sinceUnits > 0) {
            value *= Math.exp(-sinceUnits * NANOS_PER_TIME_UNIT / releaseNanos);
        }
        return AudioLevel.SILENCE - (int) Math.round(value);
    }

    private static long pack(double loudness, long nowNanos) {
        long fixed = Math.min(Math.round(loudness * LOUDNESS_SCALE), (long) (AudioLevel.SILENCE * LOUDNESS_SCALE));
        return ((nowNanos >> TIME_SHIFT) << LOUDNESS_BITS) | fixed;
    }

    /**
     * Time units from a packed 48-bit time to now. The reader's clock can be a little
     * behind the packet's receive time (read on another thread): that is negative, not
     * a wrap of 9 years.
     */
    private static long unitsSince(long packedUnits, long nowNanos) {
        long difference = (nowNanos >> TIME_SHIFT) - packedUnits;
        return (difference << LOUDNESS_BITS) >> LOUDNESS_BITS;
    }

    private static int clamp(int level) {
        return Math.max(0, Math.min(AudioLevel.SILENCE, level));
    }
}
