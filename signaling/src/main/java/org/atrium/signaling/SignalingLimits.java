package org.atrium.signaling;

/**
 * What one connection, one participant and the whole server may ask of the signaling
 * server (docs/configuration.md). Going over one refuses the message, the track or the
 * join, or closes that connection; never more.
 *
 * @param maxPublishedTracks tracks one participant may publish
 * @param messageRate signaling messages a connection may send per second, on average
 * @param messageBurst how many it may send at once (the token bucket's size); a
 *     connection that has more than this many dropped within 10 s is closed
 * @param maxPendingJoins participants, server-wide, whose media connection is not up
 *     yet; a join beyond it gets {@code server-busy}
 * @param maxMessageBytes largest text frame taken as a message; larger ones get
 *     {@code frame-too-large}
 * @param maxFrameBytes largest frame read at all; larger ones close the connection (1009)
 * @param reconnectGrace how long a participant whose connection dropped (without a close
 *     frame) stays, its media flowing, for its client to resume the session
 */
public record SignalingLimits(int maxPublishedTracks, int messageRate, int messageBurst, int maxPendingJoins,
        int maxMessageBytes, int maxFrameBytes, java.time.Duration reconnectGrace) {

    /** With the default reconnect grace. */
    public SignalingLimits(int maxPublishedTracks, int messageRate, int messageBurst, int maxPendingJoins,
            int maxMessageBytes, int maxFrameBytes) {
        this(maxPublishedTracks, messageRate, messageBurst, maxPendingJoins, maxMessageBytes, maxFrameBytes,
                DEFAULT_RECONNECT_GRACE);
    }

    public static final java.time.Duration DEFAULT_RECONNECT_GRACE = java.time.Duration.ofSeconds(20);

    public SignalingLimits {
        if (maxPublishedTracks < 1 || messageRate < 1 || messageBurst < 1 || maxPendingJoins < 1
                || maxMessageBytes < 1) {
            throw new IllegalArgumentException("signaling limits must be at least 1");
        }
        if (reconnectGrace.isNegative()) {
            throw new IllegalArgumentException("the reconnect grace must not be negative");
        }
        if (maxFrameBytes < maxMessageBytes) {
            throw new IllegalArgumentException("--max-frame-bytes (" + maxFrameBytes
                    + ") must be at least --max-message-bytes (" + maxMessageBytes + ")");
        }
    }

    public static SignalingLimits defaults() {
        return new SignalingLimits(4, 50, 250, 100, 65536, 1 << 20);
    }

    public SignalingLimits withMaxPublishedTracks(int n) {
        return new SignalingLimits(n, messageRate, messageBurst, maxPendingJoins, maxMessageBytes, maxFrameBytes, reconnectGrace);
    }

    public SignalingLimits withMessageRate(int perSecond, int burst) {
        return new SignalingLimits(maxPublishedTracks, perSecond, burst, maxPendingJoins, maxMessageBytes,
                maxFrameBytes, reconnectGrace);
    }

    public SignalingLimits withMaxPendingJoins(int n) {
        return new SignalingLimits(maxPublishedTracks, messageRate, messageBurst, n, maxMessageBytes, maxFrameBytes,
                reconnectGrace);
    }

    public SignalingLimits withMessageSize(int maxMessage, int maxFrame) {
        return new SignalingLimits(maxPublishedTracks, messageRate, messageBurst, maxPendingJoins, maxMessage,
                maxFrame, reconnectGrace);
    }

    public SignalingLimits withReconnectGrace(java.time.Duration grace) {
        return new SignalingLimits(maxPublishedTracks, messageRate, messageBurst, maxPendingJoins, maxMessageBytes,
                maxFrameBytes, grace);
    }
}
