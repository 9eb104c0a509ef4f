package org.atrium.sctp;

/**
 * Settings of one data-channel association; units are in the names. {@link #DEFAULTS} then the
 * {@code with...} overrides; the constructor validates.
 *
 * <p>Timer values are WebRTC-like rather than RFC 9260's (RTO.Initial 1 s, RTO.Min 1 s,
 * RTO.Max 60 s), as dcSCTP chose for browsers: the initial RTO is 500 ms. The minimum RTO is
 * 300 ms, not lower: the peer may hold a SACK for one lone packet up to its delayed-ack time
 * (200 ms in every browser stack), so an RTO near 200 ms would retransmit spuriously on a quiet
 * channel over a short path. The maximum RTO is 10 s, so a vanished peer is declared dead after
 * 10 retransmissions in roughly a minute instead of several; ICE consent (30 s) usually notices
 * first anyway.
 *
 * @param localPort              SCTP port we use (a=sctp-port; 5000 in every browser)
 * @param remotePort             the peer's SCTP port
 * @param maxMessageSize         largest message we send or accept, bytes (a=max-message-size)
 * @param receiveWindow          our receive buffer, bytes: the a_rwnd we announce
 * @param maxPacketSize          largest SCTP packet we send, bytes (it rides in one DTLS record)
 * @param sendBufferLimit        bytes queued by send() and not yet handed to the network before send() refuses
 * @param rtoInitialMillis       RTO before any RTT sample, also the INIT/COOKIE ECHO timer
 * @param rtoMinMillis           lower bound of the RTO
 * @param rtoMaxMillis           upper bound of the RTO after backoff
 * @param maxRetransmissions     consecutive unanswered timeouts (T3, heartbeat, RE-CONFIG) before the association closes
 * @param maxInitRetransmissions INIT or COOKIE ECHO retransmissions before connect gives up
 * @param heartbeatIntervalMillis time between HEARTBEATs
 * @param delayedAckMillis       longest a SACK is held for a second packet; half the RTO when that is
 *                               shorter, so the peer's T3 does not fire first (as dcSCTP does)
 * @param cookieLifetimeMillis   how long a state cookie from our INIT ACK stays valid
 * @param initAcksPerSecond      INIT ACK replies allowed per second (an INIT flood gets no more)
 */
