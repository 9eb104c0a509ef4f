package org.atrium.sfu.transport;

/**
 * When a connected transport's consent has lapsed, by two rules:
 *
 * <ul>
 *   <li>nothing came from the peer for the configured timeout (7 s by default): neither a
 *       response to a consent check (RFC 7675) nor an authenticated SRTCP packet. A client that
 *       vanished is gone soon.
 *   <li>no consent check was answered for {@link #LIFETIME_MILLIS}, RFC 7675's 30 s (or the
 *       configured timeout, if longer), whatever else arrives: the SFU may not go on sending
 *       to a peer that does not consent.
 * </ul>
 *
 * <p>Why RTCP counts: a live peer whose downlink is congested loses many of the SFU's checks in
 * its full queue, but its RTCP (receiver reports, transport-wide feedback) comes up its own link.
 * That keeps it in the room while the SFU brings its rate down, where the first rule alone
 * removed it after a few seconds of a saturated downlink.
 *
 * <p>Driven by one thread (the timeout check, about once a second); RTCP is seen as a change in
 * a count, so the receiving path pays one increment per SRTCP packet and reads no clock.
 */
final class ConsentExpiry {

    /** RFC 7675 5.1: consent expires 30 s after the last answered check. */
    static final long LIFETIME_MILLIS = 30_000;

    private int rtcpSeen;
    private long lastRtcpMillis;

    /**
     * Null while consent holds, else why it lapsed.
     *
     * @param nowMillis the check's clock
     * @param lastConsentMillis the last answered consent check, 0 before the first (nothing lapses before it)
     * @param rtcpAuthenticated how many SRTCP packets the transport has authenticated so far
     * @param timeoutMillis the configured consent timeout
     */
    String check(long nowMillis, long lastConsentMillis, int rtcpAuthenticated, long timeoutMillis) {
        if (rtcpAuthenticated != rtcpSeen) {
            rtcpSeen = rtcpAuthenticated;
            lastRtcpMillis = nowMillis;
        }
        if (lastConsentMillis <= 0) {
            return null;
        }
        long heard = Math.max(lastConsentMillis, lastRtcpMillis);
        if (nowMillis - heard > timeoutMillis) {
            return "no consent and no RTCP for " + (nowMillis - heard) + " ms";
        }
        if (nowMillis - lastConsentMillis > Math.max(timeoutMillis, LIFETIME_MILLIS)) {
            return "no consent for " + (nowMillis - lastConsentMillis) + " ms, though RTCP still arrives";
        }
        return null;
    }
}
