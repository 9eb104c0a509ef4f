package org.atrium.sfu.rtcp;

/**
 * NTP timestamps as RTCP carries them (RFC 3550 4): 64 bits, seconds since 1 January 1900 in
 * the high word and the fraction of a second in the low word; and their "compact" middle 32
 * bits (16.16 fixed point seconds), the form of LSR, DLSR and round-trip times (RFC 3550 6.4.1).
 *
 * <p>Stateless and thread-safe. Nothing reads a clock except {@link #now()}; everything else
 * takes the time as an argument so that callers can inject one.
 */
public final class NtpTime {

    /** Seconds from 1900-01-01 (the NTP epoch) to 1970-01-01 (the Unix epoch): RFC 868. */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NtpTime() {
    }

    /** The wall clock now, at millisecond resolution. */
    public static long now() {
        return fromUnixMillis(System.currentTimeMillis());
    }

    /** The NTP timestamp of a wall-clock time given in milliseconds since the Unix epoch. */
    public static long fromUnixMillis(long unixMillis) {
        long seconds = Math.floorDiv(unixMillis, 1000L) + UNIX_EPOCH_OFFSET_SECONDS;
        long millis = Math.floorMod(unixMillis, 1000L);
        return seconds << 32 | (millis << 32) / 1000L;
    }

    /** Milliseconds since the Unix epoch of an NTP timestamp, rounded down. */
    public static long toUnixMillis(long ntp64) {
        long seconds = (ntp64 >>> 32) - UNIX_EPOCH_OFFSET_SECONDS;
        return seconds * 1000L + ((ntp64 & 0xFFFFFFFFL) * 1000L >>> 32);
    }

    /** The middle 32 bits: 16 bits of seconds, 16 bits of fraction (RFC 3550 6.4.1, LSR). */
    public static long compact(long ntp64) {
        return (ntp64 >>> 16) & 0xFFFFFFFFL;
    }

    /** A duration in compact units (1/65536 s) as nanoseconds. */
    public static long compactToNanos(long compact) {
        return (compact >> 16) * NANOS_PER_SECOND + ((compact & 0xFFFF) * NANOS_PER_SECOND >> 16);
    }

    /**
     * A non-negative duration in nanoseconds as compact units (1/65536 s), saturating at
     * 0xFFFFFFFF (about 18 hours), the largest DLSR a report block can carry.
     */
    public static long nanosToCompact(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        // Split so that neither product overflows whatever the duration.
        long seconds = nanos / NANOS_PER_SECOND;
        long rest = nanos % NANOS_PER_SECOND;
        if (seconds >= 0x10000L) {
            return 0xFFFFFFFFL;
        }
        return seconds << 16 | (rest << 16) / NANOS_PER_SECOND;
    }

    /**
     * {@code nanos * clockRate / 1e9}, truncated toward zero, without overflow for any duration
     * a stream can last: converts elapsed time into RTP timestamp units.
     */
    static long nanosToTicks(long nanos, int clockRate) {
        return nanos / NANOS_PER_SECOND * clockRate + nanos % NANOS_PER_SECOND * clockRate / NANOS_PER_SECOND;
    }
}