public record SctpConfig(int localPort, int remotePort, int maxMessageSize, int receiveWindow, int maxPacketSize,
                         int sendBufferLimit, int rtoInitialMillis, int rtoMinMillis, int rtoMaxMillis,
                         int maxRetransmissions, int maxInitRetransmissions, int heartbeatIntervalMillis,
                         int delayedAckMillis, int cookieLifetimeMillis, int initAcksPerSecond) {

    public static final SctpConfig DEFAULTS = new SctpConfig(5000, 5000, 262144, 1 << 20, 1140, 4 << 20,
        500, 300, 10_000, 10, 8, 30_000, 200, 60_000, 10);

    /** Smallest packet that holds an INIT ACK with its cookie and a useful DATA chunk. */
    static final int MIN_PACKET_SIZE = 256;

    public SctpConfig {
        check(localPort > 0 && localPort < 65536, "localPort");
        check(remotePort > 0 && remotePort < 65536, "remotePort");
        check(maxMessageSize > 0, "maxMessageSize");
        // RFC 9260 6.2.1: an a_rwnd below 1500 is not allowed.
        check(receiveWindow >= 1500, "receiveWindow");
        // A message larger than the window could never be reassembled: its last fragments would
        // always arrive past a full window.
        check(receiveWindow >= maxMessageSize, "receiveWindow below maxMessageSize");
        check(maxPacketSize >= MIN_PACKET_SIZE && maxPacketSize <= 65535, "maxPacketSize");
        check(sendBufferLimit > 0, "sendBufferLimit");
        check(rtoMinMillis > 0 && rtoMinMillis <= rtoInitialMillis && rtoInitialMillis <= rtoMaxMillis, "rto bounds");
        check(maxRetransmissions > 0 && maxInitRetransmissions > 0, "retransmission limits");
        check(heartbeatIntervalMillis > 0 && delayedAckMillis > 0 && cookieLifetimeMillis > 0, "timers");
        check(initAcksPerSecond > 0, "initAcksPerSecond");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("invalid SCTP config: " + what);
        }
    }

    public SctpConfig withPorts(int local, int remote) {
        return new SctpConfig(local, remote, maxMessageSize, receiveWindow, maxPacketSize, sendBufferLimit,
            rtoInitialMillis, rtoMinMillis, rtoMaxMillis, maxRetransmissions, maxInitRetransmissions,
            heartbeatIntervalMillis, delayedAckMillis, cookieLifetimeMillis, initAcksPerSecond);
    }

    public SctpConfig withMaxMessageSize(int bytes) {
        return new SctpConfig(localPort, remotePort, bytes, receiveWindow, maxPacketSize, sendBufferLimit,
            rtoInitialMillis, rtoMinMillis, rtoMaxMillis, maxRetransmissions, maxInitRetransmissions,
            heartbeatIntervalMillis, delayedAckMillis, cookieLifetimeMillis, initAcksPerSecond);
    }

    public SctpConfig withReceiveWindow(int bytes) {
        return new SctpConfig(localPort, remotePort, maxMessageSize, bytes, maxPacketSize, sendBufferLimit,
            rtoInitialMillis, rtoMinMillis, rtoMaxMillis, maxRetransmissions, maxInitRetransmissions,
            heartbeatIntervalMillis, delayedAckMillis, cookieLifetimeMillis, initAcksPerSecond);
    }

    public SctpConfig withMaxPacketSize(int bytes) {
        return new SctpConfig(localPort, remotePort, maxMessageSize, receiveWindow, bytes, sendBufferLimit,
            rtoInitialMillis, rtoMinMillis, rtoMaxMillis, maxRetransmissions, maxInitRetransmissions,
            heartbeatIntervalMillis, delayedAckMillis, cookieLifetimeMillis, initAcksPerSecond);
    }

    public SctpConfig withSendBufferLimit(int bytes) {
        return new SctpConfig(localPort, remotePort, maxMessageSize, receiveWindow, maxPacketSize, bytes,
            rtoInitialMillis, rtoMinMillis, rtoMaxMillis, maxRetransmissions, maxInitRetransmissions,
            heartbeatIntervalMillis, delayedAckMillis, cookieLifetimeMillis, initAcksPerSecond);
    }

    public SctpConfig withRto(int initialMillis, int minMillis, int maxMillis) {
        return new SctpConfig(localPort, remotePort, maxMessageSize, receiveWindow, maxPacketSize, sendBufferLimit,
            initialMillis, minMillis, maxMillis, maxRetransmissions, maxInitRetransmissions,
            heartbeatIntervalMillis, delayedAckMillis, cookieLifetimeMillis, initAcksPerSecond);
    }

    public SctpConfig withMaxRetransmissions(int association, int init) {
        return new SctpConfig(localPort, remotePort, maxMessageSize, receiveWindow, maxPacketSize, sendBufferLimit,
            rtoInitialMillis, rtoMinMillis, rtoMaxMillis, association, init,
            heartbeatIntervalMillis, delayedAckMillis, cookieLifetimeMillis, initAcksPerSecond);
    }

    public SctpConfig withHeartbeatIntervalMillis(int millis) {
        return new SctpConfig(localPort, remotePort, maxMessageSize, receiveWindow, maxPacketSize, sendBufferLimit,
            rtoInitialMillis, rtoMinMillis, rtoMaxMillis, maxRetransmissions, maxInitRetransmissions,
            millis, delayedAckMillis, cookieLifetimeMillis, initAcksPerSecond);
    }

    public SctpConfig withCookieLifetimeMillis(int millis) {
        return new SctpConfig(localPort, remotePort, maxMessageSize, receiveWindow, maxPacketSize, sendBufferLimit,
            rtoInitialMillis, rtoMinMillis, rtoMaxMillis, maxRetransmissions, maxInitRetransmissions,
            heartbeatIntervalMillis, delayedAckMillis, millis, initAcksPerSecond);
    }
}
