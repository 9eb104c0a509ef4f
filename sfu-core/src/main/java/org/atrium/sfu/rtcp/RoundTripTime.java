package org.atrium.sfu.rtcp;

/**
 * Round-trip time from a report block that echoes one of our sender reports (RFC 3550 6.4.1):
 * {@code RTT = A - LSR - DLSR}, all in compact NTP units (1/65536 s), where A is the compact
 * NTP time at which the report block arrived.
 *
 * <p>Stateless and thread-safe.
 */
public final class RoundTripTime {

    /** Returned when a report block allows no measurement. */
    public static final long UNKNOWN = -1;

    private RoundTripTime() {
    }

    /**
     * The round-trip time in compact units (1/65536 s), or {@link #UNKNOWN} when the block
     * echoes no SR (LSR = 0, RFC 3550 6.4.1) or the result is negative (a clock step between
     * sending the SR and receiving the report, or a forged block).
     *
     * @param lastSr the block's LSR, the compact NTP time of the SR it echoes
     * @param delaySinceLastSr the block's DLSR, compact units
     * @param arrivalCompactNtp A, the compact NTP time of the report's arrival
     */
    public static long compute(long lastSr, long delaySinceLastSr, long arrivalCompactNtp) {
        if (lastSr == 0) {
            return UNKNOWN;
        }
        // Modulo 2^32: compact NTP wraps every 65536 s (about 18 hours); A - LSR is the
        // elapsed time across a wrap too, as long as it is under half the range.
        int rtt = (int) (arrivalCompactNtp - lastSr - delaySinceLastSr);
        return rtt < 0 ? UNKNOWN : rtt;
    }

    /** As {@link #compute}, in nanoseconds, or {@link #UNKNOWN}. */
    public static long computeNanos(long lastSr, long delaySinceLastSr, long arrivalCompactNtp) {
        long rtt = compute(lastSr, delaySinceLastSr, arrivalCompactNtp);
        return rtt == UNKNOWN ? UNKNOWN : NtpTime.compactToNanos(rtt);
    }
}
