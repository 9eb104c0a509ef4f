package org.atrium.sfu.rtcp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When to send the next compound report to a participant.
 *
 * <p>RFC 3550 6.2 sizes the interval so that RTCP stays within 5% of the session bandwidth,
 * with a 5 s minimum, and 6.3.1 draws each interval uniformly from 0.5 to 1.5 times the
 * computed one so that participants do not synchronize. A WebRTC session has two endpoints
 * and media of hundreds of kbit/s, so the bandwidth rule never binds; WebRTC endpoints use
 * fixed base intervals instead (libwebrtc: 1 s for video, whose loss and RTT feed congestion
 * control and keyframe decisions, 5 s for audio only), randomized the same way. RFC 3550 6.2
 * allows a smaller minimum than 5 s for such uses.
 *
 * <p>Stateless and thread-safe.
 */
public final class RtcpReportInterval {

    /** Base interval when the participant sends or receives any video. */
    public static final long VIDEO_NANOS = 1_000_000_000L;
    /** Base interval for audio-only participants. */
    public static final long AUDIO_NANOS = 5_000_000_000L;

    private RtcpReportInterval() {
    }

    /** The base interval: the video one when any stream to or from the participant is video. */
    public static long baseIntervalNanos(boolean anyVideo) {
        return anyVideo ? VIDEO_NANOS : AUDIO_NANOS;
    }

    /**
     * The delay until the next report: {@code base * (0.5 + uniform)} (RFC 3550 6.3.1).
     *
     * @param uniform a random number in [0, 1)
     */
    public static long nextReportDelayNanos(long baseIntervalNanos, double uniform) {
        return (long) (baseIntervalNanos * (0.5 + uniform));
    }

    /** As {@link #nextReportDelayNanos(long, double)} with a fresh random number. */
    public static long nextReportDelayNanos(boolean anyVideo) {
        return nextReportDelayNanos(baseIntervalNanos(anyVideo), ThreadLocalRandom.current().nextDouble());
    }
}
